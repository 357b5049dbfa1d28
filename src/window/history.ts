import { InvalidInputError } from "../errors.js";
import type { TokenCounter, ContextOptions } from "./types.js";
import { messageTokens } from "./tokens.js";
import { groupTurns, type MessageUnit } from "./turns.js";

/** What a strategy keeps of the history before the current turn. */
export interface HistoryPlan {
  /** Units sent verbatim, oldest first. */
  verbatim: MessageUnit[];
  /** Whether the rolling summary is sent. */
  withSummary: boolean;
  /** Units to fold into the summary now, oldest first. */
  toSummarise: MessageUnit[];
  /** Whether the strategy retrieves from recall memory, and within how many tokens. */
  retrievedCap: number;
}

export interface PlanInput {
  units: readonly MessageUnit[];
  /** Tokens the summary section adds to the system message (0 without a summary). */
  summaryCost: number;
  /** Tokens left of the total after the system prompt and the current turn. */
  free: number;
  counter: TokenCounter;
  options: ContextOptions;
}

/**
 * Chooses the history of one model call. The history share (verbatim turns
 * plus summary) and the retrieved share are caps, lowered further when the
 * system prompt and input leave less than that of the total; `hybrid`
 * retrieves into what its window and summary leave of the history share as
 * well; `full` may use all that is left and fails loudly when it is not
 * enough.
 */
export function planHistory(input: PlanInput): HistoryPlan {
  const { options, units, free } = input;
  const historyCap = Math.min(options.budget.history, free);
  const cost = (unit: MessageUnit) => unit.messages.reduce((sum, m) => sum + messageTokens(input.counter, m), 0);
  const none: HistoryPlan = { verbatim: [], withSummary: false, toSummarise: [], retrievedCap: 0 };

  switch (options.strategy) {
    case "full": {
      const needed = units.reduce((sum, u) => sum + cost(u), 0) + input.summaryCost;
      if (needed > free) {
        throw new InvalidInputError(
          `history strategy "full" needs ${needed} tokens for the history but only ${free} of the total budget of ` +
            `${options.budget.total} are left after the system prompt and the new input; raise budget.total or choose ` +
            `"window", "summarise", "retrieval" or "hybrid"`,
        );
      }
      return { ...none, verbatim: [...units], withSummary: input.summaryCost > 0 };
    }
    case "window": {
      const recent = lastTurns(units, options.windowTurns);
      return { ...none, verbatim: newestFitting(recent, historyCap, cost) };
    }
    case "retrieval":
      return { ...none, retrievedCap: Math.min(options.budget.history + options.budget.retrieved, free) };
    case "summarise":
    case "hybrid": {
      const hybrid = options.strategy === "hybrid";
      const withSummary = input.summaryCost > 0 && input.summaryCost <= historyCap;
      const summaryCost = withSummary ? input.summaryCost : 0;
      const candidates = hybrid ? lastTurns(units, options.windowTurns) : units;
      const verbatim = newestFitting(candidates, historyCap - summaryCost, cost);
      const used = verbatim.reduce((sum, u) => sum + cost(u), 0) + summaryCost;
      const toSummarise = foldable(input, historyCap, cost, hybrid ? options.windowTurns : Infinity);
      // What the window and the summary leave of the history share goes to retrieval too.
      const retrievedCap = hybrid ? Math.max(0, Math.min(options.budget.retrieved + Math.max(0, historyCap - used), free - used)) : 0;
      return { verbatim, withSummary, toSummarise, retrievedCap };
    }
  }
}

/** The summary's ceiling: configured, or a quarter of the history share. */
export function summaryMaxTokens(options: ContextOptions): number {
  return options.summaryMaxTokens ?? Math.max(1, Math.floor(options.budget.history / 4));
}

/**
 * Once history (all unfolded units plus the summary) passes `summariseAt` of
 * its cap, everything older than the newest whole turns that fit in half of
 * what the threshold leaves beside a full-size summary is folded. The half is
 * headroom: folding again on the very next turn would spend a model call per
 * turn.
 */
function foldable(input: PlanInput, historyCap: number, cost: (u: MessageUnit) => number, maxTurns: number): MessageUnit[] {
  const threshold = input.options.summariseAt * historyCap;
  const total = input.units.reduce((sum, u) => sum + cost(u), 0) + input.summaryCost;
  if (total <= threshold) return [];
  const retainBudget = Math.max(0, Math.floor((threshold - summaryMaxTokens(input.options)) / 2));
  const turns = groupTurns(input.units);
  let kept = 0;
  let used = 0;
  for (let i = turns.length - 1; i >= 0 && kept < maxTurns; i--) {
    const turnCost = turns[i]!.units.reduce((sum, u) => sum + cost(u), 0);
    if (used + turnCost > retainBudget) break;
    used += turnCost;
    kept++;
  }
  return turns.slice(0, turns.length - kept).flatMap((t) => t.units);
}

/** The units of the last `n` turns. */
function lastTurns(units: readonly MessageUnit[], n: number): MessageUnit[] {
  if (n <= 0) return [];
  return groupTurns(units)
    .slice(-n)
    .flatMap((t) => t.units);
}

/** The longest run of newest units whose cost fits in `cap` (contiguous, so no gap hides a turn's middle). */
function newestFitting(units: readonly MessageUnit[], cap: number, cost: (u: MessageUnit) => number): MessageUnit[] {
  const kept: MessageUnit[] = [];
  let used = 0;
  for (let i = units.length - 1; i >= 0; i--) {
    const c = cost(units[i]!);
    if (used + c > cap) break;
    used += c;
    kept.unshift(units[i]!);
  }
  return kept;
}
