import type { z } from "zod";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { loadGraph, type LoadedGraph } from "./loader.js";
import { readProjectFile, type ModuleRef, type ProjectFileContents } from "./project-file.js";

export type { ModuleRef } from "./project-file.js";

export type { GraphAttachments, GraphModule, LoadedGraph } from "./loader.js";

export interface Project {
  /** Absolute path of langgraph.json. */
  file: string;
  /** Its folder, against which graph modules resolve. */
  root: string;
  graphIds: string[];
  /**
   * The variables of langgraph.json's `env` (inline, or read from the .env
   * file it names). Never applied here: an entry point decides whether they
   * go into `process.env`.
   */
  env: Record<string, string>;
  /** langgraph.json's `http` section: the user's Hono app (`app`) and CORS settings. */
  http: ProjectFileContents["http"];
  /** langgraph.json's `auth.path`. */
  auth?: ModuleRef;
  /** langgraph.json's `store.index` (see ProjectFileContents). */
  storeIndex?: ProjectFileContents["storeIndex"];
  /** The graph declared under `id`, its module imported once. */
  load(id: string): Promise<LoadedGraph>;
}

/**
 * Reads a langgraph.json and returns the graphs it declares, loaded lazily,
 * the way LangGraph's CLI loads them (see `LoadedGraph`). Every entry point
 * loads graphs through here.
 *
 * @example
 * const project = await loadProject("langgraph.json");
 * const banking = await project.load("banking");
 * const graph = await banking.instantiate(config, { checkpointer, store });
 */
export async function loadProject(configPath: string): Promise<Project> {
  const contents = await readProjectFile(configPath);
  const cache = new Map<string, Promise<LoadedGraph>>();
  return {
    file: contents.path,
    root: contents.root,
    graphIds: Object.keys(contents.graphs),
    env: contents.env,
    http: contents.http,
    ...(contents.auth ? { auth: contents.auth } : {}),
    ...(contents.storeIndex ? { storeIndex: contents.storeIndex } : {}),
    load(id) {
      const spec = Object.hasOwn(contents.graphs, id) ? contents.graphs[id] : undefined;
      if (!spec) return Promise.reject(new NotFoundError(`unknown graph "${id}"; ${describeIds(Object.keys(contents.graphs))}`));
      let loaded = cache.get(id);
      if (!loaded) {
        loaded = loadGraph(id, spec);
        loaded.catch(() => cache.delete(id));
        cache.set(id, loaded);
      }
      return loaded;
    },
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

/**
 * Checks an assistant's `configurable` against the graph's schema, every
 * field optional: what a run must name (the agent's `user_id`) comes with
 * the run, not the assistant.
 */
export function validateAssistantConfig(graph: LoadedGraph, configurable: Record<string, unknown>): void {
  // Duck-typed: a graph folder's own zod is another copy of the library.
  const partial = (graph.configSchema as { partial?: () => z.ZodType } | undefined)?.partial;
  const schema = typeof partial === "function" ? partial.call(graph.configSchema) : graph.configSchema;
  check(schema, configurable, `invalid assistant config for graph "${graph.id}"`);
}

function check(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new InvalidInputError(`${what}: ${where}${issue.message}`);
}

/**
 * The project without the graphs whose module does not load: each failure
 * goes to `report` (with the file, line and reason the loader gives), so a
 * server can still serve the graphs that do.
 *
 * @example
 * const served = await loadableProject(project, (id, err) => console.error(err.message));
 */
export async function loadableProject(project: Project, report: (graphId: string, err: Error) => void): Promise<Project> {
  const ok: string[] = [];
  for (const id of project.graphIds) {
    try {
      await project.load(id);
      ok.push(id);
    } catch (err) {
      report(id, err as Error);
    }
  }
  if (ok.length === project.graphIds.length) return project;
  return {
    ...project,
    graphIds: ok,
    load: (id) => (ok.includes(id) ? project.load(id) : Promise.reject(new NotFoundError(`unknown graph "${id}"; ${describeIds(ok)}`))),
  };
}
