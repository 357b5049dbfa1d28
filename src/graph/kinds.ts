import type { Pregel } from "@langchain/langgraph";

/**
 * What a graph export may be, told apart by shape rather than `instanceof`:
 * a graph folder may bring its own copy of @langchain/langgraph in its own
 * node_modules, whose classes are not ours.
 */
export type CompiledGraph = Pregel<any, any, any, any, any>;

export interface GraphBuilder {
  compile(options?: Record<string, unknown>): CompiledGraph;
}

/** A compiled graph (Pregel, CompiledStateGraph): it runs and copies itself with `withConfig`. */
export function isCompiledGraph(value: unknown): value is CompiledGraph {
  if (!isObject(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.withConfig === "function" &&
    typeof v.invoke === "function" &&
    typeof v.stream === "function" &&
    (v.lg_is_pregel === true || typeof v.getState === "function")
  );
}

/** An uncompiled graph (StateGraph, Graph): it has nodes to add and compiles. */
export function isGraphBuilder(value: unknown): value is GraphBuilder {
  if (!isObject(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.compile === "function" && typeof v.addNode === "function";
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof (value as { then?: unknown }).then === "function";
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}
