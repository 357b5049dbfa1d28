import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { TokenCounter } from "./types.js";
import { roleOf, textOf, toolCallsOf } from "./messages.js";

/** The one thing summarisation needs of a chat model; any LangChain chat model fits. */
export interface SummaryModel {
  invoke(messages: BaseMessage[], options?: { signal?: AbortSignal }): Promise<{ content: unknown }>;
}

export type SummaryResult = { ok: true; summary: string } | { ok: false; error: Error };

export interface SummariseParams {
  model: SummaryModel;
  previousSummary?: string;
  /** Messages to fold in, oldest first. */
  messages: readonly BaseMessage[];
  counter: TokenCounter;
  /** Most tokens the new summary may take; a longer reply is cut at a sentence boundary. */
  maxTokens: number;
  signal?: AbortSignal;
}

/** Tool results can be huge (documents, listings); the summary needs their gist, not all of it. */
const MAX_TOOL_RESULT_CHARS = 2000;

const INSTRUCTIONS = (maxWords: number) =>
  [
    "You maintain the rolling summary of a conversation between a user and an assistant.",
    "Rewrite the current summary so that it also covers the new messages.",
    `Be concise: at most about ${maxWords} words.`,
    "Preserve facts about the user and their world: names, numbers, dates, places, preferences, decisions, commitments and open tasks.",
    "When a new message changes an earlier fact (a move, a new job, a corrected date), keep only the latest value.",
    "Reply with the summary only, no preamble.",
  ].join("\n");

/**
 * Folds `messages` into `previousSummary` with one model call. Never throws
 * and never passes an error off as a summary: any failure (the call throws,
 * is aborted, or returns no text) comes back as `{ ok: false, error }`, and
 * the caller keeps its messages and old summary as they were.
 *
 * @example
 * const result = await summariseSafely({ model, previousSummary, messages: context.toSummarise, counter, maxTokens: 1000 });
 * if (result.ok) state.summary = result.summary; // and remove the folded messages
 */
export async function summariseSafely(params: SummariseParams): Promise<SummaryResult> {
  try {
    if (params.messages.length === 0) return { ok: true, summary: params.previousSummary ?? "" };
    if (!Number.isInteger(params.maxTokens) || params.maxTokens < 1) {
      return { ok: false, error: new Error(`maxTokens must be a positive integer, got ${params.maxTokens}`) };
    }
    const prompt = [
      new SystemMessage(INSTRUCTIONS(Math.max(20, Math.floor(params.maxTokens * 0.75)))),
      new HumanMessage(
        `Current summary:\n${params.previousSummary?.trim() || "(none yet)"}\n\nNew messages:\n${transcript(params.messages)}`,
      ),
    ];
    const reply = await params.model.invoke(prompt, params.signal ? { signal: params.signal } : undefined);
    const text = replyText(reply.content).trim();
    if (text.length === 0) return { ok: false, error: new Error("the summary model returned no text") };
    const summary = fitTokens(text, params.counter, params.maxTokens);
    if (summary === undefined) {
      return { ok: false, error: new Error(`the summary's first sentence alone exceeds ${params.maxTokens} tokens`) };
    }
    return { ok: true, summary };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** The messages as a plain transcript the summary model can read. */
export function transcript(messages: readonly BaseMessage[]): string {
  return messages
    .map((m) => {
      const role = roleOf(m);
      const text = textOf(m);
      if (role === "tool") return `tool result: ${text.length > MAX_TOOL_RESULT_CHARS ? `${text.slice(0, MAX_TOOL_RESULT_CHARS)}…` : text}`;
      const calls = toolCallsOf(m).map((c) => `[called ${c.function.name}(${c.function.arguments})]`);
      return `${role}: ${[text, ...calls].filter((part) => part.length > 0).join(" ")}`;
    })
    .join("\n");
}

function replyText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) => {
      const b = block as { type?: string; text?: unknown };
      return typeof block === "string" ? block : b.type === "text" && typeof b.text === "string" ? b.text : "";
    })
    .join("");
}

/** The longest prefix of whole sentences within `maxTokens`, or undefined if not even one fits. */
export function fitTokens(text: string, counter: TokenCounter, maxTokens: number): string | undefined {
  if (counter.countText(text) <= maxTokens) return text;
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n+|$)/g) ?? [text];
  let kept = "";
  for (const sentence of sentences) {
    const next = kept + sentence;
    if (counter.countText(next.trim()) > maxTokens) break;
    kept = next;
  }
  return kept.trim().length > 0 ? kept.trim() : undefined;
}
