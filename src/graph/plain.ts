import { isAIMessage, isBaseMessage, isToolMessage, type BaseMessage } from "@langchain/core/messages";

/** A message as plain data, in the shape the LangGraph API uses (`type`, `content`, …). */
export interface PlainMessage {
  type: string;
  content: BaseMessage["content"];
  id?: string;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

/**
 * State values with every LangChain message turned into plain data, so
 * JSON output shows `{ type: "human", content }` rather than LangChain's
 * constructor serialisation.
 */
export function toPlain(value: unknown): unknown {
  if (isBaseMessage(value)) return plainMessage(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

function plainMessage(m: BaseMessage): PlainMessage {
  const plain: PlainMessage = { type: m.getType(), content: m.content };
  if (m.id) plain.id = m.id;
  if (m.name) plain.name = m.name;
  if (isAIMessage(m) && m.tool_calls?.length) plain.tool_calls = m.tool_calls;
  if (isToolMessage(m)) plain.tool_call_id = m.tool_call_id;
  return plain;
}
