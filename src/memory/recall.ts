import type { BaseMessage } from "@langchain/core/messages";
import type { Database } from "../db/database.js";
import { InvalidInputError } from "../errors.js";
import { toRecallRecord } from "./messages.js";
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
  RecallSearcher,
} from "./types.js";

export const DEFAULT_RECALL_LIMIT = 10;
export const MAX_RECALL_LIMIT = 100;
const ROLES: ReadonlySet<MessageRole> = new Set(["user", "assistant", "tool", "system"]);

/**
 * Recall memory: every message of every thread, append-only, searchable by
 * ranked full-text query, role, date range and thread. Nothing is ever
 * deleted here, so what a summary folds out of the context stays findable.
 *
 * @example
 * const recall = new RecallStore(db);
 * await recall.append(scope, "thread-1", [new HumanMessage("My dog is called Rex")]);
 * const { hits } = await recall.search(scope, { query: "dog name" });
 */
export class RecallStore implements RecallSearcher {
  constructor(private readonly db: Pick<Database, "pool">) {}

  /**
   * Stores the messages of one thread in order; a message whose id is already
   * stored for the thread is skipped, so re-appending a whole history is safe.
   * Messages without an id get one (in place). Returns how many were new.
   */
  async append(
    scope: MemoryScope,
    threadId: string,
    messages: readonly BaseMessage[],
    options: RecallAppendOptions = {},
  ): Promise<number> {
    assertScope(scope);
    if (typeof threadId !== "string" || threadId === "") throw new InvalidInputError("recall append needs a thread id");
    const createdAt = options.createdAt ? assertDate(options.createdAt, "createdAt").toISOString() : undefined;
    const records = messages.flatMap((m) => {
      const record = toRecallRecord(m);
      return record ? [{ ...record, createdAt }] : [];
    });
    if (records.length === 0) return 0;
    const result = await this.db.pool.query(RECALL_SQL.insert, [
      scope.assistantId,
      scope.userId,
      threadId,
      JSON.stringify(records),
    ]);
    return result.rowCount ?? 0;
  }

  /** How many messages the scope has across all its threads. */
  async count(scope: MemoryScope): Promise<number> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<{ n: number }>(RECALL_SQL.count, [scope.assistantId, scope.userId]);
    return rows[0]?.n ?? 0;
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
}

interface RecallRow extends Omit<RecallHit, "toolCalls" | "toolCallId"> {
  toolCalls: RecallHit["toolCalls"] | null;
  toolCallId: string | null;
}

function toHit(row: RecallRow): RecallHit {
  const { toolCalls, toolCallId, ...rest } = row;
  return {
    ...rest,
    ...(toolCalls ? { toolCalls } : {}),
    ...(toolCallId ? { toolCallId } : {}),
  };
}
