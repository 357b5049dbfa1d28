import type pg from "pg";
import { withTransaction, type Database } from "../db/database.js";
import { NotFoundError } from "../errors.js";
import { THREAD_SQL } from "../threads/sql.js";
import { isRunHeld } from "./lock.js";
import { RUN_SQL, type RunRow } from "./sql.js";

export interface ThreadQueue {
  thread: { graphId: string | null; status: string };
  /** The thread's unfinished runs whose process is alive (or that wait for any worker), oldest first. */
  active: RunRow[];
}

export const ABANDONED = "the process running it stopped before it finished (its saved steps are kept)";

/**
 * Runs `fn` in a transaction that holds the thread's row lock, so runs of
 * one thread are created and claimed one at a time, whichever process asks.
 * Unfinished runs whose process died are ended first (status error) and
 * returned as `abandoned` for the caller to clean up after the commit.
 */
export async function withThreadQueue<T>(
  db: Database,
  threadId: string,
  fn: (client: pg.PoolClient, queue: ThreadQueue) => Promise<T>,
): Promise<{ result: T; abandoned: RunRow[] }> {
  return withTransaction(db, async (client) => {
    const thread = (await client.query<ThreadQueue["thread"]>(RUN_SQL.lockThread, [threadId])).rows[0];
    if (!thread) throw new NotFoundError(`unknown thread "${threadId}"`);
    const active: RunRow[] = [];
    const abandoned: RunRow[] = [];
    for (const run of (await client.query<RunRow>(RUN_SQL.active, [threadId])).rows) {
      if ((run.status === "pending" && run.background) || (await isRunHeld(db, client, run.runId))) active.push(run);
      else {
        await client.query(RUN_SQL.abandon, [run.runId, { message: run.status === "pending" ? "the process that created it stopped before it ran" : ABANDONED }]);
        abandoned.push(run);
      }
    }
    if (abandoned.length && !active.some((r) => r.status === "running")) await client.query(THREAD_SQL.setStatus, [threadId, "idle"]);
    return { result: await fn(client, { thread, active }), abandoned };
  });
}

/**
 * Makes `run` the thread's running run if it is next: no other run is
 * running and none created before it waits. "gone" when the run is no
 * longer pending (cancelled or deleted meanwhile).
 */
export async function tryClaim(db: Database, run: RunRow): Promise<{ outcome: "claimed" | "wait" | "gone"; run?: RunRow; abandoned: RunRow[] }> {
  const { result, abandoned } = await withThreadQueue(db, run.threadId, async (client, { active }) => {
    const mine = active.find((r) => r.runId === run.runId);
    if (!mine || mine.status !== "pending") return { outcome: "gone" as const };
    const ahead = active.some((r) => r.runId !== run.runId && (r.status === "running" || r.createdAt < mine.createdAt || (r.createdAt.getTime() === mine.createdAt.getTime() && r.runId < mine.runId)));
    if (ahead) return { outcome: "wait" as const };
    // Not claimed: not due yet (after_seconds).
    const claimed = (await client.query<RunRow>(RUN_SQL.claim, [run.runId])).rows[0];
    if (!claimed) return { outcome: "wait" as const };
    await client.query(THREAD_SQL.setStatus, [run.threadId, "busy"]);
    return { outcome: "claimed" as const, run: claimed };
  });
  return { ...result, abandoned };
}
