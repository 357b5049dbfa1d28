import { isBaseMessage, isBaseMessageChunk } from "@langchain/core/messages";

/**
 * Graph values and stream chunks as plain JSON, in the shape LangGraph's
 * server sends: a LangChain message becomes its fields plus `type`
 * (`{ type: "ai", content, tool_calls, id, ... }`), not its constructor
 * serialisation (`toJSON`, which JSON.stringify would call first); anything
 * else goes through JSON as is.
 *
 * @example
 * toJson({ messages: [new HumanMessage("hi")] }) // { messages: [{ type: "human", content: "hi", ... }] }
 */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(plain(value, 0, new Set())) ?? "null");
}

const MAX_DEPTH = 64;

// `path` holds the objects being converted above this one: callback events
// carry configs that refer back to themselves.
function plain(value: unknown, depth: number, path: Set<object>): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? value.toString() : typeof value === "function" ? undefined : value;
  if (depth > MAX_DEPTH) return "[too deep]";
  if (path.has(value)) return "[circular]";
  path.add(value);
  try {
    return convert(value, depth, path);
  } finally {
    path.delete(value);
  }
}

function convert(value: object, depth: number, path: Set<object>): unknown {
  if (isBaseMessage(value)) {
    const { type, data } = value.toDict();
    // A streamed piece is told from a whole message the way LangGraph's
    // server tells it: by a type such as "AIMessageChunk".
    const chunk = isBaseMessageChunk(value) ? `${capitalise(type)}MessageChunk` : type;
    return { ...(plain(data, depth + 1, path) as Record<string, unknown>), type: chunk };
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1, path));
  if (value instanceof Error) return { error: value.name, message: value.message };
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v, depth + 1, path)]));
  if (value instanceof Set) return [...value].map((v) => plain(v, depth + 1, path));
  // Dates and other objects that serialise themselves.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, depth + 1, path);
  return out;
}

function capitalise(type: string): string {
  if (type === "ai") return "AI";
  if (type === "generic") return "Chat";
  return type.charAt(0).toUpperCase() + type.slice(1);
}
