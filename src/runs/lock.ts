import { setMaxListeners } from "node:events";
import type pg from "pg";
import { checkOut, type Database } from "../db/database.js";
import { RUN_SQL } from "./sql.js";

/**
 * Who is responsible for a run. A process holds each run it executes (or
 * created to execute itself) in `held`, and on Postgres also a session
 * advisory lock keyed by the run id, all of them on one connection of the
 * process's own (one session holds any number of locks, so runs never
 * drain the pool). The server drops the locks the moment that connection
 * goes, so another process tells at once that a run's process died
 * (kill -9, a lost machine) and recovers the thread, with no lease to wait
 * out; the process itself stops every run it held when it loses the
 * connection. Embedded PGlite is used by one process only (its data-folder
 * lock), so there `held` alone decides. Session locks do not survive a
 * pooler in transaction mode (PgBouncer): point DATABASE_URL at Postgres
 * itself or at a session-mode pool.
 */
const held = new Map<string, { db: Database; lost: AbortController }>();

interface LockSession {
  client: Promise<pg.PoolClient>;
  lost: AbortController;
  /** Runs holding a lock on it; the connection goes back to the pool at none. */
  holders: number;
  givenBack?: boolean;
  /** The statements sent on it, one after another (a connection runs one at a time). */
  turn: Promise<unknown>;
  onError: (err: Error) => void;
}

const sessions = new WeakMap<Database, LockSession>();

function sessionOf(db: Database): LockSession {
  let session = sessions.get(db);
  if (!session || session.lost.signal.aborted) {
    const lost = new AbortController();
    // Every run held on the session listens for its loss, however many there are.
    setMaxListeners(0, lost.signal);
    const onError = (err: Error) => {
      lost.abort(err);
      if (sessions.get(db) === created) sessions.delete(db);
    };
    const created: LockSession = { lost, holders: 0, onError, client: checkOut(db.pool, onError), turn: Promise.resolve() };
    created.client.catch(() => sessions.delete(db));
    sessions.set(db, (session = created));
  }
  return session;
}

/** Runs `fn` once the statements sent before it on the session's connection are done. */
function inTurn<T>(session: LockSession, fn: () => Promise<T>): Promise<T> {
  const result = session.turn.then(fn, fn);
  session.turn = result.catch(() => undefined);
  return result;
}

/**
 * Gives the session's connection back to the pool (closed if it failed),
 * once: closing the process's lock session and its last run letting go may
 * both ask.
 */
function giveBack(session: LockSession): void {
  if (session.givenBack) return;
  session.givenBack = true;
  void session.client.then(
    (client) => {
      client.removeListener("error", session.onError);
      client.release(session.lost.signal.aborted);
    },
    () => undefined,
  );
}

export interface RunHold {
  /** Aborted when the lock's connection is lost: another process may then take the run over, so it must stop. */
  readonly lost: AbortSignal;
  /** Asks the lock's connection whether it still answers; false aborts `lost`. */
  ping(): Promise<boolean>;
  release(): Promise<void>;
  /**
   * Lets go without asking the database (one that stopped answering): the
   * lock's connection is closed, which drops every lock on the server.
   */
  abandon(): void;
}

/** Sends a statement on the connection a run's lock is to be held on. */
export type LockQuery = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => Promise<pg.QueryResult<R>>;

/**
 * Takes the lock of a run by running a statement of the caller's on the
 * lock's connection, for a statement that takes it itself as it creates the
 * run (RUN_SQL.startIdle): `schema` goes where RUN_SQL.tryLock takes it, or
 * null, where no advisory lock is needed (PGlite). Resolves whether the lock
 * was taken.
 */
export type LockStatement = (query: LockQuery, schema: string | null) => Promise<boolean>;

/**
 * Takes responsibility for a run; undefined when another process holds it
 * (or `lock`, when given, did not take it).
 */
export async function holdRun(db: Database, runId: string, lock?: LockStatement): Promise<RunHold | undefined> {
  if (held.has(runId)) return undefined;
  const lost = new AbortController();
  if (db.kind === "pglite") {
    held.set(runId, { db, lost });
    const locked = lock ? await lock((text, values) => db.pool.query(text, values), null).catch((err: unknown) => {
      held.delete(runId);
      throw err;
    }) : true;
    if (!locked) {
      held.delete(runId);
      return undefined;
    }
    return { lost: lost.signal, ping: async () => true, release: async () => void held.delete(runId), abandon: () => void held.delete(runId) };
  }
  const session = sessionOf(db);
  session.holders++;
  held.set(runId, { db, lost });
  const onLost = () => lost.abort(session.lost.signal.reason);
  session.lost.signal.addEventListener("abort", onLost, { once: true });
  const forget = () => {
    held.delete(runId);
    session.lost.signal.removeEventListener("abort", onLost);
    if (--session.holders > 0) return;
    // Nothing held: the connection goes back, so an idle process keeps none
    // (and closing the pool never waits for it).
    if (sessions.get(db) === session) sessions.delete(db);
    giveBack(session);
  };
  let client: pg.PoolClient;
  try {
    client = await session.client;
  } catch (err) {
    forget();
    throw err;
  }
  try {
    const locked = await inTurn(session, async () => {
      if (!lock) return (await client.query<{ locked: boolean }>(RUN_SQL.tryLock, [db.schema, runId])).rows[0]!.locked;
      try {
        return await lock((text, values) => client.query(text, values), db.schema);
      } catch (err) {
        // A session lock outlives the failed statement that took it.
        await client.query(RUN_SQL.unlock, [db.schema, runId]).catch(() => undefined);
        throw err;
      }
    });
    if (!locked) {
      forget();
      return undefined;
    }
  } catch (err) {
    forget();
    throw err;
  }
  return {
    lost: lost.signal,
    async ping() {
      const ok = await inTurn(session, () => client.query(RUN_SQL.ping)).then(() => true, () => false);
      if (!ok) lost.abort(new Error("the connection holding the run's lock stopped answering"));
      return ok;
    },
    abandon() {
      if (!held.has(runId)) return;
      // Every run of this process loses its lock with the connection.
      session.lost.abort(new Error("the database stopped answering"));
      if (sessions.get(db) === session) sessions.delete(db);
      forget();
    },
    async release() {
      if (!held.has(runId)) return;
      if (!session.lost.signal.aborted) await inTurn(session, () => client.query(RUN_SQL.unlock, [db.schema, runId])).catch(() => undefined);
      forget();
    },
  };
}

/**
 * Whether some process is responsible for the run. `client` is the
 * connection of the caller's transaction; the probe's lock lasts only as
 * long as that transaction.
 */
export async function isRunHeld(db: Database, client: pg.PoolClient, runId: string): Promise<boolean> {
  if (held.has(runId)) return true;
  if (db.kind === "pglite") return false;
  const { rows } = await client.query<{ free: boolean }>(RUN_SQL.probeLock, [db.schema, runId]);
  return !rows[0]!.free;
}

/** Whether this process holds the run (e.g. to signal its cancellation directly). */
export function holdsRun(runId: string): boolean {
  return held.has(runId);
}

/** Lets go of the lock connection of `db` (after every run was released), before the pool closes. */
export async function closeLockSession(db: Database): Promise<void> {
  const session = sessions.get(db);
  if (!session) return;
  sessions.delete(db);
  session.lost.abort(new Error("closing"));
  giveBack(session);
  await session.client.catch(() => undefined);
}
