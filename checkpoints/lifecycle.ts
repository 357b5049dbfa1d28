import type pg from "pg";
import { type Database, withTransaction } from "../src/db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../src/errors.js";
import { COPY_THREAD, DELETE_RUN, DELETE_THREADS, GC_BLOBS, GC_ITEMS, PRUNE_CHECKPOINTS } from "./sql.js";

/** Rows removed by a lifecycle operation. */
export interface DeleteResult {
  checkpoints: number;
  writes: number;
  blobs: number;
  items: number;
}

/** Rows written by copyThread. */
export type CopyResult = DeleteResult;

type Db = Pick<Database, "pool">;

/**
 * Deletes every row of the given threads in one statement.
 *
 * @example
 * await deleteThreads(db, ["t1", "t2"]);
 */
export async function deleteThreads(db: Db, threadIds: readonly string[]): Promise<DeleteResult> {
  const { rows } = await db.pool.query<DeleteResult>(DELETE_THREADS, [threadIds]);
  return rows[0]!;
}

/**
 * Copies thread `from` to the new thread `to` (checkpoints, writes, stored
 * items and TTL), in one statement. Refuses a target that has checkpoints.
 *
 * @example
 * await copyThread(db, "t1", "t1-copy");
 */
export async function copyThread(db: Db, from: string, to: string): Promise<CopyResult> {
  if (!from || !to || from === to) throw new InvalidInputError("copyThread needs two different thread ids");
  const { rows } = await db.pool.query<CopyResult & { targetExists: boolean }>(COPY_THREAD, [from, to]);
  const { targetExists, ...copied } = rows[0]!;
  if (targetExists) throw new ConflictError(`thread ${to} already has checkpoints`);
  if (copied.checkpoints === 0) throw new NotFoundError(`thread ${from} has no checkpoints`);
  return copied;
}

/**
 * Keeps the newest `keepLatest` checkpoints of each namespace of a thread and
 * deletes the older ones with their writes, then the blobs and list items
 * only they used.
 *
 * @example
 * await pruneThread(db, "t1", 10);
 */
export async function pruneThread(db: Db, threadId: string, keepLatest: number): Promise<DeleteResult> {
  if (!Number.isInteger(keepLatest) || keepLatest < 1) {
    throw new InvalidInputError(`keepLatest must be a positive integer, got ${keepLatest}`);
  }
  return withTransaction(db, async (client) => {
    const { rows } = await client.query<{ checkpoints: number; writes: number }>(PRUNE_CHECKPOINTS, [threadId, keepLatest]);
    return { ...rows[0]!, ...(await collectGarbage(client, threadId)) };
  });
}

/**
 * Deletes the checkpoints a run created on a thread, the writes against them
 * and the writes it made on the checkpoint it started from, so the thread is
 * back where it was before the run.
 *
 * @example
 * await deleteRun(db, "t1", "run-42");
 */
export async function deleteRun(db: Db, threadId: string, runId: string): Promise<DeleteResult> {
  if (!runId) throw new InvalidInputError("deleteRun needs a run id");
  return withTransaction(db, async (client) => {
    const { rows } = await client.query<{ checkpoints: number; writes: number }>(DELETE_RUN, [threadId, runId]);
    return { ...rows[0]!, ...(await collectGarbage(client, threadId)) };
  });
}

// Blobs and items are shared between checkpoints, so they can only go once
// no remaining checkpoint reaches them; each statement must see the previous
// one's deletions, hence separate statements in the caller's transaction.
async function collectGarbage(client: pg.PoolClient, threadId: string) {
  const blobs = (await client.query<{ blobs: number }>(GC_BLOBS, [threadId])).rows[0]!.blobs;
  const items = (await client.query<{ items: number }>(GC_ITEMS, [threadId])).rows[0]!.items;
  return { blobs, items };
}
