import type { BaseMessage } from "@langchain/core/messages";
import { toolCallIdOf, toolCallsOf } from "./messages.js";

/**
 * The smallest piece of history that may be kept or dropped: a user message,
 * a plain assistant reply, a system note, or an assistant tool-call message
 * together with every one of its tool results. Providers reject a tool result
 * whose call is missing and a tool call whose result is missing, so a unit is
 * never split.
 */
export interface MessageUnit {
  kind: "user" | "assistant" | "tools" | "system";
  messages: BaseMessage[];
}

export interface DroppedMessage {
  id?: string;
  reason: "orphan_tool_result" | "unanswered_tool_call";
}

/** A user message and the assistant's reply chain up to the next user message. */
export interface Turn {
  units: MessageUnit[];
}

export interface GroupedHistory {
  units: MessageUnit[];
  /** Messages that can never be sent as they are (provider-invalid), with why. */
  dropped: DroppedMessage[];
}

/**
 * Groups messages (oldest first) into atomic units. Tool results that answer
 * no preceding call of the same assistant message are orphans; assistant
 * tool-call messages whose calls are not all answered are incomplete; both
 * are dropped and reported rather than sent.
 *
 * @example
 * const { units } = groupUnits([human, aiWithCall, toolResult, aiReply]);
 * units.map((u) => u.kind); // ["user", "tools", "assistant"]
 */
export function groupUnits(messages: readonly BaseMessage[]): GroupedHistory {
  const units: MessageUnit[] = [];
  const dropped: DroppedMessage[] = [];
  let open: { unit: MessageUnit; pending: Set<string> } | undefined;

  const closeOpen = () => {
    if (!open) return;
    if (open.pending.size === 0) units.push(open.unit);
    else for (const m of open.unit.messages) dropped.push({ id: m.id, reason: m.type === "ai" ? "unanswered_tool_call" : "orphan_tool_result" });
    open = undefined;
  };

  for (const message of messages) {
    if (message.type === "tool") {
      const callId = toolCallIdOf(message);
      if (open && callId !== undefined && open.pending.has(callId)) {
        open.pending.delete(callId);
        open.unit.messages.push(message);
      } else {
        dropped.push({ id: message.id, reason: "orphan_tool_result" });
      }
      continue;
    }
    closeOpen();
    const calls = toolCallsOf(message);
    if (calls.length > 0) {
      open = { unit: { kind: "tools", messages: [message] }, pending: new Set(calls.map((c) => c.id)) };
      continue;
    }
    const kind = message.type === "ai" ? "assistant" : message.type === "system" ? "system" : "user";
    units.push({ kind, messages: [message] });
  }
  closeOpen();
  return { units, dropped };
}

/**
 * Splits units into turns, each starting at a user unit. Units before the
 * first user message form a turn of their own.
 */
export function groupTurns(units: readonly MessageUnit[]): Turn[] {
  const turns: Turn[] = [];
  for (const unit of units) {
    const last = turns[turns.length - 1];
    if (unit.kind === "user" || !last) turns.push({ units: [unit] });
    else last.units.push(unit);
  }
  return turns;
}

export function unitMessages(units: readonly MessageUnit[]): BaseMessage[] {
  return units.flatMap((u) => u.messages);
}
