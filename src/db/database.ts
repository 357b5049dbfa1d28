import type pg from "pg";

/**
 * The one database interface of the runtime: a node-postgres pool, whether it
 * reaches a real Postgres server or embedded PGlite through PGlite's
 * node-postgres adapter. Code above this layer never knows which.
 */
export interface Database {
  readonly kind: "postgres" | "pglite";
  /** Schema every unqualified table name resolves to (via search_path). */
  readonly schema: string;
  readonly pool: pg.Pool;
  /** Human-readable location (data folder or host/database, never a password). */
  readonly location: string;
  close(): Promise<void>;
}

/** Runs `fn` in a transaction on one pooled connection; rolls back on error. */
export async function withTransaction<T>(
  db: Pick<Database, "pool">,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
