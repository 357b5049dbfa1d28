import pg from "pg";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PglitePgConnection, createPgConfig } from "@electric-sql/pglite/node-postgres";
import { vector } from "@electric-sql/pglite-pgvector";
import { DatabaseUnavailableError } from "../errors.js";
import type { Database } from "./database.js";
import { oneLineReason as reason } from "./errors.js";
import { assertIdentifier } from "./identifiers.js";
import { acquireDataDirLock } from "./pglite-lock.js";
import { DurableNodeFS, durablePgliteOptions } from "./pglite-fs.js";

export interface DatabaseOptions {
  /** A Postgres connection string. When absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder, or "memory://" for an in-memory database. */
  dataDir?: string;
  /** Schema for all tables (created by the migrations). Default "public". */
  schema?: string;
  /** Upper bound of pooled connections to a real Postgres. Default 10. */
  maxConnections?: number;
  /** Milliseconds to wait for a connection (a new one, or a free one from the pool) before failing. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * Milliseconds one statement may take before it fails with
   * DatabaseUnavailableError. The server cancels it (statement_timeout) and
   * the client gives up a moment later (query_timeout) in case the server
   * cannot even answer that. Default 60000.
   */
  statementTimeoutMs?: number;
  /**
   * An already-running PGlite to use instead of opening `dataDir`; the caller
   * owns it and closes it. It has one session, so only one Database may use
   * it at a time (each sets its own search_path).
   */
  pglite?: PGlite;
}

export const DEFAULT_DATA_DIR = ".threadline/data";

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Opens the database and checks that it answers. Throws
 * DatabaseUnavailableError with a one-line reason when it does not.
 *
 * @example
 * const db = await openDatabase({ dataDir: "memory://" });
 * await db.pool.query("SELECT 1");
 * await db.close();
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const schema = assertIdentifier(options.schema ?? "public", "schema name");
  const db = options.url
    ? await openPostgres(options.url, schema, options)
    : options.pglite
      ? await wrapPglite(options.pglite, schema, "pglite (shared)", async () => {})
      : await openPglite(options.dataDir ?? DEFAULT_DATA_DIR, schema);
  try {
    await ensureSchema(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot create schema "${schema}" at ${db.location}: ${reason(err)}`, { cause: err });
  }
  return db;
}

// Until the schema exists, search_path silently falls through to `public`,
// where any table created would land; so it exists before anything runs.
async function ensureSchema(db: Database): Promise<void> {
  if (db.schema === "public") return;
  try {
    await db.pool.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
  } catch (err) {
    // Two processes creating it at once: one gets a unique violation, and the
    // schema exists all the same.
    if ((err as { code?: string }).code !== "23505") throw err;
  }
}

async function openPostgres(url: string, schema: string, options: DatabaseOptions): Promise<Database> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 60_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Server side: a runaway statement is cancelled with a clean error and the
    // connection stays usable.
    statement_timeout: statementTimeoutMs,
    // Client side, a little later: a server that no longer answers at all (a
    // frozen process, a dead network path) fails the query instead of hanging.
    // Node timers stop at 2^31 - 1 ms; a longer one would fire at once.
    query_timeout: Math.min(MAX_TIMER_MS, statementTimeoutMs + Math.min(5_000, Math.ceil(statementTimeoutMs / 2))),
    // Lets the kernel notice a server that vanished without closing (host
    // gone, NAT entry dropped) on a connection that stays checked out between
    // statements, which the saver's writers do.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Set per connection at startup, so no query ever runs on the wrong schema
    // and no extra round trip is spent. `public` stays on the path for
    // extensions installed there.
    options: `-c search_path=${schema},public`,
  });
  // An idle client losing its server (restart, network) emits here; without a
  // listener node-postgres would crash the process. The pool replaces it.
  pool.on("error", () => undefined);
  const location = describeUrl(url);
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot reach the database at ${location}: ${reason(err)}`, { cause: err });
  }
  return { kind: "postgres", schema, pool, location, close: () => pool.end() };
}

async function openPglite(dataDir: string, schema: string): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  const location = inMemory ? dataDir : resolve(dataDir);
  let release = async () => {};
  let pglite: PGlite;
  let disk: DurableNodeFS | undefined;
  try {
    if (!inMemory) {
      mkdirSync(location, { recursive: true });
      release = acquireDataDirLock(location);
    }
    // Stock PGlite never fsyncs; DurableNodeFS makes a data folder reach the disk.
    disk = inMemory ? undefined : new DurableNodeFS(location);
    pglite = await PGlite.create(inMemory ? undefined : location, { extensions: { vector }, ...(disk && durablePgliteOptions(disk)) });
  } catch (err) {
    await release();
    if (err instanceof DatabaseUnavailableError) throw err;
    throw new DatabaseUnavailableError(`cannot open the embedded database at ${location}: ${reason(err)}`, { cause: err });
  }
  return wrapPglite(
    pglite,
    schema,
    location,
    async () => {
      await pglite.close();
      await release();
    },
    disk,
  );
}

async function wrapPglite(
  pglite: PGlite,
  schema: string,
  location: string,
  onClose: () => Promise<void>,
  disk?: DurableNodeFS,
): Promise<Database> {
  // PGlite is one backend session shared by the single pooled client, so a
  // session-level search_path holds for every query that follows.
  await pglite.exec(`SET search_path TO ${schema}, public`);
  // createPgConfig hands every client the same connection object. node-postgres
  // discards a client whose query failed, and ending that shared object strips
  // its listeners and later emits "end" into the client that replaced it,
  // killing it too. A connection object per client keeps each failure to its
  // own client; they all reach the one PGlite session.
  class PgliteClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connection: new PglitePgConnection({ pglite }) } as pg.ClientConfig);
    }
  }
  const pool = new pg.Pool({ ...createPgConfig(pglite), idleTimeoutMillis: 0, Client: PgliteClient } as pg.PoolConfig);
  pool.on("error", () => undefined);
  return {
    kind: "pglite",
    schema,
    pool,
    location,
    ...(disk && { durable: (options?: { eachCommit?: boolean }) => disk.flush(options) }),
    async close() {
      await pool.end();
      await onClose();
    },
  };
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "the configured DATABASE_URL";
  }
}
