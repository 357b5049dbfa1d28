import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { type PoolHolder, withTransaction } from "./database.js";
import { CheckpointConflictError, CheckpointInputError, CheckpointNotFoundError } from "./errors.js";
import { checkpointChecksum } from "./checksum.js";
import { encodeCheckpoint } from "./encode.js";
import { rowKey } from "./keys.js";
import { readPage } from "./read.js";
import { COPY_THREAD, DELETE_CHECKPOINTS, DELETE_THREADS, PRUNE_PLAN, REWRITE_CHECKPOINT, RUN_PLAN } from "./sql.js";
import { nextChannelVersion } from "./versions.js";

/** Rows removed (or copied) by a lifecycle operation. */
export interface DeleteResult {
  checkpoints: number;
  writes: number;
  /** Kept checkpoints rewritten whole because their ancestors went. */
  rewritten?: number;
}

/**
 * Deletes every row of the given threads in one statement.
 *
 * @example
 * await deleteThreads(db, ["t1", "t2"]);
 */
export async function deleteThreads(db: PoolHolder, threadIds: readonly string[]): Promise<DeleteResult> {
  const { rows } = await db.pool.query<DeleteResult>(DELETE_THREADS, [threadIds]);
  return rows[0]!;
}

/**
 * Copies thread `from` to the new thread `to` (checkpoints, writes and TTL)
 * in one statement. Refuses a target that has checkpoints.
 *
 * @example
 * await copyThread(db, "t1", "t1-copy");
 */
export async function copyThread(db: PoolHolder, from: string, to: string): Promise<DeleteResult> {
  if (!from || !to || from === to) throw new CheckpointInputError("copyThread needs two different thread ids");
  const { rows } = await db.pool.query<DeleteResult & { targetExists: boolean }>(COPY_THREAD, [from, to]);
  const { targetExists, ...copied } = rows[0]!;
  if (targetExists) throw new CheckpointConflictError(`thread ${to} already has checkpoints`);
  if (copied.checkpoints === 0) throw new CheckpointNotFoundError(`thread ${from} has no checkpoints`);
  return copied;
}

/**
 * Keeps the newest `keepLatest` checkpoints of each namespace of a thread and
 * deletes the older ones with their writes. A kept checkpoint whose parent
 * goes is rewritten whole first, since it only stored changes.
 *
 * @example
 * await pruneThread(db, serde, "t1", 10);
 */
export async function pruneThread(db: PoolHolder, serde: SerializerProtocol, threadId: string, keepLatest: number): Promise<DeleteResult> {
  if (!Number.isInteger(keepLatest) || keepLatest < 1) {
    throw new CheckpointInputError(`keepLatest must be a positive integer, got ${keepLatest}`);
  }
  return removeCheckpoints(db, serde, threadId, PRUNE_PLAN, [threadId, keepLatest], null);
}

/**
 * Deletes the checkpoints a run created on a thread, the writes against them
 * and the writes it made on the checkpoint it started from, so the thread is
 * back where it was before the run.
 *
 * @example
 * await deleteRun(db, serde, "t1", "run-42");
 */
export async function deleteRun(db: PoolHolder, serde: SerializerProtocol, threadId: string, runId: string): Promise<DeleteResult> {
  if (!runId) throw new CheckpointInputError("deleteRun needs a run id");
  return removeCheckpoints(db, serde, threadId, RUN_PLAN, [threadId, runId], runId);
}

interface PlanRow {
  checkpointNs: string;
  checkpointId: string;
  doomed: boolean;
  boundary: boolean;
}

/**
 * Rewrites the boundary checkpoints whole (their state read before anything
 * changes), then deletes the doomed ones and their writes, in one
 * transaction. Assumes no graph runs on the thread meanwhile.
 */
async function removeCheckpoints(
  db: PoolHolder,
  serde: SerializerProtocol,
  threadId: string,
  plan: string,
  params: unknown[],
  runId: string | null,
): Promise<DeleteResult> {
  const { rows } = await db.pool.query<PlanRow>(plan, params);
  const doomed = rows.filter((r) => r.doomed);
  const rewrites: [string, string, number, Buffer, number][] = [];
  for (const row of rows.filter((r) => r.boundary)) {
    const page = readPage((text, values) => db.pool.query(text, values), serde, new Map(), () => nextChannelVersion(undefined));
    const query = { threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId, before: null };
    const [key] = await page.next(query, 1);
    if (key !== rowKey(threadId, row.checkpointNs, row.checkpointId)) continue;
    const tuple = await page.store.tuple(key);
    const location = { threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId };
    const whole = await encodeCheckpoint(serde, {
      location,
      checkpoint: tuple.checkpoint,
      metadata: tuple.metadata!,
      newVersions: tuple.checkpoint.channel_versions,
      base: { kind: "orphan" },
      // Writes it carried were made against its parent, which goes.
      writes: [],
    });
    const checksum = checkpointChecksum(row.checkpointNs, row.checkpointId, tuple.parentConfig?.configurable?.checkpoint_id ?? null, whole.flags, whole.body);
    rewrites.push([row.checkpointNs, row.checkpointId, whole.flags, whole.body, checksum]);
  }
  return withTransaction(db, async (client) => {
    for (const [checkpointNs, checkpointId, flags, body, checksum] of rewrites) {
      await client.query(REWRITE_CHECKPOINT, [threadId, checkpointNs, checkpointId, flags, body, checksum]);
    }
    const { rows: counts } = await client.query<DeleteResult>(DELETE_CHECKPOINTS, [
      threadId, doomed.map((r) => r.checkpointNs), doomed.map((r) => r.checkpointId), runId,
    ]);
    return { ...counts[0]!, rewritten: rewrites.length };
  });
}
