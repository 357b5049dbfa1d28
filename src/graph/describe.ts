import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { getConfigTypeSchema, getInputTypeSchema, getOutputTypeSchema, getUpdateTypeSchema } from "@langchain/langgraph/zod/schema";
import { z } from "zod";
import type { CompiledGraph } from "./kinds.js";

type JsonSchema = Record<string, unknown>;

/** The JSON schemas of a graph, as LangGraph's server describes an assistant. */
export interface GraphSchemas {
  input_schema: JsonSchema | null;
  output_schema: JsonSchema | null;
  state_schema: JsonSchema | null;
  config_schema: JsonSchema | null;
  context_schema: JsonSchema | null;
}

interface Builder {
  channels?: Record<string, unknown>;
  _schemaRuntimeDefinition?: unknown;
  _inputRuntimeDefinition?: unknown;
  _outputRuntimeDefinition?: unknown;
  _configRuntimeSchema?: unknown;
}

/**
 * The graph's schemas: from its zod (or StateSchema) state where it has
 * one, else from its state's channels (each key, with `messages` as a list
 * of messages). `configSchema` is the module's own schema of `configurable`.
 *
 * @example
 * const { input_schema } = graphSchemas(await loaded.instantiate(config, {}), loaded.configSchema);
 */
export function graphSchemas(graph: CompiledGraph, configSchema?: z.ZodType): GraphSchemas {
  const builder = (graph as unknown as { builder?: Builder }).builder;
  const own = (builder && (fromStateSchema(builder) ?? fromZod(graph, builder))) ?? fromChannels(graph);
  const config = own.config ?? (configSchema ? safely(() => z.toJSONSchema(configSchema, { unrepresentable: "any" }) as JsonSchema) : undefined) ?? null;
  return {
    input_schema: own.input ?? null,
    output_schema: own.output ?? null,
    state_schema: own.state ?? null,
    config_schema: config,
    context_schema: config,
  };
}

interface Found {
  state?: JsonSchema;
  input?: JsonSchema;
  output?: JsonSchema;
  config?: JsonSchema;
}

function fromStateSchema(builder: Builder): Found | undefined {
  const like = (v: unknown): v is { getJsonSchema(): JsonSchema; getInputJsonSchema(): JsonSchema } =>
    typeof (v as { getJsonSchema?: unknown } | null)?.getJsonSchema === "function" && typeof (v as { getInputJsonSchema?: unknown }).getInputJsonSchema === "function";
  const state = builder._schemaRuntimeDefinition;
  if (!like(state)) return undefined;
  const input = builder._inputRuntimeDefinition;
  const output = builder._outputRuntimeDefinition;
  return {
    state: state.getJsonSchema(),
    input: like(input) ? input.getInputJsonSchema() : state.getInputJsonSchema(),
    output: like(output) ? output.getJsonSchema() : state.getJsonSchema(),
  };
}

function fromZod(graph: CompiledGraph, builder: Builder): Found | undefined {
  const registered = safely(() => ({
    state: getUpdateTypeSchema(graph) as JsonSchema | undefined,
    input: getInputTypeSchema(graph) as JsonSchema | undefined,
    output: getOutputTypeSchema(graph) as JsonSchema | undefined,
    config: getConfigTypeSchema(graph) as JsonSchema | undefined,
  }));
  if (registered && Object.values(registered).some((v) => v)) return registered;
  const convert = (schema: unknown) => (isZod(schema) ? safely(() => toJsonSchema(schema as never) as JsonSchema) : undefined);
  const state = convert(builder._schemaRuntimeDefinition);
  if (!state) return undefined;
  return {
    state,
    input: convert(builder._inputRuntimeDefinition) ?? { ...state, required: undefined },
    output: convert(builder._outputRuntimeDefinition) ?? state,
    ...(convert(builder._configRuntimeSchema) ? { config: convert(builder._configRuntimeSchema) } : {}),
  };
}

const MESSAGE = { type: "object", description: "A LangChain message", properties: { type: { type: "string" }, content: {} }, additionalProperties: true };

function fromChannels(graph: CompiledGraph): Found {
  const channels = Object.keys((graph as unknown as { channels?: Record<string, unknown> }).channels ?? {}).filter((key) => !key.startsWith("__") && !key.includes(":"));
  const properties = Object.fromEntries(channels.map((key) => [key, key === "messages" ? { type: "array", items: MESSAGE } : {}]));
  const schema = { type: "object", title: "State", properties };
  return { state: schema, input: schema, output: schema };
}

function isZod(value: unknown): boolean {
  return typeof (value as { safeParse?: unknown } | null)?.safeParse === "function";
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * The graph as nodes and edges (LangGraph's drawable graph), with its
 * subgraphs expanded to `xray` levels.
 */
export async function drawGraph(graph: CompiledGraph, xray?: boolean | number): Promise<unknown> {
  const drawable = await graph.getGraphAsync({ ...(xray !== undefined ? { xray } : {}) } as never);
  return drawable.toJSON();
}

/** The graph's subgraphs by namespace (under `namespace` only, when given), each with its schemas. */
export async function describeSubgraphs(graph: CompiledGraph, options: { namespace?: string; recurse?: boolean } = {}): Promise<Record<string, GraphSchemas>> {
  const out: Record<string, GraphSchemas> = {};
  for await (const [ns, subgraph] of graph.getSubgraphsAsync(options.namespace, options.recurse ?? false)) {
    out[ns] = graphSchemas(subgraph as CompiledGraph);
  }
  return out;
}
