import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseMessage } from "@langchain/core/messages";
import type { Database } from "../db/database.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { toRecallRecord, type RecallRecord } from "./messages.js";
import { anyWordQuery } from "./text-query.js";
import { assertDate, assertScope } from "./scope.js";
import { RECALL_SQL } from "./sql.js";
import type {
  MemoryScope,
  MessageRole,
  RecallAppendOptions,
  RecallHit,
  RecallPage,
  RecallQuery,
  RecallMessage,
  RecallSearcher,
  RelevantHit,
  RelevantQuery,
} from "./types.js";
import { RecallEmbedder, signBits, type EmbeddedRecord } from "./recall-embedder.js";
import type { VectorMode } from "./vector.js";

export const DEFAULT_RECALL_LIMIT = 10;
export const MAX_RECALL_LIMIT = 100;
const ROLES: ReadonlySet<MessageRole> = new Set(["user", "assistant", "tool", "system"]);

export interface RecallStoreOptions {
  /**
   * Embeddings (any LangChain `EmbeddingsInterface`). With them, user and
   * assistant messages are embedded as they are recorded, and `relevant`
   * fuses similarity of meaning with BM25; without them, search is BM25 alone.
   */
  embeddings?: EmbeddingsInterface;
  /** How embeddings are compared (see `ensureVectorSupport`). Default "exact". */
  vectorMode?: VectorMode;
  /**
   * Told when the embeddings provider fails. The messages are recorded all
   * the same, without an embedding (found by their words until this store,
   * once the provider answers, embeds them as the scope records more; it
   * does the same for what a scope recorded before it started), and a
   * search goes on by its words alone. Default:
   * a process warning, once until the provider answers again.
   */
  onEmbeddingError?: (err: unknown) => void;
}

/**
 * Recall memory: every message of every thread, searchable by ranked
 * full-text query, role, date range and thread. Messages are kept by id: a
 * summary folding them out of the context leaves them here, and recording
 * an id again replaces its text only when it changed (a re-run step's
 * reply). Deletion is explicit: one message, a thread, or a user's erasure.
 *
 * @example
 * const recall = new RecallStore(db);
 * await recall.append(scope, "thread-1", [new HumanMessage("My dog is called Rex")]);
 * const { hits } = await recall.search(scope, { query: "dog name" });
 */
export class RecallStore implements RecallSearcher {
  private readonly embedder?: RecallEmbedder;
  private readonly vectorMode: VectorMode;

  constructor(
    private readonly db: Pick<Database, "pool">,
    options: RecallStoreOptions = {},
  ) {
    if (options.embeddings) this.embedder = new RecallEmbedder(db, options.embeddings, options.onEmbeddingError);
    this.vectorMode = options.vectorMode ?? "exact";
  }

  /** Whether `relevant` also ranks by meaning (an embeddings provider is configured). */
  get semantic(): boolean {
    return this.embedder !== undefined;
  }

  /**
   * Stores the messages of one thread in order. A message whose id is
   * already stored for the thread keeps its place and time, and takes the new
   * text and tool calls if they differ, so re-appending a whole history is
   * safe. Messages without an id get one (in place). Returns how many rows
   * were written: new ones and changed ones.
   */
  async append(
    scope: MemoryScope,
    threadId: string,
    messages: readonly BaseMessage[],
    options: RecallAppendOptions = {},
  ): Promise<number> {
    assertScope(scope);
    assertThread(threadId);
    const createdAt = options.createdAt ? assertDate(options.createdAt, "createdAt").toISOString() : undefined;
    const records = await this.embedded(scope, recordsOf(messages, createdAt));
    if (records.length === 0) return 0;
    const { rows } = await this.db.pool.query<{ written: number }>(RECALL_SQL.insert, [
      scope.assistantId,
      scope.userId,
      threadId,
      JSON.stringify(records),
      null,
    ]);
    return rows[0]?.written ?? 0;
  }

  /**
   * Records the messages one graph step adds to a thread, so that recall
   * ends up holding what the thread holds even when the step ran before.
   * A step re-run from the same checkpoint mints the same ids, and its
   * messages replace the abandoned attempt's text. A step re-run from
   * another checkpoint (the thread went on from an earlier one, e.g. after
   * the steps in between were lost) mints new ids; the rows such lost steps
   * recorded after the newest message in `step.held` are removed. Without
   * `step.checkpointId` (outside a graph) this is `append`.
   *
   * @example
   * await recall.recordStep(scope, threadId, [reply], { held: state.messages, checkpointId: stepCheckpointOf(config) });
   */
  async recordStep(
    scope: MemoryScope,
    threadId: string,
    messages: readonly BaseMessage[],
    step: RecallStepOptions,
  ): Promise<RecallStepResult> {
    assertScope(scope);
    assertThread(threadId);
    if (step.checkpointId === undefined) return { written: await this.append(scope, threadId, messages), removed: 0 };
    const records = await this.embedded(scope, recordsOf(messages));
    if (records.length === 0) return { written: 0, removed: 0 };
    const held = step.held.flatMap((m) => (m.id ? [m.id] : []));
    const { rows } = await this.db.pool.query<RecallStepResult>(RECALL_SQL.recordStep, [
      scope.assistantId,
      scope.userId,
      threadId,
      JSON.stringify(records),
      step.checkpointId,
      held,
    ]);
    return rows[0] ?? { written: 0, removed: 0 };
  }

  /**
   * Deletes one message of one of the scope's threads. NotFoundError when
   * the scope has no such message (another user's is never reached).
   */
  async delete(scope: MemoryScope, threadId: string, messageId: string): Promise<void> {
    assertScope(scope);
    assertThread(threadId);
    const { rowCount } = await this.db.pool.query(RECALL_SQL.delete, [scope.assistantId, scope.userId, threadId, messageId]);
    if (!rowCount) throw new NotFoundError(`there is no message "${messageId}" of thread "${threadId}" in recall memory`);
  }

  /**
   * Deletes every message of the thread, in every scope that recorded it
   * (for the thread's own deletion or expiry). Returns how many went; an
   * unknown thread deletes nothing and returns 0.
   */
  async deleteThread(threadId: string): Promise<number> {
    assertThread(threadId);
    const { rowCount } = await this.db.pool.query(RECALL_SQL.deleteThread, [threadId]);
    return rowCount ?? 0;
  }

  /**
   * When each of the given messages of the thread was recorded (its date in
   * the conversation), by id; ids recall does not hold are left out. One
   * statement, for dating messages that leave the context (a summary keeps
   * who said what, and when).
   *
   * @example
   * const times = await recall.timesOf(scope, threadId, folded.map((m) => m.id!));
   */
  async timesOf(scope: MemoryScope, threadId: string, ids: readonly string[]): Promise<Map<string, Date>> {
    assertScope(scope);
    assertThread(threadId);
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.pool.query<{ id: string; createdAt: Date }>(RECALL_SQL.times, [
      scope.assistantId,
      scope.userId,
      threadId,
      [...new Set(ids)],
    ]);
    return new Map(rows.map((r) => [r.id, r.createdAt]));
  }

  /** How many messages the scope has across all its threads. */
  async count(scope: MemoryScope): Promise<number> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<{ n: number }>(RECALL_SQL.count, [scope.assistantId, scope.userId]);
    return rows[0]?.n ?? 0;
  }

  /**
   * The user and assistant messages most relevant to `query.text`, best
   * first, ranked by Okapi BM25 over the scope's messages (English stems;
   * stopwords count for nothing), in one statement whatever the number of
   * words; with `neighbours`, each with the message just before it in its
   * thread and the two after it. With an embeddings provider and `query.similarTo`,
   * the messages nearest to it in meaning are ranked too and the rankings
   * fused (reciprocal rank), in the same statement. Nothing to rank by: no hits.
   */
  async relevant(scope: MemoryScope, query: RelevantQuery): Promise<RelevantHit[]> {
    assertScope(scope);
    const limit = query.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RELEVANT_LIMIT) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_RELEVANT_LIMIT}, got ${limit}`);
    }
    const vector = query.similarTo?.trim() && this.embedder ? await this.embedder.query(query.similarTo) : undefined;
    if (!query.text.trim() && !vector) return [];
    const statement = this.vectorMode === "pgvector" ? RECALL_SQL.relevantPgvector : RECALL_SQL.relevant;
    const { rows } = await this.db.pool.query<RecallRow & Record<"before" | "after" | "afterThat", NeighbourRow | null>>(statement, [
      scope.assistantId,
      scope.userId,
      query.threadId ?? null,
      query.text,
      [...(query.excludeIds ?? [])],
      limit,
      query.neighbours === true,
      vector ?? null,
      vector ? signBits(vector) : null,
    ]);
    return rows.map(({ before, after, afterThat, ...row }) => ({
      ...toHit(row),
      ...(before ? { before: neighbourOf(before) } : {}),
      ...(after ? { after: neighbourOf(after) } : {}),
      ...(afterThat ? { afterThat: neighbourOf(afterThat) } : {}),
    }));
  }

  /**
   * Ranked full-text search (English stemming, `websearch_to_tsquery` syntax:
   * words, "quoted phrases", OR, -excluded) when `query` is given, else most
   * recent first. Filters combine; pages are 0-based.
   */
  async search(scope: MemoryScope, query: RecallQuery = {}): Promise<RecallPage> {
    assertScope(scope);
    const limit = query.limit ?? DEFAULT_RECALL_LIMIT;
    const page = query.page ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECALL_LIMIT) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_RECALL_LIMIT}, got ${limit}`);
    }
    if (!Number.isInteger(page) || page < 0) throw new InvalidInputError(`page must be an integer of 0 or more, got ${page}`);
    const roles = query.roles?.length ? query.roles : null;
    for (const role of roles ?? []) {
      if (!ROLES.has(role)) throw new InvalidInputError(`unknown role "${role}"; use user, assistant, tool or system`);
    }
    const start = query.startDate ? assertDate(query.startDate, "startDate") : null;
    const end = query.endDate ? assertDate(query.endDate, "endDate") : null;
    if (start && end && start > end) throw new InvalidInputError("startDate is after endDate");
    const filters = [scope.assistantId, scope.userId, query.threadId ?? null, roles, start, end];
    const text = query.query?.trim();
    const window = [limit + 1, page * limit];
    const { rows } = text
      ? await this.db.pool.query<RecallRow>(RECALL_SQL.searchText, [...filters, text, ...window, anyWordQuery(text)])
      : await this.db.pool.query<RecallRow>(RECALL_SQL.searchRecent, [...filters, ...window]);
    return { hits: rows.slice(0, limit).map(toHit), page, hasMore: rows.length > limit };
  }

  private async embedded<T extends RecallRecord>(scope: MemoryScope, records: T[]): Promise<(T & Partial<EmbeddedRecord>)[]> {
    return this.embedder ? this.embedder.embed(scope, records) : records;
  }
}

/** Hits `relevant` returns at most. */
export const MAX_RELEVANT_LIMIT = 200;
/** What `recordStep` knows of the step beyond its messages. */
export interface RecallStepOptions {
  /** The messages the thread held when the step started (its state's `messages`). */
  held: readonly BaseMessage[];
  /** The checkpoint the step ran from (`stepCheckpointOf(config)`); undefined outside a graph. */
  checkpointId?: string | undefined;
}

export interface RecallStepResult {
  /** Rows written: new messages and changed ones. */
  written: number;
  /** Rows of abandoned attempts removed. */
  removed: number;
}

function assertThread(threadId: string): void {
  if (typeof threadId !== "string" || threadId === "") throw new InvalidInputError("recall memory needs a thread id");
}

// One record per id (the last wins, at the first one's place): a statement
// may not write the same row twice.
function recordsOf(messages: readonly BaseMessage[], createdAt?: string): (RecallRecord & { createdAt?: string })[] {
  const byId = new Map<string, RecallRecord & { createdAt?: string }>();
  for (const m of messages) {
    const record = toRecallRecord(m);
    if (record) byId.set(record.id, { ...record, ...(createdAt ? { createdAt } : {}) });
  }
  return [...byId.values()];
}

interface RecallRow extends Omit<RecallHit, "toolCalls" | "toolCallId"> {
  toolCalls: RecallHit["toolCalls"] | null;
  toolCallId: string | null;
}

interface NeighbourRow {
  id: string;
  threadId: string;
  role: MessageRole;
  content: string;
  createdAt: string;
}

function neighbourOf(row: NeighbourRow): RecallMessage {
  return { id: row.id, threadId: row.threadId, role: row.role, content: row.content, createdAt: new Date(row.createdAt) };
}

function toHit(row: RecallRow): RecallHit {
  const { toolCalls, toolCallId, ...rest } = row;
  return {
    ...rest,
    ...(toolCalls ? { toolCalls } : {}),
    ...(toolCallId ? { toolCallId } : {}),
  };
}
