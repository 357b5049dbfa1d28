/** Every statement of the thread registry; snake_case columns mapped once here. */
const COLUMNS = `thread_id AS "threadId", graph_id AS "graphId", user_id AS "userId", metadata,
                 created_at AS "createdAt", updated_at AS "updatedAt"`;

export const THREAD_SQL = {
  get: `SELECT ${COLUMNS} FROM threads WHERE thread_id = $1`,
  // Keyset pagination on (updated_at, thread_id): stable while threads are written.
  list: `SELECT ${COLUMNS}
           FROM threads
          WHERE ($1::text IS NULL OR graph_id = $1)
            AND ($4::text IS NULL OR user_id = $4)
          ORDER BY updated_at DESC, thread_id
          LIMIT $2 OFFSET $3`,
  // A thread started without a user (e.g. by an operator) is adopted by the
  // first user who runs it; an owned thread never changes hands.
  insert: `INSERT INTO threads (thread_id, graph_id, metadata, user_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (thread_id) DO UPDATE SET user_id = EXCLUDED.user_id
            WHERE threads.user_id IS NULL AND EXCLUDED.user_id IS NOT NULL AND threads.graph_id = EXCLUDED.graph_id`,
  touch: "UPDATE threads SET updated_at = now() WHERE thread_id = $1",
  idsOfUser: 'SELECT thread_id AS "threadId" FROM threads WHERE user_id = $1 ORDER BY thread_id',
} as const;

export interface ThreadRow {
  threadId: string;
  graphId: string;
  /** The user who owns the thread; null for graphs run without a user. */
  userId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}
