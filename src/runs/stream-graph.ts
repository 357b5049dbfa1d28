import type { StreamMode } from "@langchain/langgraph";
import type { CompiledGraph } from "../graph/kinds.js";
import { toJson } from "../stream/serialize.js";
import type { RunStreamMode } from "./request.js";

/** One event of a run's stream, named as LangGraph's server names it. */
export interface GraphEvent {
  event: string;
  data: unknown;
}

/**
 * How the stream modes of the LangGraph API map onto LangGraph.js's own:
 * `messages-tuple` is the library's `messages` (token tuples); the API's
 * `messages` is the older format (`messages/partial`, `messages/metadata`,
 * `messages/complete`), built from the model's callback events and whole
 * messages in `values`; `events` is every callback event. Those two need
 * `streamEvents`, the rest the cheaper `stream`.
 */
export function planStream(modes: readonly RunStreamMode[]): { lib: StreamMode[]; viaEvents: boolean } {
  const lib = new Set<StreamMode>();
  for (const mode of modes) {
    if (mode === "messages-tuple") lib.add("messages");
    else if (mode === "messages") lib.add("values");
    else if (mode !== "events") lib.add(mode);
  }
  return { lib: [...lib], viaEvents: modes.includes("events") || modes.includes("messages") };
}

type Chunk = [string[], string, unknown];

/**
 * Streams a graph run as the API's events, in order. `config.runId` must be
 * set: it tells the graph's own stream chunks from its nodes' callbacks.
 */
export async function* streamGraph(
  graph: CompiledGraph,
  input: unknown,
  config: Record<string, unknown> & { runId: string },
  modes: readonly RunStreamMode[],
  subgraphs: boolean,
): AsyncGenerator<GraphEvent> {
  const { lib, viaEvents } = planStream(modes);
  const wanted = new Set<string>(modes);
  const options = { ...config, streamMode: lib, subgraphs };
  if (!viaEvents) {
    const stream = await graph.stream(input, options as never);
    for await (const chunk of stream as AsyncIterable<unknown[]>) {
      const event = fromChunk((subgraphs ? chunk : [[], ...chunk]) as Chunk, wanted);
      if (event) yield event;
    }
    return;
  }
  const legacy = wanted.has("messages") ? new LegacyMessages() : undefined;
  const events = graph.streamEvents(input, { ...options, version: "v2" } as never) as unknown as AsyncIterable<StreamEventV2>;
  for await (const e of events) {
    if (e.event === "on_chain_stream" && e.run_id === config.runId) {
      const chunk = (subgraphs ? e.data.chunk : [[], ...(e.data.chunk as unknown[])]) as Chunk;
      const event = fromChunk(chunk, wanted);
      if (event) yield event;
      if (legacy && chunk[1] === "values" && chunk[0].length === 0) yield* legacy.complete(chunk[2]);
      continue;
    }
    if (e.tags?.includes("langsmith:hidden")) continue;
    if (wanted.has("events")) yield { event: "events", data: toJson(e) };
    if (legacy && e.event === "on_chat_model_stream" && !e.tags?.includes("nostream")) yield* legacy.partial(e);
  }
}

interface StreamEventV2 {
  event: string;
  run_id: string;
  name?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  data: { chunk?: unknown; [key: string]: unknown };
}

function fromChunk([ns, mode, data]: Chunk, wanted: Set<string>): GraphEvent | undefined {
  const name = ns.length ? `${mode === "messages" ? "messages" : mode}|${ns.join("|")}` : mode;
  if (mode === "messages") return wanted.has("messages-tuple") ? { event: name, data: toJson(data) } : undefined;
  if (!wanted.has(mode)) return undefined;
  if (mode === "debug") return { event: name, data: debugEvent(data as DebugChunk) };
  if (mode === "checkpoints") return { event: name, data: checkpointPayload(data as Record<string, unknown>) };
  if (mode === "tasks") return { event: name, data: taskPayload(data as Record<string, unknown>) };
  return { event: name, data: toJson(data) };
}

interface DebugChunk {
  type: string;
  payload: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Debug events as LangGraph's server sends them: checkpoint payloads carry
 * `checkpoint` and `parent_checkpoint` references (Studio draws its
 * timeline from them) and `parent_config` in snake case, with the
 * library's internal configurable keys left out.
 */
function debugEvent(chunk: DebugChunk): unknown {
  if (chunk.type === "checkpoint") return toJson({ ...chunk, payload: checkpointPayload(chunk.payload) });
  if (chunk.type === "task_result" || chunk.type === "task") return toJson({ ...chunk, payload: taskPayload(chunk.payload) });
  return toJson(chunk);
}

function checkpointPayload(payload: Record<string, unknown>): unknown {
  const { parentConfig, ...rest } = payload;
  return toJson({
    ...rest,
    config: publicConfig(payload.config),
    parent_config: publicConfig(parentConfig),
    checkpoint: checkpointRef(payload.config),
    parent_checkpoint: checkpointRef(parentConfig),
    ...(Array.isArray(payload.tasks) ? { tasks: payload.tasks.map((t) => taskPayload(t as Record<string, unknown>)) } : {}),
  });
}

function taskPayload(task: Record<string, unknown>): unknown {
  const checkpoint = checkpointRef(task.state);
  if (!checkpoint) return toJson(task);
  const { state: _state, ...rest } = task;
  return toJson({ ...rest, checkpoint });
}

function publicConfig(config: unknown): unknown {
  const configurable = (config as { configurable?: Record<string, unknown> } | undefined)?.configurable;
  if (!configurable) return config ?? null;
  const { callbacks: _callbacks, ...rest } = config as Record<string, unknown>;
  return { ...rest, configurable: Object.fromEntries(Object.entries(configurable).filter(([key]) => !key.startsWith("__"))) };
}

function checkpointRef(config: unknown): Record<string, unknown> | null {
  const c = (config as { configurable?: Record<string, unknown> } | undefined)?.configurable;
  if (!c || typeof c.thread_id !== "string" || typeof c.checkpoint_id !== "string") return null;
  return {
    thread_id: c.thread_id,
    checkpoint_ns: typeof c.checkpoint_ns === "string" ? c.checkpoint_ns : "",
    checkpoint_id: c.checkpoint_id,
    checkpoint_map: c.checkpoint_map ?? null,
  };
}

/**
 * The API's older `messages` mode: a model's tokens as the message so far
 * (`messages/partial`), announced once with its metadata
 * (`messages/metadata`), and whole messages as they reach the state
 * (`messages/complete`).
 */
class LegacyMessages {
  private readonly partials = new Map<string, { concat(other: unknown): unknown }>();
  private readonly completed = new Set<string>();

  *partial(e: StreamEventV2): Generator<GraphEvent> {
    const message = e.data.chunk as { id?: string; concat(other: unknown): unknown } | undefined;
    if (!message?.id) return;
    const sofar = this.partials.get(message.id);
    if (!sofar) {
      this.partials.set(message.id, message);
      yield { event: "messages/metadata", data: { [message.id]: { metadata: toJson(e.metadata ?? {}) } } };
    } else {
      this.partials.set(message.id, sofar.concat(message) as typeof message);
    }
    yield { event: "messages/partial", data: [toJson(this.partials.get(message.id))] };
  }

  *complete(values: unknown): Generator<GraphEvent> {
    const raw = values && typeof values === "object" && "messages" in values ? (values as { messages: unknown }).messages : undefined;
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const fresh = list.filter((m) => {
      const id = (m as { id?: string } | null)?.id;
      if (!id || this.completed.has(id)) return false;
      this.completed.add(id);
      return true;
    });
    if (fresh.length) yield { event: "messages/complete", data: toJson(fresh) };
  }
}
