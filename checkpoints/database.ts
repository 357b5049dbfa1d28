import type pg from "pg";

/**
 * What the checkpointer needs of a database: a node-postgres pool, plus what
 * the caller knows about it. Threadline's `Database` (src/db/database.ts) is
 * one as it is; a bare `pg.Pool` is taken as `{ pool }`.
 */
export interface CheckpointDatabase {
  readonly pool: pg.Pool;
  /**
   * "pglite" when the pool reaches embedded PGlite through its node-postgres
   * adapter: one session, so no prepared statements and one write at a time,
   * and every commit synchronous. Default "postgres".
   */
  readonly kind?: "postgres" | "pglite";
  /**
   * The schema the pool's search_path selects. Migrations create it when
   * missing and lock on it; without it they use the session's current schema.
   */
  readonly schema?: string;
  /**
   * Resolves once everything committed so far is on disk, where a commit
   * does not wait for it (PGlite on a data folder); `{ eachCommit: true }`
   * makes every later commit wait instead.
   */
  durable?(options?: { eachCommit?: boolean }): Promise<void>;
}

/** What the module-level operations (lifecycle, TTL, verify) use. */
export type PoolHolder = Pick<CheckpointDatabase, "pool">;

/** The database a pool or a database description stands for. */
export function asCheckpointDatabase(db: pg.Pool | CheckpointDatabase): CheckpointDatabase {
  return "pool" in db && typeof db.pool === "object" && db.pool !== null ? (db as CheckpointDatabase) : { pool: db as pg.Pool };
}

/**
 * Checks a connection out of the pool with `onError` listening from the same
 * tick. `await pool.connect()` resumes a microtask later, and an error the
 * connection emits in between (a server's termination notice can arrive in
 * the same read as the connection's ready message) would find no listener
 * and crash the process.
 */
export function checkOut(pool: pg.Pool, onError: (err: Error) => void): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((err, client) => {
      if (err || !client) return reject(err ?? new Error("the pool gave no connection"));
      client.on("error", onError);
      resolve(client);
    });
  });
}

/** Runs `fn` in a transaction on one pooled connection; rolls back on error. */
export async function withTransaction<T>(db: PoolHolder, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  const client = await checkOut(db.pool, onError);
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.removeListener("error", onError);
    // Released with an error, the pool closes the connection instead of reusing it.
    client.release(broken);
  }
}
