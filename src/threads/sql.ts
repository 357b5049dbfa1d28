/** Every statement of the thread registry; snake_case columns mapped once here. */
export const THREAD_SQL = {
  get: `SELECT thread_id AS "threadId", graph_id AS "graphId", metadata,
               created_at AS "createdAt", updated_at AS "updatedAt"
          FROM threads WHERE thread_id = $1`,
  // Keyset pagination on (updated_at, thread_id): stable while threads are written.
  list: `SELECT thread_id AS "threadId", graph_id AS "graphId", metadata,
                created_at AS "createdAt", updated_at AS "updatedAt"
           FROM threads
          WHERE ($1::text IS NULL OR graph_id = $1)
          ORDER BY updated_at DESC, thread_id
          LIMIT $2 OFFSET $3`,
  insert: `INSERT INTO threads (thread_id, graph_id, metadata) VALUES ($1, $2, $3)
           ON CONFLICT (thread_id) DO NOTHING`,
  touch: "UPDATE threads SET updated_at = now() WHERE thread_id = $1",
} as const;

export interface ThreadRow {
  threadId: string;
  graphId: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}
