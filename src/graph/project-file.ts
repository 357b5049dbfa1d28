import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { readEnvFile } from "./env.js";

/** langgraph.json, in the format of LangGraph's CLI; fields we do not use pass through. */
const ProjectFile = z
  .object({
    graphs: z.record(z.string(), z.string().regex(/^[^:]+:[A-Za-z_$][\w$]*$/, 'expected "./path/to/module.ts:exportName"')),
    node_version: z.string().optional(),
    env: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
    dependencies: z.array(z.string()).optional(),
  })
  .loose();

/** Where one graph of the project comes from. */
export interface GraphSpec {
  /** The spec as written in langgraph.json, e.g. "./graphs/banking.ts:graph". */
  spec: string;
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
  const graphs: Record<string, GraphSpec> = {};
  for (const [id, spec] of Object.entries(parsed.data.graphs)) {
    const colon = spec.lastIndexOf(":");
    graphs[id] = { spec, file: resolve(root, spec.slice(0, colon)), exportName: spec.slice(colon + 1) };
  }
  const { env } = parsed.data;
  return { path, root, graphs, env: typeof env === "string" ? await readEnvFile(resolve(root, env)) : { ...env } };
}
