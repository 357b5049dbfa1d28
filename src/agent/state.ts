import { Annotation, messagesStateReducer, type Messages } from "@langchain/langgraph";
import type { BaseMessage } from "@langchain/core/messages";
import type { AssembledContext, ContextBudget, HistoryStrategy } from "../window/types.js";

/**
 * What the last context assembly decided, in compact form: references and
 * counts only, never text. Neither the window (the messages sent) nor the
 * system prompt compiled from memory is checkpointed: both are rebuilt before
 * every model call, the prompt from memory as it is then (so memory edits of
 * this turn's tools show at once) and the window from `messages` and
 * `summary` by the same deterministic assembly, because tool results arrive
 * after load_memory ran and must fit the same budget, and because storing
 * either would copy the history and the user's memory into every checkpoint.
 */
export interface ContextWindow {
  /**
   * The time the turn's memory was compiled for (ISO 8601), shown to the model
   * as the current time: every model call of the turn compiles its prompt with
   * it, so the same memory gives the same prompt and the same window.
   */
  compiledAt: string;
  /** The history strategy and token budget the window was assembled under. */
  strategy: HistoryStrategy;
  budget: ContextBudget;
  /** Ids of thread and recall messages in the last assembled window (retrieved ones included). */
  includedIds: string[];
  /** Ids of the recall messages retrieved into the window (a subset of `includedIds`). */
  retrievedIds: string[];
  /** Whether the rolling summary (`summary`) was sent. */
  summaryIncluded: boolean;
  /** Token counts of the last assembled window, by part. */
  tokens: AssembledContext["tokens"];
  /** Ids of the oldest messages to fold into the summary at the end of the turn (empty: no need). */
  summariseIds: string[];
}

/** Token usage reported by the chat model: of the last call and summed over the thread. */
export interface TokenUsage {
  lastInput: number;
  lastOutput: number;
  totalInput: number;
  totalOutput: number;
  calls: number;
}

export const EMPTY_USAGE: TokenUsage = { lastInput: 0, lastOutput: 0, totalInput: 0, totalOutput: 0, calls: 0 };

const replace = <T>(_: T, next: T) => next;

/**
 * Keeps only the fields of `ContextWindow`. Checkpoints written by earlier
 * versions carry the whole compiled system prompt (`systemPrompt`, memory
 * blocks included) in `context`; such a value still loads, and the next write
 * of `context` (every model call makes one) leaves that copy behind, even when
 * a node spreads the old value into its update.
 */
export function compactWindow(window: ContextWindow | null | undefined): ContextWindow | null {
  if (!window) return null;
  const w = window as Partial<ContextWindow>;
  return {
    compiledAt: typeof w.compiledAt === "string" ? w.compiledAt : "",
    ...(w.strategy ? { strategy: w.strategy } : {}),
    ...(w.budget ? { budget: { ...w.budget } } : {}),
    includedIds: [...(w.includedIds ?? [])],
    retrievedIds: [...(w.retrievedIds ?? [])],
    summaryIncluded: w.summaryIncluded ?? (w.tokens?.summary ?? 0) > 0,
    ...(w.tokens ? { tokens: { ...w.tokens } } : {}),
    summariseIds: [...(w.summariseIds ?? [])],
  } as ContextWindow;
}

/**
 * The state of the agent graph: the thread's messages (LangGraph's messages
 * reducer, so `RemoveMessage` folds messages out), the rolling summary of what
 * was folded, the compact context window and token usage.
 *
 * @example
 * const graph = new StateGraph(AgentState).addNode("agent", callModel).compile();
 */
export const AgentState = Annotation.Root({
  messages: Annotation<BaseMessage[], Messages>({ reducer: messagesStateReducer, default: () => [] }),
  summary: Annotation<string>({ reducer: replace, default: () => "" }),
  context: Annotation<ContextWindow | null>({ reducer: (_, next) => compactWindow(next), default: () => null }),
  usage: Annotation<TokenUsage>({ reducer: replace, default: () => EMPTY_USAGE }),
});

export type AgentStateType = typeof AgentState.State;
export type AgentUpdate = typeof AgentState.Update;
