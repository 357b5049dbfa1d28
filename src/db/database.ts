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

// One implementation for the runtime and the checkpointer, which stands alone.
export { checkOut, withTransaction } from "../../checkpoints/database.js";
