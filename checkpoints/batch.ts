import type pg from "pg";
import { checkpointChecksum, writeChecksum } from "./checksum.js";
import { rowKey } from "./keys.js";
import { type RetryPolicy, retrying } from "./retry.js";
import { BATCH_WRITE, INSERT_WRITES, PUT_CHECKPOINT, UPSERT_WRITES } from "./sql.js";
import type { TtlPolicy } from "./ttl.js";

/** A checkpoint row to store. */
export interface PutJob {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentId: string | null;
  runId: string | null;
  /** The row stores changes against its parent: only write it while the parent exists. */
  needsParent: boolean;
  /**
   * Builds the row's flags and body; encode() is called once, just before
   * the row is sent. A call that has to wait for a connection is encoded
   * together with the others of its group, one after another, which costs
   * the process less than encoding each between the graph's own work (the
   * compressor's state stays in the CPU's caches). Throwing fails this call
   * only.
   */
  source: { encode(): EncodedBody };
}

export interface EncodedBody {
  flags: number;
  body: Buffer;
}

type PendingPut = { put: PutJob; row?: EncodedBody; resolve: (stored: boolean) => void; reject: (err: unknown) => void };

/** One putWrites() call for the pending-writes table; rows are [idx, channel, type, blob]. */
export interface WritesJob {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  taskId: string;
  taskPath: string;
  runId: string | null;
  upsert: boolean;
  rows: [number, string, string, Buffer][];
}

type Pending = PendingPut | { writes: WritesJob; resolve: (stored: boolean) => void; reject: (err: unknown) => void };

type Encoded = Exclude<Pending, PendingPut> | (PendingPut & { row: EncodedBody });

type Run = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

export interface BatcherOptions {
  /** synchronous_commit of these statements, whatever the session's default. */
  commit: "on" | "off";
  defaultTtl: TtlPolicy | undefined;
  maxInFlight: number;
  maxBatch?: number;
  /** How a statement that failed with a transient fault is sent again. */
  retry?: RetryPolicy;
}

/**
 * Client-side group commit. A call is sent at once while fewer than
 * `maxInFlight` statements are running; once that many are in flight, the
 * calls that arrive meanwhile wait and then go together as one statement
 * (one round trip, one commit), which is what lets many threads share
 * commits. If a shared statement fails, its calls are retried one by one so
 * only the faulty one fails.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: Run,
    private readonly options: BatcherOptions,
  ) {}

  /** Resolves false when the row needed its parent and the parent is gone. */
  put(job: PutJob): Promise<boolean> {
    return new Promise((resolve, reject) => this.enqueue({ put: job, resolve, reject }));
  }

  writes(job: WritesJob): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ writes: job, resolve: () => resolve(), reject }));
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = encodeAll(this.queue.splice(0, this.options.maxBatch ?? 256));
      if (batch.length === 0) continue;
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Encoded[]): Promise<void> {
    try {
      const stored = await this.sendRetrying(batch);
      for (const p of batch) p.resolve("put" in p ? stored.has(putKey(p.put)) : true);
    } catch (err) {
      // Alone, or the database itself failing: sending the calls one by one cannot help.
      if (batch.length === 1 || this.options.retry?.isTransient(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          const stored = await this.sendRetrying([p]);
          p.resolve("put" in p ? stored.has(putKey(p.put)) : true);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }

  /**
   * Every statement here is idempotent (a checkpoint row is replaced by the
   * same row, a write keeps its first or latest value as before), so one
   * whose connection died before its answer arrived is safe to send again.
   */
  private sendRetrying(batch: Encoded[]): Promise<Set<string>> {
    return retrying(this.options.retry, () => this.send(batch));
  }

  private async send(batch: Encoded[]): Promise<Set<string>> {
    // A lone call uses a statement made for it: the shared one costs more to
    // plan and run than the round trip it would save.
    if (batch.length === 1) return this.sendOne(batch[0]!);
    const { commit, defaultTtl } = this.options;
    const puts = new Map<string, PutJob & EncodedBody>();
    const writes = new Map<string, [WritesJob, number, string, string, Buffer]>();
    for (const p of batch) {
      if ("put" in p) {
        // The same checkpoint twice in one statement: the later call wins, as it would one by one.
        puts.delete(putKey(p.put));
        puts.set(putKey(p.put), { ...p.put, ...p.row });
        continue;
      }
      const w = p.writes;
      for (const [idx, channel, type, blob] of w.rows) {
        const key = [w.threadId, w.checkpointNs, w.checkpointId, w.taskId, idx].join("\u0000");
        if (!w.upsert && writes.has(key)) continue;
        writes.set(key, [w, idx, channel, type, blob]);
      }
    }
    const ws = [...writes.values()];
    const cs = [...puts.values()];
    const { rows } = await this.run(BATCH_WRITE, [
      commit,
      ws.map(([j]) => j.threadId), ws.map(([j]) => j.checkpointNs), ws.map(([j]) => j.checkpointId),
      ws.map(([j]) => j.taskId), ws.map(([j]) => j.taskPath), ws.map(([j]) => j.runId),
      ws.map(([, idx]) => idx), ws.map(([, , channel]) => channel), ws.map(([, , , type]) => type),
      ws.map(([, , , , blob]) => blob), ws.map(([j]) => j.upsert),
      defaultTtl?.ttlMs ?? null, defaultTtl?.policy ?? null,
      [...new Set(cs.map((c) => c.threadId))],
      cs.map((c) => c.threadId), cs.map((c) => c.checkpointNs), cs.map((c) => c.checkpointId),
      cs.map((c) => c.parentId), cs.map((c) => c.runId), cs.map((c) => c.flags), cs.map((c) => c.body),
      cs.map((c) => c.needsParent),
      ws.map(([j, idx, channel, type, blob]) => writeChecksum(j.checkpointNs, j.checkpointId, j.taskId, j.taskPath, idx, channel, type, blob)),
      cs.map((c) => checkpointChecksum(c.checkpointNs, c.checkpointId, c.parentId, c.flags, c.body)),
    ]);
    return new Set(rows.map((r: { threadId: string; checkpointNs: string; checkpointId: string }) => putKey(r)));
  }

  private async sendOne(pending: Encoded): Promise<Set<string>> {
    const { commit, defaultTtl } = this.options;
    if ("writes" in pending) {
      const w = pending.writes;
      await this.run(w.upsert ? UPSERT_WRITES : INSERT_WRITES, [
        w.threadId, w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, w.runId,
        w.rows.map(([idx]) => idx), w.rows.map(([, channel]) => channel),
        w.rows.map(([, , type]) => type), w.rows.map(([, , , blob]) => blob), commit,
        w.rows.map(([idx, channel, type, blob]) => writeChecksum(w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, idx, channel, type, blob)),
      ]);
      return new Set();
    }
    const p = pending.put;
    const { rowCount } = await this.run(PUT_CHECKPOINT, [
      p.threadId, p.checkpointNs, p.checkpointId, p.parentId, p.runId, pending.row.flags, pending.row.body, p.needsParent,
      commit, defaultTtl?.ttlMs ?? null, defaultTtl?.policy ?? null,
      checkpointChecksum(p.checkpointNs, p.checkpointId, p.parentId, pending.row.flags, pending.row.body),
    ]);
    return rowCount ? new Set([putKey(p)]) : new Set();
  }
}

/** The group with every row encoded; a call whose encoding fails is failed and left out. */
function encodeAll(batch: Pending[]): Encoded[] {
  const encoded: Encoded[] = [];
  for (const p of batch) {
    if (!("put" in p)) {
      encoded.push(p);
      continue;
    }
    try {
      p.row ??= p.put.source.encode();
      encoded.push(p as PendingPut & { row: EncodedBody });
    } catch (err) {
      p.reject(err);
    }
  }
  return encoded;
}

function putKey(p: { threadId: string; checkpointNs: string; checkpointId: string }): string {
  return rowKey(p.threadId, p.checkpointNs, p.checkpointId);
}
