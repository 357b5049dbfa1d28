import { Annotation, messagesStateReducer, type Messages } from "@langchain/langgraph";
import type { BaseMessage } from "@langchain/core/messages";
import type { AssembledContext } from "../window/types.js";

/**
 * What the last context assembly decided, in compact form. The window itself
 * (the messages sent) is not checkpointed: it is rebuilt from `messages`,
 * `summary` and `systemPrompt` by the same deterministic assembly before every
 * model call, because tool results arrive after load_memory ran and must fit
 * the same budget, and because storing the window would copy the history into
 * every checkpoint.
 */
export interface ContextWindow {
  /** The system prompt compiled from memory; recompiled after tools ran, so memory edits show at once. */
  systemPrompt: string;
  /** Ids of thread and recall messages in the last assembled window. */
  includedIds: string[];
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
  context: Annotation<ContextWindow | null>({ reducer: replace, default: () => null }),
  usage: Annotation<TokenUsage>({ reducer: replace, default: () => EMPTY_USAGE }),
});

export type AgentStateType = typeof AgentState.State;
export type AgentUpdate = typeof AgentState.Update;
