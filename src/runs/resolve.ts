import { coerceMessageLikeToMessage } from "@langchain/core/messages";
import { InvalidInputError } from "../errors.js";
import type { RunRequest } from "./request.js";

// Keys of LangGraph's own (checkpoint_map, __pregel_*), and the services
// the core puts in the run context, are never taken from a request or an
// assistant: they would reach inside the graph's machinery.
const RESERVED_CONFIGURABLE = /^(__|checkpoint_(?!id$))/;
const RESERVED_CONTEXT = new Set(["db", "chatModel", "embeddings"]);

/**
 * The request with the assistant's config and context under it; refuses
 * keys that are the runtime's to set.
 */
export function resolveRequest(request: RunRequest, assistant: { config: Record<string, unknown>; context: Record<string, unknown> }): RunRequest {
  const base = (assistant.config.configurable ?? {}) as Record<string, unknown>;
  const configurable = { ...base, ...request.config?.configurable };
  const context = { ...assistant.context, ...request.context };
  const reserved = [
    ...Object.keys(configurable).filter((key) => RESERVED_CONFIGURABLE.test(key)).map((key) => `config.configurable.${key}`),
    ...Object.keys(context).filter((key) => RESERVED_CONTEXT.has(key)).map((key) => `context.${key}`),
  ];
  if (reserved.length) throw new InvalidInputError(`${reserved.join(", ")} ${reserved.length > 1 ? "are" : "is"} set by the runtime, not by a run`);
  const checkpointId = request.checkpointId ?? (typeof configurable.checkpoint_id === "string" ? configurable.checkpoint_id : undefined);
  delete configurable.checkpoint_id;
  return {
    ...request,
    config: { ...(assistant.config as RunRequest["config"]), ...request.config, configurable },
    context,
    ...(checkpointId ? { checkpointId } : {}),
  };
}

/**
 * Refuses input keys the graph has no channel for, which LangGraph would
 * silently drop (a typo would lose the input).
 */
export function checkInputKeys(graph: { id: string; inputChannels?: string[]; stateSchema?: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } } }, input: unknown): void {
  if (!input || typeof input !== "object" || Array.isArray(input)) return;
  const checked = graph.stateSchema?.safeParse(input);
  if (checked && !checked.success) {
    const issue = checked.error!.issues[0]!;
    throw new InvalidInputError(`invalid input for graph "${graph.id}": ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  if (!graph.inputChannels) return;
  const unknown = Object.keys(input).filter((key) => !graph.inputChannels!.includes(key));
  if (unknown.length) {
    throw new InvalidInputError(`graph "${graph.id}" has no channel ${unknown.map((k) => `"${k}"`).join(", ")} for input; its channels: ${graph.inputChannels.join(", ") || "none"}`);
  }
}

/**
 * Refuses `messages` in run input that LangGraph could not turn into
 * messages: it would store the input and then fail on every read of the
 * thread's state.
 */
export function checkInputMessages(input: unknown): void {
  if (!input || typeof input !== "object" || !("messages" in input)) return;
  const raw = (input as { messages: unknown }).messages;
  const list = Array.isArray(raw) ? raw : [raw];
  list.forEach((message, i) => {
    try {
      coerceMessageLikeToMessage(message as never);
    } catch (err) {
      const where = Array.isArray(raw) ? `input.messages[${i}]` : "input.messages";
      throw new InvalidInputError(`${where} is not a message: ${((err as Error).message ?? String(err)).split("\n")[0]}`);
    }
  });
}
