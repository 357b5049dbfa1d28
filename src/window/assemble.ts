import { SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { InvalidInputError } from "../errors.js";
import type { AssembleInput, AssembledContext } from "./types.js";
import { textOf } from "./messages.js";
import { planHistory } from "./history.js";
import type { RecallHit } from "../memory/types.js";
import { renderHit, retrieveRelevant, type RetrievedItem } from "./retrieve.js";
import { groupUnits, unitMessages, type MessageUnit } from "./turns.js";

export const SUMMARY_HEADING = "Summary of earlier conversation:";
export const RETRIEVED_HEADING = "Relevant earlier messages (from recall memory):";
const SECTION_SEPARATOR = "\n\n";

/**
 * Builds the messages of one model call within the token budget:
 *
 *   system message = system prompt [+ rolling summary] [+ retrieved past messages]
 *   then the chosen history, then the current turn (the newest user message
 *   and any tool calls and results that followed it).
 *
 * The summary and the retrieved messages share the single system message,
 * because several providers accept only one system message, first; their
 * tokens are still reported in their own buckets (`tokens.summary`,
 * `tokens.retrieved`), and `tokens.total` is the exact count of the returned
 * messages including the reply priming, which is charged to `input`.
 *
 * Guarantees: `tokens.total <= options.budget.total`; the current turn is
 * always sent whole; a tool-call message is never sent without all its
 * results and a tool result never without its call (provider-invalid ones are
 * listed in `dropped`). Retrieval searches all of the user's threads unless
 * `options.retrievalScope` is "thread". Messages this call leaves out stay in
 * recall memory; `toSummarise` lists those the caller should fold now.
 *
 * Throws InvalidInputError when there is no user message, when the system
 * prompt and the current turn alone exceed the total, or when `full` cannot
 * fit the whole history.
 *
 * @example
 * const context = await assembleContext({
 *   systemPrompt: "You are helpful.",
 *   messages: state.messages,
 *   summary: state.summary,
 *   scope: { assistantId: "agent", userId: "u1" },
 *   threadId: "t1",
 *   recall: recallStore,
 *   counter: createTokenCounter("gpt-4o"),
 *   options: parseContextOptions({ strategy: "hybrid" }),
 * });
 * await model.invoke(context.messages);
 */
export async function assembleContext(input: AssembleInput): Promise<AssembledContext> {
  const { counter, options } = input;
  const { units, dropped } = groupUnits(input.messages);
  const start = lastUserUnit(units);
  if (start < 0) throw new InvalidInputError("cannot assemble a context: the thread has no user message to answer");
  const history = units.slice(0, start);
  const current = unitMessages(units.slice(start));

  const systemOnly = counter.countMessages([new SystemMessage(input.systemPrompt)]) - counter.countMessages([]);
  const inputTokens = counter.countMessages(current);
  const free = options.budget.total - systemOnly - inputTokens;
  if (free < 0) {
    throw new InvalidInputError(
      `the system prompt (${systemOnly} tokens) and the new input (${inputTokens} tokens) exceed the total budget of ` +
        `${options.budget.total} tokens`,
    );
  }

  const summaryText = input.summary?.trim() ? `${SUMMARY_HEADING}\n${input.summary.trim()}` : undefined;
  const systemCost = (sections: string[]) =>
    counter.countMessages([new SystemMessage([input.systemPrompt, ...sections].join(SECTION_SEPARATOR))]) - counter.countMessages([]);
  const summaryCost = summaryText ? systemCost([summaryText]) - systemOnly : 0;

  const plan = planHistory({ units: history, summaryCost, free, counter, options });
  const verbatim = unitMessages(plan.verbatim);
  const head = plan.withSummary && summaryText ? [summaryText] : [];
  const headCost = systemCost(head);

  const retrieved = await selectRetrieved(input, plan.retrievedCap, verbatim, current, (lines) =>
    systemCost([...head, retrievedSection(lines)]) - headCost,
  );
  const sections = retrieved.lines.length > 0 ? [...head, retrievedSection(retrieved.lines)] : head;
  const messages: BaseMessage[] = [new SystemMessage([input.systemPrompt, ...sections].join(SECTION_SEPARATOR)), ...verbatim, ...current];

  const historyTokens = counter.countMessages(verbatim) - counter.countMessages([]);
  const total = counter.countMessages(messages);
  const tokens = {
    system: systemOnly,
    summary: headCost - systemOnly,
    history: historyTokens,
    retrieved: retrieved.lines.length > 0 ? systemCost(sections) - headCost : 0,
    input: inputTokens,
    total,
  };
  const includedIds = [...verbatim, ...current].flatMap((m) => (m.id ? [m.id] : []));
  includedIds.push(...retrieved.ids);
  return { messages, tokens, includedIds, retrievedIds: [...retrieved.ids], toSummarise: unitMessages(plan.toSummarise), dropped };
}

function lastUserUnit(units: readonly MessageUnit[]): number {
  for (let i = units.length - 1; i >= 0; i--) if (units[i]!.kind === "user") return i;
  return -1;
}

function retrievedSection(lines: readonly string[]): string {
  return `${RETRIEVED_HEADING}\n${lines.join("\n")}`;
}

/**
 * Fills the retrieved section best-first up to its cap: first the relevant
 * messages alone in rank order (a message that does not fit is skipped, a
 * smaller one after it may still fit), then, while tokens are left, the
 * message before each of them, then the one after, then the one after that,
 * each round in rank order.
 * Lines are ordered by time, so a later correction reads after the fact it
 * corrects and neighbours read as the exchange they were.
 */
async function selectRetrieved(
  input: AssembleInput,
  cap: number,
  verbatim: readonly BaseMessage[],
  current: readonly BaseMessage[],
  sectionCost: (lines: string[]) => number,
): Promise<{ lines: string[]; ids: string[] }> {
  if (!input.recall || cap <= 0 || input.options.retrieveK <= 0) return { lines: [], ids: [] };
  const newest = current[0]!;
  const inContext = [...verbatim, ...current];
  const items = await retrieveRelevant({
    recall: input.recall,
    scope: input.scope,
    ...(input.options.retrievalScope === "thread" ? { threadId: input.threadId } : {}),
    queryText: textOf(newest),
    excludeIds: new Set(inContext.flatMap((m) => (m.id ? [m.id] : []))),
    excludeTexts: new Set(inContext.map(textOf).filter((t) => t.length > 0)),
    k: input.options.retrieveK,
    ...(input.options.rewriteQuery && input.rewrite ? { rewrite: input.rewrite } : {}),
  });
  // Lines are priced one by one (their sum is the section's cost to within a
  // token or so each), and the whole section exactly once at the end.
  const chosen = new Map<string, RecallHit>();
  let used = sectionCost([]);
  const tryAdd = (hit: RecallHit) => {
    if (chosen.has(hit.id)) return;
    const cost = input.counter.countText(`${renderHit(hit)}\n`);
    if (used + cost > cap) return;
    chosen.set(hit.id, hit);
    used += cost;
  };
  for (const item of items) tryAdd(item.hit);
  const rounds = [(i: RetrievedItem) => i.before[0], (i: RetrievedItem) => i.after[0], (i: RetrievedItem) => i.after[1]];
  for (const neighbourOf of rounds) {
    for (const item of items) {
      const neighbour = neighbourOf(item);
      if (neighbour && chosen.has(item.hit.id)) tryAdd(neighbour);
    }
  }
  // What the estimate let through beyond the cap goes, last chosen first.
  while (chosen.size > 0 && sectionCost(render(chosen.values())) > cap) chosen.delete([...chosen.keys()].at(-1)!);
  return { lines: render(chosen.values()), ids: [...chosen.keys()] };
}

function render(hits: Iterable<RecallHit>): string[] {
  return [...hits].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(renderHit);
}
