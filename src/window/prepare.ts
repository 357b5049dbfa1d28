import { RemoveMessage } from "@langchain/core/messages";
import { assembleContext } from "./assemble.js";
import { summaryMaxTokens } from "./history.js";
import { summariseSafely, type MessageDating, type SummaryModel } from "./summarise.js";
import type { AssembleInput, AssembledContext } from "./types.js";

export interface PrepareInput extends AssembleInput {
  /** Model that writes the rolling summary; without it nothing is folded. */
  summaryModel?: SummaryModel;
  /** When each message was said (e.g. its recall time), so the summary keeps dated lines (see `SummariseParams.dateOf`). */
  dateOf?: MessageDating;
  signal?: AbortSignal;
}

export interface PreparedContext {
  context: AssembledContext;
  /** The summary to store in the thread's state (unchanged when nothing was folded). */
  summary?: string;
  /** State updates removing the folded messages from the thread (empty when nothing was folded). */
  removals: RemoveMessage[];
  /** Why folding failed, when it did; the run goes on with the messages in place. */
  summaryError?: Error;
}

/**
 * Assembles the context and, when the strategy asks for it, folds the oldest
 * messages into the rolling summary and assembles again. A failed summary
 * changes nothing: the old summary and every message stay, and the first
 * context (already within budget) is used. The folded messages must already
 * be in recall memory (append each message there when it is added to the
 * thread), so removing them from the thread loses nothing.
 *
 * @example
 * const { context, summary, removals } = await prepareContext({ ...assembleInput, summaryModel: model });
 * const reply = await model.invoke(context.messages);
 * return { messages: [...removals, reply], summary };
 */
export async function prepareContext(input: PrepareInput): Promise<PreparedContext> {
  const first = await assembleContext(input);
  const folded = first.toSummarise;
  if (!input.summaryModel || folded.length === 0 || folded.some((m) => !m.id)) {
    return { context: first, ...(input.summary === undefined ? {} : { summary: input.summary }), removals: [] };
  }
  const result = await summariseSafely({
    model: input.summaryModel,
    ...(input.summary === undefined ? {} : { previousSummary: input.summary }),
    messages: folded,
    counter: input.counter,
    maxTokens: summaryMaxTokens(input.options),
    ...(input.dateOf ? { dateOf: input.dateOf } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (!result.ok) {
    return { context: first, ...(input.summary === undefined ? {} : { summary: input.summary }), removals: [], summaryError: result.error };
  }
  const foldedSet = new Set(folded);
  const remaining = input.messages.filter((m) => !foldedSet.has(m));
  const context = await assembleContext({ ...input, messages: remaining, summary: result.summary });
  return { context, summary: result.summary, removals: folded.map((m) => new RemoveMessage({ id: m.id! })) };
}
