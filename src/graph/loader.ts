import { stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseCheckpointSaver, BaseStore } from "@langchain/langgraph-checkpoint";
import { ConfigurationError, isThreadlineError } from "../errors.js";
import type { MigrationSet } from "../db/migrate.js";
import { describeLoadFailure, describeValue, formatLocation } from "./load-errors.js";
import { isCompiledGraph, isGraphBuilder, isThenable, type CompiledGraph } from "./kinds.js";
import { graphMigrationSet } from "./module-migrations.js";
import type { GraphSpec } from "./project-file.js";

/**
 * What a graph module exports. The export named in langgraph.json is the
 * graph, as LangGraph's CLI accepts it: a compiled graph, an uncompiled
 * StateGraph, a promise of either, or a function of the run's config
 * returning (a promise of) either, called for every run. The rest is
 * optional.
 */
export interface GraphModule {
  /**
   * Tables the graph's nodes need, under a component the module names, so
   * renaming the graph in langgraph.json or declaring it under two names
   * migrates them once.
   */
  migrations?: MigrationSet;
  /** Validates run input before anything is written. */
  inputSchema?: z.ZodType;
  /** Turns plain text typed at the CLI into the graph's input. */
  textInput?: (text: string) => unknown;
  /** Validates the run's `configurable` (e.g. a required `user_id`) before anything is written. */
  configSchema?: z.ZodType;
  /** The graph calls a chat model, which the runtime must put in the run context. */
  requiresChatModel?: boolean;
}

/** What a run attaches to the graph in place of anything the module compiled in. */
export interface GraphAttachments {
  checkpointer?: BaseCheckpointSaver;
  store?: BaseStore;
}

export interface LoadedGraph {
  /** The langgraph.json key. */
  id: string;
  /** Absolute path of the module. */
  file: string;
  exportName: string;
  migrations?: MigrationSet;
  inputSchema?: z.ZodType;
  /**
   * How plain text becomes the graph's input, when the module says; without
   * it the caller decides (e.g. from the graph's input channels).
   */
  textInput?: (text: string) => unknown;
  configSchema?: z.ZodType;
  requiresChatModel: boolean;
  /**
   * The state channels input may write (not LangGraph's own), when known
   * without a run: for a graph exported as such, not for a factory.
   */
  inputChannels?: string[];
  /**
   * The graph's own zod input (or state) schema, when it has one and it is
   * known without a run: input is checked against it, each field optional,
   * before anything is written (the graph checks it whole as it runs).
   */
  stateSchema?: z.ZodType;
  /**
   * The graph for one run. A factory export is called with the run's config;
   * the result has `attach`'s checkpointer and store, never the module's own
   * (a checkpointer or store the module compiled in is dropped even when
   * `attach` has none). A graph exported as such is compiled once and copied
   * cheaply (one copy per checkpointer and store), not recompiled per call.
   *
   * @example
   * const graph = await loaded.instantiate(config, { checkpointer, store });
   * await graph.invoke(input, config);
   */
  instantiate(config: LangGraphRunnableConfig, attach: GraphAttachments): Promise<CompiledGraph>;
}

type Factory = (config: LangGraphRunnableConfig) => unknown;

const NONE = {};

/**
 * Imports a graph module and works out what it exports. Every problem is a
 * ConfigurationError naming the graph and the file (and, for a module that
 * does not compile or throws while loading, the line).
 *
 * @example
 * const loaded = await loadGraph("banking", { spec: "./graphs/banking.ts:graph", file, exportName: "graph" });
 */
export async function loadGraph(id: string, spec: GraphSpec): Promise<LoadedGraph> {
  const { file, exportName } = spec;
  const what = `graph "${id}"`;
  if (!(await isFile(file))) throw new ConfigurationError(`${what}: ${file} does not exist (langgraph.json: "${spec.spec}")`);
  const exported = exportsOf(await importModule(what, file));
  const target = exported(exportName);
  if (target === undefined) {
    const names = exported.names();
    throw new ConfigurationError(
      `${what}: ${file} has no export named "${exportName}"; ${names.length ? `it exports ${names.join(", ")}` : "it exports nothing"}`,
    );
  }
  const build = await resolveExport(what, `export "${exportName}" of ${file}`, target);
  const module: Omit<LoadedGraph, "instantiate"> = {
    id,
    file,
    exportName,
    migrations: graphMigrationSet(exported("migrations"), `${what}: export "migrations" of ${file}`),
    inputSchema: schema(what, file, "inputSchema", exported("inputSchema")),
    textInput: textInputOf(what, file, exported("textInput")),
    configSchema: schema(what, file, "configSchema", exported("configSchema")),
    requiresChatModel: exported("requiresChatModel") === true,
  };
  if (typeof build === "function") {
    const factory = build as Factory;
    return {
      ...module,
      async instantiate(config, attach) {
        let produced: unknown;
        try {
          produced = await factory(config);
        } catch (err) {
          if (isThreadlineError(err)) throw err;
          throw new ConfigurationError(`${what}: the factory ${exportName} of ${file} threw: ${messageOf(err)}`, { cause: err });
        }
        if (isGraphBuilder(produced)) return compileBuilder(what, produced, attach);
        if (isCompiledGraph(produced)) return withAttachments(produced, attach);
        throw new ConfigurationError(`${what}: the factory ${exportName} of ${file} returned ${describeValue(produced)}, not a graph`);
      },
    };
  }
  const copies = new WeakMap<object, WeakMap<object, CompiledGraph>>();
  return {
    ...module,
    inputChannels: Object.keys(build.channels).filter((name) => !name.startsWith("__") && !name.includes(":")),
    ...zodStateOf(build),
    async instantiate(_config, attach) {
      const byCheckpointer = copies.get(attach.checkpointer ?? NONE) ?? new WeakMap<object, CompiledGraph>();
      copies.set(attach.checkpointer ?? NONE, byCheckpointer);
      let graph = byCheckpointer.get(attach.store ?? NONE);
      if (!graph) {
        graph = withAttachments(build, attach);
        byCheckpointer.set(attach.store ?? NONE, graph);
      }
      return graph;
    },
  };
}

/**
 * One export of a module of the project (langgraph.json's `http.app`,
 * `auth.path`), imported from the module's own folder; a missing file or
 * export, or a module that does not load, is a ConfigurationError naming
 * `what` and the file.
 */
export async function loadExport(what: string, ref: { spec: string; file: string; exportName: string }): Promise<unknown> {
  if (!(await isFile(ref.file))) throw new ConfigurationError(`${what}: ${ref.file} does not exist (langgraph.json: "${ref.spec}")`);
  const exported = exportsOf(await importModule(what, ref.file));
  const value = exported(ref.exportName);
  if (value === undefined) throw new ConfigurationError(`${what}: ${ref.file} has no export named "${ref.exportName}"; it exports ${exported.names().join(", ") || "nothing"}`);
  return isThenable(value) ? await value : value;
}

// A compiled graph stays as it is (copied per run), a StateGraph is compiled
// now, a promise is awaited; a function is a factory, kept for each run.
async function resolveExport(what: string, where: string, value: unknown): Promise<CompiledGraph | Factory> {
  if (typeof value === "function" && !isCompiledGraph(value)) {
    if (/^class\b/.test(Function.prototype.toString.call(value))) {
      throw new ConfigurationError(`${what}: ${where} is ${describeValue(value)}, not a graph; export an instance or a function returning one`);
    }
    return value as Factory;
  }
  if (isCompiledGraph(value)) return value;
  if (isGraphBuilder(value)) return compileBuilder(what, value, {});
  if (isThenable(value)) {
    let resolved: unknown;
    try {
      resolved = await value;
    } catch (err) {
      throw new ConfigurationError(`${what}: the promise ${where} rejected: ${messageOf(err)}`, { cause: err });
    }
    if (isCompiledGraph(resolved)) return resolved;
    if (isGraphBuilder(resolved)) return compileBuilder(what, resolved, {});
    throw new ConfigurationError(`${what}: the promise ${where} resolved to ${describeValue(resolved)}, not a graph`);
  }
  throw new ConfigurationError(
    `${what}: ${where} is ${describeValue(value)}, not a graph (expected a compiled graph, a StateGraph, a promise of one, or a function of the run's config returning one)`,
  );
}

function compileBuilder(what: string, builder: { compile(options?: object): CompiledGraph }, attach: GraphAttachments): CompiledGraph {
  try {
    return builder.compile({ checkpointer: attach.checkpointer, store: attach.store });
  } catch (err) {
    throw new ConfigurationError(`${what}: the StateGraph does not compile: ${messageOf(err)}`, { cause: err });
  }
}

// A copy, so the module's own graph (and whatever it compiled in) is never changed or used.
function withAttachments(graph: CompiledGraph, attach: GraphAttachments): CompiledGraph {
  const copy = graph.withConfig({}) as CompiledGraph;
  copy.checkpointer = attach.checkpointer;
  copy.store = attach.store;
  return copy;
}

async function importModule(what: string, file: string): Promise<Record<string, unknown>> {
  try {
    // A file URL makes the module resolve its imports from its own folder
    // (its own node_modules first), as it would run on its own.
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ERR_REQUIRE_CYCLE_MODULE" || code === "ERR_UNKNOWN_FILE_EXTENSION") {
      throw new ConfigurationError(
        `${what}: cannot load ${file}: no TypeScript loader for it (${code}); the process must register tsx for ES modules and CommonJS, or the module's package.json must say "type": "module"`,
        { cause: err },
      );
    }
    const { location, reason } = describeLoadFailure(err);
    const where = !location ? file : location.file === file ? formatLocation(location) : `${file}: ${formatLocation(location)}`;
    throw new ConfigurationError(`${what}: cannot load ${where}: ${reason}`, { cause: err });
  }
}

interface Exports {
  (name: string): unknown;
  names(): string[];
}

// A CommonJS module's named exports may only be on `module.exports` (the
// namespace's default), which Node cannot always detect statically.
function exportsOf(namespace: Record<string, unknown>): Exports {
  const fallback = namespace.default;
  const cjs = fallback !== null && typeof fallback === "object" && Object.getPrototypeOf(fallback) === Object.prototype;
  const exported = ((name: string) =>
    name in namespace ? namespace[name] : cjs ? (fallback as Record<string, unknown>)[name] : undefined) as Exports;
  exported.names = () => [...new Set([...Object.keys(namespace), ...(cjs ? Object.keys(fallback as object) : [])])].sort();
  return exported;
}

function schema(what: string, file: string, name: string, value: unknown): z.ZodType | undefined {
  if (value === undefined) return undefined;
  if (typeof (value as { safeParse?: unknown } | null)?.safeParse !== "function") {
    throw new ConfigurationError(`${what}: export "${name}" of ${file} is ${describeValue(value)}, not a zod schema`);
  }
  return value as z.ZodType;
}

function textInputOf(what: string, file: string, value: unknown): ((text: string) => unknown) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") {
    throw new ConfigurationError(`${what}: export "textInput" of ${file} is ${describeValue(value)}, not a function`);
  }
  return value as (text: string) => unknown;
}

function zodStateOf(graph: CompiledGraph): { stateSchema?: z.ZodType } {
  const builder = (graph as unknown as { builder?: { _inputRuntimeDefinition?: unknown; _schemaRuntimeDefinition?: unknown } }).builder;
  const schema = [builder?._inputRuntimeDefinition, builder?._schemaRuntimeDefinition].find(
    (s) => typeof (s as { safeParse?: unknown } | null)?.safeParse === "function" && typeof (s as { partial?: unknown }).partial === "function",
  ) as { partial(): z.ZodType } | undefined;
  return schema ? { stateSchema: schema.partial() } : {};
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0]!.trim() : String(err);
}
