import type pg from "pg";
import type { EncodedChannels } from "./encode.js";
import { BATCH_WRITE, INSERT_WRITES, PUT_CHECKPOINT, UPSERT_WRITES } from "./sql.js";
import type { TtlPolicy } from "./ttl.js";

/** A checkpoint ready to store: everything serialised. */
export interface PutJob {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentId: string | null;
  /** The queried part of the record (v, channel_versions), JSON. */
  checkpoint: string;
  /** The rest of the record, deflated JSON. */
  record: Buffer;
  metadata: string;
  runId: string | null;
  encoded: EncodedChannels;
}

/** One putWrites() call, serialised; rows are [idx, channel, type, blob]. */
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

type Pending =
  | { put: PutJob; resolve: (stored: boolean) => void; reject: (err: unknown) => void }
  | { writes: WritesJob; resolve: (stored: boolean) => void; reject: (err: unknown) => void };

type Run = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/**
 * Client-side group commit. A call is sent at once while fewer than
 * `maxInFlight` statements are running, so a lone thread's putWrites and put
 * still overlap with the graph's own work; once that many are in flight,
 * the calls that arrive meanwhile wait and then go together as one
 * statement (one round trip, one commit), which is what lets many threads
 * share commits. Each call still waits for exactly one round trip; if a
 * shared statement fails, its calls are retried one by one so only the
 * faulty one fails.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: Run,
    private readonly defaultTtl: TtlPolicy | undefined,
    private readonly maxInFlight = 4,
    private readonly maxBatch = 256,
  ) {}

  /** Resolves false when the checkpoint was not stored because items it builds on are gone. */
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
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const stored = await this.send(batch);
      for (const p of batch) p.resolve("put" in p ? stored.has(putKey(p.put)) : true);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          const stored = await this.send([p]);
          p.resolve("put" in p ? stored.has(putKey(p.put)) : true);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }

  private async send(batch: Pending[]): Promise<Set<string>> {
    // A lone call uses a statement made for it: the shared one costs more to
    // plan and run than the round trip it would save.
    if (batch.length === 1) return this.sendOne(batch[0]!);
    const items = { threads: [] as string[], nodes: [] as Buffer[], parents: [] as (Buffer | null)[], types: [] as string[], values: [] as Buffer[] };
    const blobs = { threads: [] as string[], namespaces: [] as string[], channels: [] as string[], versions: [] as string[], types: [] as string[], values: [] as (Buffer | null)[] };
    const bases = { jobs: [] as number[], threads: [] as string[], nodes: [] as Buffer[] };
    const puts = new Map<string, [number, PutJob]>();
    const writes = new Map<string, [WritesJob, number, string, string, Buffer]>();
    batch.forEach((p, job) => {
      if ("writes" in p) {
        const w = p.writes;
        for (const [idx, channel, type, blob] of w.rows) {
          const key = [w.threadId, w.checkpointNs, w.checkpointId, w.taskId, idx].join("\u0000");
          if (!w.upsert && writes.has(key)) continue;
          writes.set(key, [w, idx, channel, type, blob]);
        }
        return;
      }
      const { encoded, threadId } = p.put;
      puts.set(putKey(p.put), [job, p.put]);
      encoded.items.nodes.forEach((node, i) => {
        items.threads.push(threadId);
        items.nodes.push(node);
        items.parents.push(encoded.items.parents[i] ?? null);
        items.types.push(encoded.items.types[i]!);
        items.values.push(encoded.items.values[i]!);
      });
      encoded.blobs.channels.forEach((channel, i) => {
        blobs.threads.push(threadId);
        blobs.namespaces.push(p.put.checkpointNs);
        blobs.channels.push(channel);
        blobs.versions.push(encoded.blobs.versions[i]!);
        blobs.types.push(encoded.blobs.types[i]!);
        blobs.values.push(encoded.blobs.values[i] ?? null);
      });
      for (const node of encoded.bases) {
        bases.jobs.push(job);
        bases.threads.push(threadId);
        bases.nodes.push(node);
      }
    });
    const w = [...writes.values()];
    const c = [...puts.values()];
    const { rows } = await this.run(BATCH_WRITE, [
      items.threads, items.nodes, items.parents, items.types, items.values,
      blobs.threads, blobs.namespaces, blobs.channels, blobs.versions, blobs.types, blobs.values,
      w.map(([j]) => j.threadId), w.map(([j]) => j.checkpointNs), w.map(([j]) => j.checkpointId),
      w.map(([j]) => j.taskId), w.map(([j]) => j.taskPath), w.map(([j]) => j.runId),
      w.map(([, idx]) => idx), w.map(([, , channel]) => channel), w.map(([, , , type]) => type),
      w.map(([, , , , blob]) => blob), w.map(([j]) => j.upsert),
      this.defaultTtl?.ttlMs ?? null, this.defaultTtl?.policy ?? null,
      [...new Set(c.map(([, put]) => put.threadId))],
      bases.jobs, bases.threads, bases.nodes,
      c.map(([job]) => job), c.map(([, put]) => put.threadId), c.map(([, put]) => put.checkpointNs),
      c.map(([, put]) => put.checkpointId), c.map(([, put]) => put.parentId), c.map(([, put]) => put.runId),
      c.map(([, put]) => put.checkpoint), c.map(([, put]) => put.metadata), c.map(([, put]) => put.record),
    ]);
    return new Set(rows.map((r: { threadId: string; checkpointNs: string; checkpointId: string }) => putKey(r)));
  }

  private async sendOne(pending: Pending): Promise<Set<string>> {
    if ("writes" in pending) {
      const w = pending.writes;
      await this.run(w.upsert ? UPSERT_WRITES : INSERT_WRITES, [
        w.threadId, w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, w.runId,
        w.rows.map(([idx]) => idx), w.rows.map(([, channel]) => channel),
        w.rows.map(([, , type]) => type), w.rows.map(([, , , blob]) => blob),
      ]);
      return new Set();
    }
    const p = pending.put;
    const { blobs, items } = p.encoded;
    const { rows } = await this.run(PUT_CHECKPOINT, [
      p.threadId, p.checkpointNs, p.checkpointId, p.parentId, p.checkpoint, p.metadata, p.runId,
      blobs.channels, blobs.versions, blobs.types, blobs.values,
      items.nodes, items.parents, items.types, items.values,
      p.encoded.bases,
      this.defaultTtl?.ttlMs ?? null, this.defaultTtl?.policy ?? null, p.record,
    ]);
    return new Set(rows.map((r: { threadId: string; checkpointNs: string; checkpointId: string }) => putKey(r)));
  }
}

function putKey(p: { threadId: string; checkpointNs: string; checkpointId: string }): string {
  return `${p.threadId}\u0000${p.checkpointNs}\u0000${p.checkpointId}`;
}
