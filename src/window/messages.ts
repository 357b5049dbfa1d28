import type { BaseMessage } from "@langchain/core/messages";
import type { MessageRole } from "../memory/types.js";

/** A tool call in the wire shape OpenAI's chat API uses (what providers see). */
export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** The role a message is sent with; "remove"/"generic" never reach a provider, so they read as user text. */
export function roleOf(message: BaseMessage): MessageRole {
  switch (message.type) {
    case "ai":
      return "assistant";
    case "tool":
      return "tool";
    case "system":
      return "system";
    default:
      return "user";
  }
}

/** The plain text of a message: its string content, or the text parts of a content-block array. */
export function textOf(message: BaseMessage): string {
  const content: unknown = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) => {
      if (typeof block === "string") return block;
      const b = block as { type?: string; text?: unknown };
      return b.type === "text" && typeof b.text === "string" ? b.text : "";
    })
    .filter((t) => t.length > 0)
    .join("\n");
}

/** Content blocks that are not text (images, audio, files); counted separately by the token counters. */
export function nonTextBlocks(message: BaseMessage): unknown[] {
  const content: unknown = message.content;
  if (!Array.isArray(content)) return [];
  return content.filter((block: unknown) => typeof block !== "string" && (block as { type?: string }).type !== "text");
}

/** Tool calls of an AI message (empty for any other message). */
export function toolCallsOf(message: BaseMessage): WireToolCall[] {
  if (message.type !== "ai") return [];
  const calls = (message as { tool_calls?: { id?: string; name: string; args: unknown }[] }).tool_calls ?? [];
  return calls.map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
  }));
}

/** The tool call id a tool result answers, or undefined for any other message. */
export function toolCallIdOf(message: BaseMessage): string | undefined {
  if (message.type !== "tool") return undefined;
  const id = (message as { tool_call_id?: unknown }).tool_call_id;
  return typeof id === "string" ? id : undefined;
}
