import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { TokenCounter } from "./types.js";
import { roleOf, textOf, toolCallsOf } from "./messages.js";
import { formatDay } from "../memory/prompt.js";

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
  /**
   * When each message was said (e.g. its time in recall memory, the session
   * date), so the transcript the model reads, and the summary it writes, keeps
   * dated lines: "[2024-03-02] user: …". Messages without a date are undated.
   */
  dateOf?: MessageDating;
  signal?: AbortSignal;
}

/** The date a message was said, or undefined when it is not known. */
export type MessageDating = (message: BaseMessage) => Date | undefined;

/** Tool results can be huge (documents, listings); the summary needs their gist, not all of it. */
const MAX_TOOL_RESULT_CHARS = 2000;

const INSTRUCTIONS = (maxWords: number) =>
  [
    "You maintain the rolling summary of a conversation between a user and an assistant.",
    "Rewrite the current summary so that it also covers the new messages.",
    `Be concise: at most about ${maxWords} words.`,
    "Preserve facts about the user and their world: names, numbers, dates, places, preferences, decisions, commitments and open tasks.",
    "Write one fact per line, starting with the date it was said and who said it, as the new messages are written: " +
      '"[2024-03-02] user: her sister Priya moved to Lyon". Keep the date and speaker of every fact you carry over.',
    "When a new message changes an earlier fact (a move, a new job, a corrected date), keep only the latest value, with its date.",
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
        `Current summary:\n${params.previousSummary?.trim() || "(none yet)"}\n\nNew messages:\n${transcript(params.messages, params.dateOf)}`,
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

/**
 * The messages as a plain transcript the summary model can read, one line
 * each, attributed and, where `dateOf` knows it, dated:
 * "[2024-03-02] user: I moved to Lyon."
 */
export function transcript(messages: readonly BaseMessage[], dateOf?: MessageDating): string {
  return messages.map((m) => datedLine(m, dateOf?.(m))).join("\n");
}

/** One message as a transcript line: "[2024-03-02] user: …" (undated: "user: …"). */
export function datedLine(message: BaseMessage, date?: Date): string {
  const role = roleOf(message);
  const text = textOf(message);
  const stamp = date && !Number.isNaN(date.getTime()) ? `[${formatDay(date)}] ` : "";
  if (role === "tool") return `${stamp}tool result: ${text.length > MAX_TOOL_RESULT_CHARS ? `${text.slice(0, MAX_TOOL_RESULT_CHARS)}…` : text}`;
  const calls = toolCallsOf(message).map((c) => `[called ${c.function.name}(${c.function.arguments})]`);
  return `${stamp}${role}: ${[text, ...calls].filter((part) => part.length > 0).join(" ")}`;
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
  // Sentences keep the whitespace after them, so a summary of one fact per line keeps its lines.
  const sentences = text.match(/[^.!?\n]+[.!?]*\s*|[.!?]+\s*|\s+/g) ?? [text];
  let kept = "";
  for (const sentence of sentences) {
    const next = kept + sentence;
    if (counter.countText(next.trim()) > maxTokens) break;
    kept = next;
  }
  return kept.trim().length > 0 ? kept.trim() : undefined;
}
