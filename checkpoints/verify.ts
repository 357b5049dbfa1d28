import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type pg from "pg";
import { type TypedBytes, decodeBody } from "./body.js";
import { CHECKSUM_MISMATCH, checkpointChecksum, checkpointRowDamaged, writeChecksum, writeRowDamaged } from "./checksum.js";
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
 * a row with a checksum must match it; a row without one (stored before
 * checksums) must decode down to every value it holds, and with `repair`
 * gets its checksum, so later reads verify it too. A row damaged before it
 * had a checksum into something that still deserialises cannot be told
 * from a sound one. Corrupt rows are reported, never changed.
 *
 * @example
 * const report = await verifyCheckpoints(db, serde, { threadIds: ["t1"], repair: true });
 * if (report.corrupt.length) console.error(report.corrupt);
 */
export async function verifyCheckpoints(db: Db, serde: SerializerProtocol, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = { checkpoints: 0, writes: 0, unchecksummed: 0, repaired: 0, corrupt: [] };
  const threads = options.threadIds ? [...options.threadIds] : null;
  const size = Math.max(1, Math.floor(options.batchSize ?? 500));
  if (threads?.length === 0) return report;

  for (let cursor: (string | null)[] = [null, null, null]; ; ) {
    const { rows } = await db.pool.query<CheckpointRow>(VERIFY_CHECKPOINTS, [threads, ...cursor, size]);
    const stamps: CheckpointRow[] = [];
    for (const row of rows) {
      const at = { threadId: row.threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId, kind: "checkpoint" as const };
      const problem = checkpointRowDamaged(row) ? CHECKSUM_MISMATCH : row.checksum === null ? await decodeProblem(serde, row) : undefined;
      if (problem) report.corrupt.push({ ...at, reason: problem });
      else if (row.checksum === null) {
        report.unchecksummed++;
        stamps.push({ ...row, checksum: checkpointChecksum(row.checkpointNs, row.checkpointId, row.parentCheckpointId, row.flags, row.body) });
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
      const problem = writeRowDamaged(w) ? CHECKSUM_MISMATCH : w.checksum === null ? await valueProblem(serde, { type: w.type, data: w.blob }) : undefined;
      if (problem) {
        report.corrupt.push({
          threadId: w.threadId, checkpointNs: w.checkpointNs, checkpointId: w.checkpointId, kind: "pending write", taskId: w.taskId, reason: problem,
        });
      } else if (w.checksum === null) {
        report.unchecksummed++;
        stamps.push({ ...w, checksum: writeChecksum(w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, w.idx, w.channel, w.type, w.blob) });
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

async function decodeProblem(serde: SerializerProtocol, row: CheckpointRow): Promise<string | undefined> {
  let body;
  try {
    body = decodeBody(row.body);
    const record: unknown = JSON.parse(Buffer.from(body.record).toString("utf8"));
    if (record === null || typeof record !== "object" || Array.isArray(record)) return "the checkpoint record is not an object";
  } catch (err) {
    return `cannot decode the stored row (${(err as Error)?.message ?? String(err)})`;
  }
  const values: [string, TypedBytes][] = [["metadata", body.metadata]];
  for (const [channel, entry] of body.channels) {
    if (entry.kind === "value") values.push([`channel "${channel}"`, entry.value]);
    if (entry.kind === "list") for (const item of entry.items) values.push([`channel "${channel}"`, item]);
  }
  for (const w of body.writes) values.push([`pending write of task ${w.taskId}`, w.value]);
  for (const [part, value] of values) {
    const problem = await valueProblem(serde, value);
    if (problem) return `${part}: ${problem}`;
  }
  return undefined;
}

/** Whether a stored value (packed or not) no longer unpacks or deserialises. */
async function valueProblem(serde: SerializerProtocol, value: TypedBytes): Promise<string | undefined> {
  try {
    const [type, data] = unpackValue(value.type, value.data);
    await serde.loadsTyped(type, data);
    return undefined;
  } catch (err) {
    return `cannot read the stored value (${(err as Error)?.message ?? String(err)})`;
  }
}
