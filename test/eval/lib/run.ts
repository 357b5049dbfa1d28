import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { Database } from "../../../src/db/database.js";
import { migrate } from "../../../src/db/migrate.js";
import {
  assembleContext,
  createTokenCounter,
  DEFAULT_CONTEXT_OPTIONS,
  summaryMaxTokens,
  type AssembledContext,
  type ContextOptions,
  type HistoryStrategy,
  type TokenCounter,
} from "../../../src/window/index.js";
import { memoryMigrations, RecallStore, type MemoryScope } from "../../../src/memory/index.js";
import type { Conversation, Dataset, Question } from "./dataset.js";
import { extractiveSummary, summaryHolds } from "./extractive.js";

export const STRATEGIES: readonly HistoryStrategy[] = ["full", "window", "summarise", "retrieval", "hybrid"];
const SYSTEM_PROMPT = "You are a helpful personal assistant. Answer from the conversation and the memory given here.";
const SYSTEM_SHARE = 500;
const INPUT_SHARE = 500;
/** `full` is the reference: it is given room for everything, so it never fails. */
const UNBOUNDED = 1_000_000_000;

export interface EvalOptions {
  db: Database;
  /** Tokens of the history share (verbatim turns + summary). */
  historyBudget: number;
  /** Tokens of the retrieved share. */
  retrievedBudget: number;
  model: string;
}

export interface StrategyRow {
  strategy: HistoryStrategy;
  questions: number;
  held: number;
  heldPct: number;
  meanTokens: number;
  vsFullPct: number;
}

export interface QuestionResult {
  conversation: string;
  question: string;
  strategy: HistoryStrategy;
  held: boolean;
  heldBy: "context" | "summary" | "none";
  tokens: number;
}

export interface EvalReport {
  model: string;
  exactTokens: boolean;
  budget: ContextOptions["budget"];
  rows: StrategyRow[];
  results: QuestionResult[];
}

/**
 * For every conversation: stores all turns in recall memory, replays the
 * conversation once per summarising strategy (assembling before each user
 * turn and folding what it asks to fold with the extractive stand-in), then
 * asks every question as the next user message under every strategy and
 * checks whether its evidence turns reached the context.
 */
export async function evaluate(dataset: Dataset, options: EvalOptions): Promise<EvalReport> {
  await migrate(options.db, [memoryMigrations]);
  const recall = new RecallStore(options.db);
  const counter = createTokenCounter(options.model);
  const budget = {
    system: SYSTEM_SHARE,
    history: options.historyBudget,
    retrieved: options.retrievedBudget,
    input: INPUT_SHARE,
    total: SYSTEM_SHARE + options.historyBudget + options.retrievedBudget + INPUT_SHARE,
  };
  const results: QuestionResult[] = [];
  for (const conversation of dataset.conversations) {
    results.push(...(await evaluateConversation(conversation, { recall, counter, budget })));
  }
  return { model: options.model, exactTokens: counter.exact, budget, rows: summarise(results), results };
}

interface Env {
  recall: RecallStore;
  counter: TokenCounter;
  budget: ContextOptions["budget"];
}

interface ThreadState {
  messages: BaseMessage[];
  summary?: string;
}

async function evaluateConversation(conversation: Conversation, env: Env): Promise<QuestionResult[]> {
  const scope: MemoryScope = { assistantId: "context-eval", userId: conversation.user_id };
  const threadId = conversation.id;
  const messages: BaseMessage[] = [];
  const texts = new Map<string, string>();
  for (const session of conversation.sessions) {
    const start = new Date(session.date).getTime();
    for (const [i, turn] of session.turns.entries()) {
      const message = turn.role === "user" ? new HumanMessage({ id: turn.id, content: turn.content }) : new AIMessage({ id: turn.id, content: turn.content });
      messages.push(message);
      texts.set(turn.id, turn.content);
      // One minute apart, so "the user message before this answer" is well defined.
      await env.recall.append(scope, threadId, [message], { createdAt: new Date(start + i * 60_000) });
    }
  }

  const states = new Map<HistoryStrategy, ThreadState>();
  for (const strategy of STRATEGIES) {
    states.set(strategy, strategy === "summarise" || strategy === "hybrid" ? await replay(messages, strategy, scope, env) : { messages });
  }

  const results: QuestionResult[] = [];
  for (const question of conversation.questions) {
    for (const strategy of STRATEGIES) {
      const state = states.get(strategy)!;
      const context = await assembleContext({
        systemPrompt: SYSTEM_PROMPT,
        messages: [...state.messages, new HumanMessage({ id: question.id, content: question.question })],
        ...(state.summary ? { summary: state.summary } : {}),
        scope,
        threadId,
        recall: env.recall,
        counter: env.counter,
        options: optionsFor(strategy, env.budget),
      });
      results.push({ conversation: conversation.id, question: question.id, strategy, tokens: context.tokens.total, ...judge(context, question, state, texts) });
    }
  }
  return results;
}

/** Plays the conversation as the agent would: assemble before each answer, fold what is asked. */
async function replay(messages: readonly BaseMessage[], strategy: HistoryStrategy, scope: MemoryScope, env: Env): Promise<ThreadState> {
  const options = optionsFor(strategy, env.budget);
  const state: ThreadState = { messages: [] };
  for (const message of messages) {
    state.messages.push(message);
    if (message.type !== "human") continue;
    const context = await assembleContext({
      systemPrompt: SYSTEM_PROMPT,
      messages: state.messages,
      ...(state.summary ? { summary: state.summary } : {}),
      scope,
      threadId: "replay",
      counter: env.counter,
      options,
    });
    if (context.toSummarise.length === 0) continue;
    state.summary = extractiveSummary(state.summary, context.toSummarise, env.counter, summaryMaxTokens(options));
    const folded = new Set(context.toSummarise);
    state.messages = state.messages.filter((m) => !folded.has(m));
  }
  return state;
}

function optionsFor(strategy: HistoryStrategy, budget: ContextOptions["budget"]): ContextOptions {
  const base = { ...DEFAULT_CONTEXT_OPTIONS, strategy };
  if (strategy !== "full") return { ...base, budget };
  return { ...base, budget: { ...budget, history: UNBOUNDED, total: UNBOUNDED } };
}

function judge(
  context: AssembledContext,
  question: Question,
  state: ThreadState,
  texts: ReadonlyMap<string, string>,
): Pick<QuestionResult, "held" | "heldBy"> {
  const included = new Set(context.includedIds);
  const summarySent = context.tokens.summary > 0 && state.summary !== undefined;
  let bySummary = false;
  for (const id of question.evidence) {
    if (included.has(id)) continue;
    if (summarySent && summaryHolds(state.summary!, texts.get(id) ?? "", question.answer)) {
      bySummary = true;
      continue;
    }
    return { held: false, heldBy: "none" };
  }
  return { held: true, heldBy: bySummary ? "summary" : "context" };
}

function summarise(results: readonly QuestionResult[]): StrategyRow[] {
  const mean = (strategy: HistoryStrategy) => {
    const rows = results.filter((r) => r.strategy === strategy);
    return rows.reduce((sum, r) => sum + r.tokens, 0) / Math.max(1, rows.length);
  };
  const fullMean = mean("full");
  return STRATEGIES.map((strategy) => {
    const rows = results.filter((r) => r.strategy === strategy);
    const held = rows.filter((r) => r.held).length;
    const meanTokens = mean(strategy);
    return {
      strategy,
      questions: rows.length,
      held,
      heldPct: rows.length > 0 ? (100 * held) / rows.length : 0,
      meanTokens,
      vsFullPct: fullMean > 0 ? (100 * meanTokens) / fullMean : 0,
    };
  });
}

/** The result table as aligned plain text. */
export function formatTable(report: EvalReport): string {
  const header = ["strategy", "evidence held", "mean tokens", "tokens vs full"];
  const lines = report.rows.map((r) => [
    r.strategy,
    `${r.heldPct.toFixed(1)}% (${r.held}/${r.questions})`,
    r.meanTokens.toFixed(0),
    `${r.vsFullPct.toFixed(1)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [row(header), row(widths.map((w) => "-".repeat(w))), ...lines.map(row)].join("\n");
}
