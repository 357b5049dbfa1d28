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
  /**
   * Present only for embedded PGlite on a data folder, where a commit reaches
   * the operating system before it returns (so it outlives this process) but
   * the disk only later. Resolves once everything committed so far is on
   * disk. `{ eachCommit: true }` first makes every later commit wait for the
   * disk itself (synchronous mode); `false` goes back to waiting for these
   * calls. On Postgres a synchronous commit does the same, so it is absent.
   */
  durable?(options?: { eachCommit?: boolean }): Promise<void>;
  close(): Promise<void>;
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
export async function withTransaction<T>(
  db: Pick<Database, "pool">,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
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
