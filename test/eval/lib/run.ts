import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
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
import { ensureVectorSupport, memoryMigrations, RecallStore, type MemoryScope } from "../../../src/memory/index.js";
import { Bm25Index, type Bm25Doc } from "./bm25-baseline.js";
import type { Conversation, Dataset, Question } from "./dataset.js";
import { extractiveSummary, summaryHolds } from "./extractive.js";

export const STRATEGIES: readonly HistoryStrategy[] = ["full", "window", "summarise", "retrieval", "hybrid"];
/**
 * Baselines computed in-process beside the strategies: plain BM25 over all of
 * the conversation's earlier turns, best-ranked turns until the history
 * budget is used (`bm25`), and the same stopped at the mean tokens `hybrid`
 * used (`bm25@hybrid`).
 */
export const BASELINES = ["bm25", "bm25@hybrid"] as const;
export type Baseline = (typeof BASELINES)[number];
export type RowName = HistoryStrategy | Baseline;
/** Column order of the per-category table for the hard set's categories; others follow in order of appearance. */
const KNOWN_CATEGORIES: readonly string[] = ["single-fact", "multi-hop", "temporal", "updated-fact", "adjacent-turn", "open-domain"];
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
  /** Recall also ranks by meaning (see RecallStoreOptions.embeddings). */
  embeddings?: EmbeddingsInterface;
}

export interface StrategyRow {
  strategy: RowName;
  /** How the table names the row ("bm25 best-first, 4000 tok"). */
  label: string;
  questions: number;
  held: number;
  heldPct: number;
  meanTokens: number;
  vsFullPct: number;
}

/** Evidence held per category for one row (only when the data set has categories). */
export interface CategoryRow {
  strategy: RowName;
  label: string;
  /** Category name to held share; "overall" included. */
  byCategory: Record<string, { questions: number; held: number; heldPct: number }>;
}

export interface QuestionResult {
  conversation: string;
  question: string;
  category?: string;
  strategy: RowName;
  held: boolean;
  heldBy: "context" | "summary" | "none";
  tokens: number;
}

export interface EvalReport {
  model: string;
  exactTokens: boolean;
  budget: ContextOptions["budget"];
  rows: StrategyRow[];
  /** Category names (the hard set's in their usual order, then others as they appear); empty when the data set has none. */
  categories: string[];
  categoryRows: CategoryRow[];
  /** Token budget of the `bm25@hybrid` baseline (mean tokens of `hybrid`, rounded). */
  bm25MatchedBudget: number;
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
  const recall = new RecallStore(options.db, options.embeddings ? { embeddings: options.embeddings, vectorMode: await ensureVectorSupport(options.db) } : {});
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
  const hybrid = results.filter((r) => r.strategy === "hybrid");
  const bm25MatchedBudget = Math.round(hybrid.reduce((sum, r) => sum + r.tokens, 0) / Math.max(1, hybrid.length));
  for (const conversation of dataset.conversations) {
    results.push(...bm25Conversation(conversation, counter, "bm25", options.historyBudget));
    results.push(...bm25Conversation(conversation, counter, "bm25@hybrid", bm25MatchedBudget));
  }
  const labels: Record<RowName, string> = {
    ...(Object.fromEntries(STRATEGIES.map((s) => [s, s])) as Record<HistoryStrategy, string>),
    bm25: `bm25 best-first, ${options.historyBudget} tok`,
    "bm25@hybrid": `bm25 best-first, ${bm25MatchedBudget} tok (hybrid mean)`,
  };
  const seen = new Set(dataset.conversations.flatMap((c) => c.questions.flatMap((q) => (q.category ? [q.category] : []))));
  const categories = [...KNOWN_CATEGORIES.filter((c) => seen.has(c)), ...[...seen].filter((c) => !KNOWN_CATEGORIES.includes(c))];
  return {
    model: options.model,
    exactTokens: counter.exact,
    budget,
    rows: summarise(results, labels),
    categories,
    categoryRows: categories.length > 0 ? byCategory(results, categories, labels) : [],
    bm25MatchedBudget,
    results,
  };
}

/**
 * The BM25 baseline for one conversation: every earlier turn is a document
 * (all sessions precede the questions), each question is the query, and the
 * best-ranked turns are taken until `budget` tokens (each turn costed as a
 * prompt message by the strategies' counter) are used.
 */
function bm25Conversation(conversation: Conversation, counter: TokenCounter, name: Baseline, budget: number): QuestionResult[] {
  const priming = counter.countMessages([]);
  const docs: Bm25Doc[] = conversation.sessions.flatMap((session) =>
    session.turns.map((turn) => {
      const message = turn.role === "user" ? new HumanMessage({ id: turn.id, content: turn.content }) : new AIMessage({ id: turn.id, content: turn.content });
      return { id: turn.id, text: turn.content, tokens: counter.countMessages([message]) - priming };
    }),
  );
  const index = new Bm25Index(docs);
  return conversation.questions.map((question) => {
    const { ids, tokens } = index.select(question.question, budget);
    const held = question.evidence.every((id) => ids.has(id));
    return {
      conversation: conversation.id,
      question: question.id,
      ...(question.category ? { category: question.category } : {}),
      strategy: name,
      held,
      heldBy: held ? "context" : "none",
      tokens,
    };
  });
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
      results.push({
        conversation: conversation.id,
        question: question.id,
        ...(question.category ? { category: question.category } : {}),
        strategy,
        tokens: context.tokens.total,
        ...judge(context, question, state, texts),
      });
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

const ROWS: readonly RowName[] = [...STRATEGIES, ...BASELINES];

function summarise(results: readonly QuestionResult[], labels: Record<RowName, string>): StrategyRow[] {
  const mean = (strategy: RowName) => {
    const rows = results.filter((r) => r.strategy === strategy);
    return rows.reduce((sum, r) => sum + r.tokens, 0) / Math.max(1, rows.length);
  };
  const fullMean = mean("full");
  return ROWS.map((strategy) => {
    const rows = results.filter((r) => r.strategy === strategy);
    const held = rows.filter((r) => r.held).length;
    const meanTokens = mean(strategy);
    return {
      strategy,
      label: labels[strategy],
      questions: rows.length,
      held,
      heldPct: rows.length > 0 ? (100 * held) / rows.length : 0,
      meanTokens,
      vsFullPct: fullMean > 0 ? (100 * meanTokens) / fullMean : 0,
    };
  });
}

function byCategory(results: readonly QuestionResult[], categories: readonly string[], labels: Record<RowName, string>): CategoryRow[] {
  return ROWS.map((strategy) => {
    const rows = results.filter((r) => r.strategy === strategy);
    const cell = (subset: readonly QuestionResult[]) => {
      const held = subset.filter((r) => r.held).length;
      return { questions: subset.length, held, heldPct: subset.length > 0 ? (100 * held) / subset.length : 0 };
    };
    const out: CategoryRow["byCategory"] = {};
    for (const category of categories) out[category] = cell(rows.filter((r) => r.category === category));
    out.overall = cell(rows);
    return { strategy, label: labels[strategy], byCategory: out };
  });
}

/**
 * The result table as aligned plain text; when the questions have
 * categories, a second table gives the evidence held per category.
 */
export function formatTable(report: EvalReport): string {
  const header = ["strategy", "evidence held", "mean tokens", "tokens vs full"];
  const lines = report.rows.map((r) => [
    r.label,
    `${r.heldPct.toFixed(1)}% (${r.held}/${r.questions})`,
    r.meanTokens.toFixed(0),
    `${r.vsFullPct.toFixed(1)}%`,
  ]);
  const tables = [align(header, lines)];
  if (report.categories.length > 0) {
    const columns = [...report.categories, "overall"];
    const counts = report.categoryRows[0]?.byCategory ?? {};
    const categoryHeader = ["evidence held by category", ...columns.map((c) => `${c} (${counts[c]?.questions ?? 0})`)];
    const categoryLines = report.categoryRows.map((r) => [r.label, ...columns.map((c) => `${(r.byCategory[c]?.heldPct ?? 0).toFixed(1)}%`)]);
    tables.push(align(categoryHeader, categoryLines));
  }
  return tables.join("\n\n");
}

function align(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [row(header), row(widths.map((w) => "-".repeat(w))), ...lines.map(row)].join("\n");
}
