import { randomUUID } from "node:crypto";
import type { BaseMessage } from "@langchain/core/messages";
import type { MessageRole, ToolCallRecord } from "./types.js";

/** A message as recall memory stores it (before the database adds the time). */
export interface RecallRecord {
  id: string;
  role: MessageRole;
  content: string;
  toolCalls?: ToolCallRecord[];
  toolCallId?: string;
}

const ROLE_BY_TYPE: Record<string, MessageRole> = {
  human: "user",
  ai: "assistant",
  tool: "tool",
  function: "tool",
  system: "system",
  developer: "system",
};

const ROLE_BY_NAME: Record<string, MessageRole> = {
  user: "user",
  human: "user",
  assistant: "assistant",
  ai: "assistant",
  tool: "tool",
  system: "system",
};

/**
 * Maps a LangChain message to what recall memory keeps, or undefined for
 * messages that are not conversation (e.g. RemoveMessage). A message without
 * an id is given one in place, so appending the same object again stays a
 * no-op and the caller's state carries the id recall memory knows it by.
 */
export function toRecallRecord(message: BaseMessage): RecallRecord | undefined {
  const type = message.type as string;
  const role = type === "generic" ? ROLE_BY_NAME[String((message as { role?: unknown }).role)] : ROLE_BY_TYPE[type];
  if (!role) return undefined;
  if (!message.id) message.id = randomUUID();
  const record: RecallRecord = { id: message.id, role, content: flattenContent(message.content) };
  const toolCalls = (message as { tool_calls?: { id?: string; name: string; args: unknown }[] }).tool_calls;
  if (role === "assistant" && toolCalls?.length) {
    record.toolCalls = toolCalls.map((c) => ({
      id: c.id ?? "",
      name: c.name,
      args: (c.args && typeof c.args === "object" ? c.args : {}) as Record<string, unknown>,
    }));
  }
  const toolCallId = (message as { tool_call_id?: unknown }).tool_call_id;
  if (role === "tool" && typeof toolCallId === "string") record.toolCallId = toolCallId;
  return record;
}

/**
 * Text of a message's content: strings as they are, content blocks joined by
 * newlines (text blocks by their text, other blocks by a short placeholder so
 * a search result still shows that something was there).
 */
export function flattenContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content == null ? "" : JSON.stringify(content);
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === "string") parts.push(block);
    else if (block && typeof block === "object") {
      const b = block as { type?: unknown; text?: unknown };
      if (typeof b.text === "string") parts.push(b.text);
      else if (typeof b.type === "string" && b.type !== "tool_use") parts.push(`[${b.type}]`);
    }
  }
  return parts.join("\n");
}
