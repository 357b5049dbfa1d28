/** Every statement of the thread registry; snake_case columns mapped once here. */
const COLUMNS = `thread_id AS "threadId", graph_id AS "graphId", user_id AS owner, metadata, status, "values", interrupts,
                 ttl_strategy AS "ttlStrategy", ttl_ms::float8 AS "ttlMs", expires_at AS "expiresAt",
                 created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Filters of search and count: $1 owner, $2 metadata, $3 values, $4 status, $5 ids, $6 graph. */
const FILTERS = `user_id = $1
            AND ($2::jsonb IS NULL OR metadata @> $2::jsonb)
            AND ($3::jsonb IS NULL OR "values" @> $3::jsonb)
            AND ($4::text IS NULL OR status = $4)
            AND ($5::text[] IS NULL OR thread_id = ANY($5::text[]))
            AND ($6::text IS NULL OR graph_id = $6)`;

/** Columns search may sort by (validated against this list before reaching SQL). */
export const SORT_COLUMNS = {
  thread_id: "thread_id",
  status: "status",
  created_at: "created_at",
  updated_at: "updated_at",
} as const;

export type ThreadSortBy = keyof typeof SORT_COLUMNS;

/**
 * Whether thread ${thread} has a run other than ${except} (the caller's own,
 * or none when null) that is pending or running: then the thread stays busy
 * whatever the caller says, so `busy` holds exactly while a thread has runs
 * to do, under the thread's row lock.
 */
const OTHER_ACTIVE = (thread: string, except: string) => `EXISTS (SELECT 1 FROM runs WHERE runs.thread_id = ${thread} AND runs.status IN ('pending', 'running')
                                AND (${except}::uuid IS NULL OR runs.run_id <> ${except}::uuid))`;

/**
 * The assignments recording what a run left on its thread: status (unless
 * another run keeps it busy), values and interrupts (kept when null), a
 * sliding TTL started again. Shared by `record` and the statement that ends
 * a run (RUN_SQL.finishRecorded), which records the thread with it.
 */
export const RECORD_SET = (p: { thread: string; status: string; values: string; interrupts: string; except: string }) =>
  `status = CASE WHEN ${OTHER_ACTIVE(p.thread, p.except)} THEN status ELSE ${p.status} END,
                  "values" = COALESCE(${p.values}::jsonb, "values"), interrupts = COALESCE(${p.interrupts}::jsonb, interrupts), updated_at = now(),
                  expires_at = CASE WHEN ttl_strategy = 'sliding' THEN now() + ttl_ms * interval '1 millisecond' ELSE expires_at END`;

/** The assignments of THREAD_SQL.startRun, for a run of graph ${graph} and assistant ${assistant}; shared with RUN_SQL.startIdle. */
export const START_RUN_SET = (graph: string, assistant: string) => `graph_id = COALESCE(graph_id, ${graph}), status = 'busy', updated_at = now(),
                    metadata = CASE WHEN metadata->>'graph_id' IS DISTINCT FROM ${graph} OR metadata->>'assistant_id' IS DISTINCT FROM ${assistant}
                                    THEN metadata || jsonb_build_object('graph_id', ${graph}::text, 'assistant_id', ${assistant}::text) ELSE metadata END`;

export const THREAD_SQL = {
  get: `SELECT ${COLUMNS} FROM threads WHERE thread_id = $1 AND user_id = $2`,
  getAny: `SELECT ${COLUMNS} FROM threads WHERE thread_id = $1`,
  lock: `SELECT ${COLUMNS} FROM threads WHERE thread_id = $1 FOR UPDATE`,
  insert: `INSERT INTO threads (thread_id, graph_id, metadata, user_id, ttl_strategy, ttl_ms, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6::bigint, CASE WHEN $6::bigint IS NULL THEN NULL ELSE now() + $6::bigint * interval '1 millisecond' END)
           ON CONFLICT (thread_id) DO NOTHING
           RETURNING ${COLUMNS}`,
  search: (sortBy: string, order: "ASC" | "DESC") => `SELECT ${COLUMNS} FROM threads
          WHERE ${FILTERS}
          ORDER BY ${sortBy} ${order}, thread_id ${order}
          LIMIT $7 OFFSET $8`,
  count: `SELECT count(*)::int AS n FROM threads WHERE ${FILTERS}`,
  // Keyset pagination on (updated_at, thread_id), newest first: stable while threads are written.
  // The cursor is the timestamp as text: a JavaScript Date would drop its microseconds.
  page: `SELECT ${COLUMNS}, updated_at::text AS "cursorAt" FROM threads
          WHERE ($1::text IS NULL OR user_id = $1)
            AND ($2::text IS NULL OR graph_id = $2)
            AND ($3::timestamptz IS NULL OR (updated_at, thread_id) < ($3::timestamptz, $4::text))
          ORDER BY updated_at DESC, thread_id DESC
          LIMIT $5`,
  updateMetadata: `UPDATE threads SET metadata = metadata || $3::jsonb, updated_at = now()
                    WHERE thread_id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
  setTtl: `UPDATE threads SET ttl_strategy = $3, ttl_ms = $4::bigint,
                  expires_at = CASE WHEN $4::bigint IS NULL THEN NULL ELSE now() + $4::bigint * interval '1 millisecond' END
            WHERE thread_id = $1 AND user_id = $2`,
  /**
   * A run of graph $2 (assistant $3) was created: the thread is busy, runs
   * that graph from now on, and says so, with the assistant, in its
   * metadata, where LangGraph's clients look for them.
   */
  startRun: `UPDATE threads SET ${START_RUN_SET("$2", "$3")} WHERE thread_id = $1`,
  setStatus: "UPDATE threads SET status = $2, updated_at = now() WHERE thread_id = $1",
  /** A status from anyone but the thread's own run ($3, if any) leaves a thread with runs to do busy. */
  setStatusUnlessBusy: `UPDATE threads SET status = CASE WHEN ${OTHER_ACTIVE("$1", "$3")} THEN status ELSE $2 END, updated_at = now()
                         WHERE thread_id = $1`,
  /** What a run leaves: status, values and interrupts; a sliding TTL starts again. */
  record: `UPDATE threads SET ${RECORD_SET({ thread: "$1", status: "$2", values: "$3", interrupts: "$4", except: "$5" })}
            WHERE thread_id = $1`,
  /** Fills in values of a thread recorded before threads kept them. */
  fill: `UPDATE threads SET "values" = $2, interrupts = $3 WHERE thread_id = $1 AND "values" IS NULL`,
  delete: "DELETE FROM threads WHERE thread_id = $1",
  expired: `SELECT thread_id AS "threadId" FROM threads WHERE expires_at <= now() ORDER BY expires_at LIMIT $1`,
  idsOfOwner: 'SELECT thread_id AS "threadId" FROM threads WHERE user_id = $1 ORDER BY thread_id',
} as const;

export type ThreadStatus = "idle" | "busy" | "interrupted" | "error";

/** A pending interrupt, as LangGraph's server lists it under its task id. */
export interface ThreadInterrupt {
  id?: string;
  value: unknown;
}

export interface ThreadRow {
  threadId: string;
  graphId: string | null;
  /** The owner: a user id, or '~anonymous' (see owners.ts). */
  owner: string;
  metadata: Record<string, unknown>;
  status: ThreadStatus;
  /** The latest state values; null until the thread's first run (or for threads recorded before values were). */
  values: Record<string, unknown> | null;
  interrupts: Record<string, ThreadInterrupt[]> | null;
  ttlStrategy: "fixed" | "sliding" | null;
  ttlMs: number | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
