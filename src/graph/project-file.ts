import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { readEnvFile } from "./env.js";

const ModuleSpec = z.string().regex(/^[^:]+:[A-Za-z_$][\w$]*$/, 'expected "./path/to/module.ts:exportName"');

const Cors = z
  .object({
    allow_origins: z.array(z.string()).optional(),
    allow_origin_regex: z.string().optional(),
    allow_methods: z.array(z.string()).optional(),
    allow_headers: z.array(z.string()).optional(),
    allow_credentials: z.boolean().optional(),
    expose_headers: z.array(z.string()).optional(),
    max_age: z.number().optional(),
  })
  .strict();

/** langgraph.json, in the format of LangGraph's CLI; fields we do not use pass through. */
const ProjectFile = z
  .object({
    graphs: z.record(z.string(), z.union([ModuleSpec, z.object({ path: ModuleSpec, description: z.string().optional() }).loose()])),
    node_version: z.string().optional(),
    env: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
    dependencies: z.array(z.string()).optional(),
    http: z.object({ app: ModuleSpec.optional(), cors: Cors.optional() }).loose().optional(),
    auth: z.object({ path: ModuleSpec.optional(), disable_studio_auth: z.boolean().optional() }).loose().optional(),
    store: z
      .object({
        index: z
          .object({ embed: z.string().min(1), dims: z.number().int().positive().optional(), fields: z.array(z.string().min(1)).min(1).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    checkpointer: z.unknown().optional(),
  })
  .loose();

/** Where one graph of the project comes from. */
export interface GraphSpec {
  /** The spec as written in langgraph.json, e.g. "./graphs/banking.ts:graph". */
  spec: string;
  description?: string;
  /** Absolute path of the module. */
  file: string;
  exportName: string;
}

export interface ProjectFileContents {
  /** Absolute path of langgraph.json. */
  path: string;
  /** Its folder, against which module paths and the env file resolve. */
  root: string;
  graphs: Record<string, GraphSpec>;
  /** The variables of `env`, inline or read from the file it names. */
  env: Record<string, string>;
  /** `http.app`: the user's Hono app, as a module spec resolved like a graph's; `http.cors`. */
  http: { app?: ModuleRef; cors?: z.output<typeof Cors> };
  /** `auth.path`: the module exporting an `Auth` of `@langchain/langgraph-sdk/auth`. */
  auth?: ModuleRef;
  /**
   * `store.index`: what embeds store items for search by meaning, as
   * "openai:<model>" or a module's export ("./embed.ts:embed"), and the
   * fields to embed.
   */
  storeIndex?: { embed: string | ModuleRef; dims?: number; fields?: string[] };
}

/** An export of a module of the project. */
export interface ModuleRef {
  spec: string;
  file: string;
  exportName: string;
}

/**
 * Reads and validates a langgraph.json; every problem is a one-line
 * ConfigurationError naming the file.
 *
 * @example
 * const { graphs, env } = await readProjectFile("langgraph.json");
 */
export async function readProjectFile(configPath: string): Promise<ProjectFileContents> {
  const path = resolve(configPath);
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch {
    throw new ConfigurationError(`cannot read the project file ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigurationError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ProjectFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigurationError(`${path}: ${issue.path.join(".") || "root"}: ${issue.message}`);
  }
  const root = dirname(path);
  const { checkpointer } = parsed.data;
  if (checkpointer !== undefined && checkpointer !== null && !(typeof checkpointer === "object" && Object.keys(checkpointer).length === 0)) {
    throw new ConfigurationError(`${path}: the "checkpointer" section is not supported: Threadline keeps checkpoints in its own database (DATABASE_URL or the embedded one); remove the section`);
  }
  const graphs: Record<string, GraphSpec> = {};
  for (const [id, entry] of Object.entries(parsed.data.graphs)) {
    const spec = typeof entry === "string" ? entry : entry.path;
    graphs[id] = { ...moduleRef(root, spec), ...(typeof entry === "object" && entry.description ? { description: entry.description } : {}) };
  }
  const { env, http, auth, store } = parsed.data;
  const index = store?.index;
  return {
    path,
    root,
    graphs,
    env: typeof env === "string" ? await readEnvFile(resolve(root, env)) : { ...env },
    http: { ...(http?.app ? { app: moduleRef(root, http.app) } : {}), ...(http?.cors ? { cors: http.cors } : {}) },
    ...(auth?.path ? { auth: moduleRef(root, auth.path) } : {}),
    ...(index ? { storeIndex: { ...index, embed: index.embed.startsWith("openai:") ? index.embed : moduleRef(root, index.embed) } } : {}),
  };
}

function moduleRef(root: string, spec: string): ModuleRef {
  const colon = spec.lastIndexOf(":");
  return { spec, file: resolve(root, spec.slice(0, colon)), exportName: spec.slice(colon + 1) };
}
