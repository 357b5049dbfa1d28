import type { BaseMessage } from "@langchain/core/messages";
import type { MemoryScope, RecallSearcher } from "../memory/types.js";
import type { QueryRewriter } from "./rewrite.js";
import type { DroppedMessage } from "./turns.js";

/** How the history part of the context window is chosen. */
export type HistoryStrategy = "full" | "window" | "summarise" | "retrieval" | "hybrid";

/** Counts tokens of messages the way the target model's tokenizer does (or approximates it). */
export interface TokenCounter {
  /** True when counts are exact for the model (tiktoken for OpenAI models). */
  readonly exact: boolean;
  countText(text: string): number;
  /** Tokens of the messages as sent, including per-message overhead. */
  countMessages(messages: readonly BaseMessage[]): number;
}

/** Token budget of one model call, split across its parts. */
export interface ContextBudget {
  /** Total tokens the assembled prompt may use. */
  total: number;
  /** Share reserved for system prompt + compiled memory (tokens). */
  system: number;
  /** Share for verbatim history turns and the rolling summary (tokens). */
  history: number;
  /** Share for retrieved past turns (tokens). */
  retrieved: number;
  /** Share for the new input (tokens). */
  input: number;
}

export interface ContextOptions {
  strategy: HistoryStrategy;
  budget: ContextBudget;
  /** For window/hybrid: how many most recent turns stay verbatim. */
  windowTurns: number;
  /** Summarise when history passes this fraction of its budget (0..1). */
  summariseAt: number;
  /** For retrieval/hybrid: how many relevant past messages are considered at most (shown best-first as the budget allows). */
  retrieveK: number;
  /** Most tokens the rolling summary may take (part of the history share). Default: a quarter of `budget.history`. */
  summaryMaxTokens?: number;
  /**
   * Where retrieval searches recall memory: all of the user's threads with this
   * assistant ("user", the default — recall is long-term memory across
   * conversations) or only the current thread ("thread").
   */
  retrievalScope?: "user" | "thread";
  /**
   * Before retrieval, ask the chat model for more search words (synonyms,
   * the names things may have had): one more model call per turn, off by
   * default. Needs `rewrite` in the assembly's input; a failed call adds no words.
   */
  rewriteQuery?: boolean;
}

export interface AssembleInput {
  systemPrompt: string;
  /** The thread's history, oldest first, including the newest user message last. */
  messages: readonly BaseMessage[];
  /** The rolling summary of turns folded out of `messages`, if any. */
  summary?: string;
  scope: MemoryScope;
  threadId: string;
  recall?: RecallSearcher;
  counter: TokenCounter;
  options: ContextOptions;
  /** The query rewriter `options.rewriteQuery` uses (see `createQueryRewriter`). */
  rewrite?: QueryRewriter;
}

export interface AssembledContext {
  /** What is sent to the model, system message first. */
  messages: BaseMessage[];
  tokens: { system: number; summary: number; history: number; retrieved: number; input: number; total: number };
  /** Ids of thread/recall messages included verbatim or retrieved (for evaluation). */
  includedIds: string[];
  /** Ids of the recall messages retrieved into the system message (the tail of `includedIds`). */
  retrievedIds: string[];
  /** Messages (oldest first) that should be folded into the summary now, if the strategy summarises. */
  toSummarise: BaseMessage[];
  /** Provider-invalid messages left out (orphan tool results, unanswered tool calls). */
  dropped: DroppedMessage[];
}
