import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { Pregel } from "@langchain/langgraph";
import { ConfigurationError, InvalidInputError, NotFoundError } from "../errors.js";
import type { Migration } from "../db/migrate.js";

/** langgraph.json, in the format of LangGraph's CLI; fields we do not use pass through. */
const ProjectFile = z
  .object({
    graphs: z.record(z.string(), z.string().regex(/^[^:]+:[A-Za-z_$][\w$]*$/, 'expected "./path/to/module.ts:exportName"')),
    node_version: z.string().optional(),
    env: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
    dependencies: z.array(z.string()).optional(),
  })
  .loose();

/** What a graph module may export besides the compiled graph. */
export interface GraphModule {
  /** Tables the graph's nodes need, applied under the component `graph:<id>`. */
  migrations?: readonly Migration[];
  /** Validates run input before anything is written. */
  inputSchema?: z.ZodType;
  /** Turns plain text typed at the CLI into the graph's input. Default `{ message: text }`. */
  textInput?: (text: string) => unknown;
  /** Validates the run's `configurable` (e.g. a required `user_id`) before anything is written. */
  configSchema?: z.ZodType;
  /** The graph calls a chat model, which the runtime must put in the run context. */
  requiresChatModel?: boolean;
}

export interface LoadedGraph {
  id: string;
  // Graphs are compiled without a checkpointer; the runtime attaches its own.
  graph: Pregel<any, any, any, any, any>;
  migrations: readonly Migration[];
  inputSchema?: z.ZodType;
  textInput: (text: string) => unknown;
  configSchema?: z.ZodType;
  requiresChatModel: boolean;
}

export interface Project {
  root: string;
  graphIds: string[];
  load(id: string): Promise<LoadedGraph>;
}

/**
 * Reads a langgraph.json and returns the graphs it declares, loaded lazily.
 *
 * @example
 * const project = await loadProject("langgraph.json");
 * const { graph } = await project.load("banking");
 */
export async function loadProject(configPath: string): Promise<Project> {
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
  const specs = parsed.data.graphs;
  const cache = new Map<string, Promise<LoadedGraph>>();
  return {
    root,
    graphIds: Object.keys(specs),
    load(id) {
      const spec = specs[id];
      if (!spec) {
        throw new NotFoundError(`unknown graph "${id}"; ${describeIds(Object.keys(specs))}`);
      }
      let loaded = cache.get(id);
      if (!loaded) {
        loaded = importGraph(root, id, spec);
        cache.set(id, loaded);
      }
      return loaded;
    },
  };
}

async function importGraph(root: string, id: string, spec: string): Promise<LoadedGraph> {
  const [file, exportName] = spec.split(":") as [string, string];
  const mod = (await import(pathToFileURL(resolve(root, file)).href)) as Record<string, unknown> & GraphModule;
  const graph = mod[exportName] as LoadedGraph["graph"] | undefined;
  if (!graph || typeof (graph as { invoke?: unknown }).invoke !== "function") {
    throw new ConfigurationError(`${file} does not export a compiled graph named "${exportName}"`);
  }
  return {
    id,
    graph,
    migrations: mod.migrations ?? [],
    inputSchema: mod.inputSchema,
    textInput: mod.textInput ?? ((text) => ({ message: text })),
    configSchema: mod.configSchema,
    requiresChatModel: mod.requiresChatModel === true,
  };
}

function describeIds(ids: string[]): string {
  return ids.length ? `known graphs: ${ids.join(", ")}` : "the project declares no graphs";
}

/** Checks run input against the graph's schema, with a one-line reason. */
export function validateInput(graph: LoadedGraph, input: unknown): unknown {
  return check(graph.inputSchema, input, `invalid input for graph "${graph.id}"`);
}

/** Checks the run's `configurable` against the graph's schema, with a one-line reason. */
export function validateConfig(graph: LoadedGraph, configurable: Record<string, unknown>): void {
  check(graph.configSchema, configurable, `invalid run config for graph "${graph.id}"`);
}

function check(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new InvalidInputError(`${what}: ${where}${issue.message}`);
}
