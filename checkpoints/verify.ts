import type pg from "pg";
import { decodeBody } from "./body.js";
import { checkpointChecksum, writeChecksum } from "./checksum.js";
import { unpackValue } from "./compress.js";
import type { CheckpointRow, WriteRow } from "./resolve.js";
import { STAMP_CHECKPOINTS, STAMP_WRITES, VERIFY_CHECKPOINTS, VERIFY_WRITES } from "./sql.js";

export interface VerifyOptions {
  /** Threads to scan; every thread when absent. */
  threadIds?: readonly string[];
  /** Add checksums to sound rows stored before checksums existed. */
  repair?: boolean;
  /** Rows read per statement. Default 500. */
  batchSize?: number;
}

/** A row that failed verification. */
export interface CorruptRow {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  kind: "checkpoint" | "pending write";
  /** For a pending write: the task that made it. */
  taskId?: string;
  reason: string;
}

export interface VerifyReport {
  checkpoints: number;
  writes: number;
  /** Sound rows that had no checksum (stored before checksums). */
  unchecksummed: number;
  /** Of those, the rows given one by this scan (repair). */
  repaired: number;
  corrupt: CorruptRow[];
}

type Db = { pool: Pick<pg.Pool, "query"> };

/**
 * Checks every stored row of the given threads (or all) in bounded batches:
 * a row with a checksum must match it and decode; a row without one (stored
 * before checksums) must decode, and with `repair` gets its checksum, so
 * later reads verify it too. Corrupt rows are reported, never changed.
 *
 * @example
 * const report = await verifyCheckpoints(db, { threadIds: ["t1"], repair: true });
 * if (report.corrupt.length) console.error(report.corrupt);
 */
export async function verifyCheckpoints(db: Db, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = { checkpoints: 0, writes: 0, unchecksummed: 0, repaired: 0, corrupt: [] };
  const threads = options.threadIds ? [...options.threadIds] : null;
  const size = Math.max(1, Math.floor(options.batchSize ?? 500));
  if (threads?.length === 0) return report;

  for (let cursor: (string | null)[] = [null, null, null]; ; ) {
    const { rows } = await db.pool.query<CheckpointRow>(VERIFY_CHECKPOINTS, [threads, ...cursor, size]);
    const stamps: CheckpointRow[] = [];
    for (const row of rows) {
      const at = { threadId: row.threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId, kind: "checkpoint" as const };
      const computed = checkpointChecksum(row.checkpointNs, row.checkpointId, row.parentCheckpointId, row.flags, row.body);
      const problem = row.checksum !== null && row.checksum !== computed ? "its checksum does not match its contents" : decodeProblem(row);
      if (problem) report.corrupt.push({ ...at, reason: problem });
      else if (row.checksum === null) {
        report.unchecksummed++;
        stamps.push({ ...row, checksum: computed });
      }
    }
    report.checkpoints += rows.length;
    if (options.repair && stamps.length > 0) {
      const { rowCount } = await db.pool.query(STAMP_CHECKPOINTS, [
        stamps.map((r) => r.threadId), stamps.map((r) => r.checkpointNs), stamps.map((r) => r.checkpointId),
        stamps.map((r) => r.checksum), stamps.map((r) => r.body),
      ]);
      report.repaired += rowCount ?? 0;
    }
    const last = rows.at(-1);
    if (!last || rows.length < size) break;
    cursor = [last.threadId, last.checkpointNs, last.checkpointId];
  }

  for (let cursor: unknown[] = [null, null, null, null, null]; ; ) {
    const [thread, ns, id, task, idx] = cursor;
    const { rows } = await db.pool.query<WriteRow>(VERIFY_WRITES, [threads, thread, ns, id, size, task, idx]);
    const stamps: WriteRow[] = [];
    for (const w of rows) {
      const computed = writeChecksum(w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, w.idx, w.channel, w.type, w.blob);
      const problem = w.checksum !== null && w.checksum !== computed ? "its checksum does not match its contents" : unpackProblem(w);
      if (problem) {
        report.corrupt.push({
          threadId: w.threadId, checkpointNs: w.checkpointNs, checkpointId: w.checkpointId, kind: "pending write", taskId: w.taskId, reason: problem,
        });
      } else if (w.checksum === null) {
        report.unchecksummed++;
        stamps.push({ ...w, checksum: computed });
      }
    }
    report.writes += rows.length;
    if (options.repair && stamps.length > 0) {
      const { rowCount } = await db.pool.query(STAMP_WRITES, [
        stamps.map((w) => w.threadId), stamps.map((w) => w.checkpointNs), stamps.map((w) => w.checkpointId),
        stamps.map((w) => w.taskId), stamps.map((w) => w.idx), stamps.map((w) => w.checksum), stamps.map((w) => w.blob),
      ]);
      report.repaired += rowCount ?? 0;
    }
    const last = rows.at(-1);
    if (!last || rows.length < size) break;
    cursor = [last.threadId, last.checkpointNs, last.checkpointId, last.taskId, last.idx];
  }
  return report;
}

function decodeProblem(row: CheckpointRow): string | undefined {
  try {
    const body = decodeBody(row.body);
    const record: unknown = JSON.parse(Buffer.from(body.record).toString("utf8"));
    if (record === null || typeof record !== "object" || Array.isArray(record)) return "the checkpoint record is not an object";
    return undefined;
  } catch (err) {
    return `cannot decode the stored row (${(err as Error)?.message ?? String(err)})`;
  }
}

function unpackProblem(w: WriteRow): string | undefined {
  try {
    unpackValue(w.type, w.blob);
    return undefined;
  } catch (err) {
    return `cannot unpack the stored value (${(err as Error)?.message ?? String(err)})`;
  }
}
