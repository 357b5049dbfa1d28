import type { PoolHolder } from "./database.js";
import { CheckpointInputError } from "./errors.js";
import { CLEAR_TTL, GET_TTL, SET_TTL, SWEEP_EXPIRED } from "./sql.js";

/**
 * How long a thread lives: `fixed` expires `ttlMs` after the TTL is set;
 * `sliding` expires `ttlMs` after the thread's latest checkpoint.
 */
export interface TtlPolicy {
  ttlMs: number;
  policy: "fixed" | "sliding";
}

export interface ThreadTtl extends TtlPolicy {
  expiresAt: Date;
}

export interface SweepOptions {
  /** Threads deleted per statement. Default 100. */
  batchSize?: number;
  /** Stop after this many batches even if more threads expired. Default unbounded. */
  maxBatches?: number;
}

export interface SweepResult {
  threadIds: string[];
  checkpoints: number;
  writes: number;
  batches: number;
}

/**
 * Sets (or replaces) a thread's TTL; returns when it will expire.
 *
 * @example
 * await setThreadTtl(db, "t1", { ttlMs: 86_400_000, policy: "sliding" });
 */
export async function setThreadTtl(db: PoolHolder, threadId: string, ttl: TtlPolicy): Promise<Date> {
  assertPolicy(ttl);
  const { rows } = await db.pool.query<{ expiresAt: Date }>(SET_TTL, [threadId, ttl.policy, Math.round(ttl.ttlMs)]);
  return rows[0]!.expiresAt;
}

/**
 * The thread's TTL, or undefined when it never expires.
 *
 * @example
 * const ttl = await getThreadTtl(db, "t1");
 */
export async function getThreadTtl(db: PoolHolder, threadId: string): Promise<ThreadTtl | undefined> {
  const { rows } = await db.pool.query<ThreadTtl>(GET_TTL, [threadId]);
  return rows[0];
}

/**
 * Makes a thread live forever again.
 *
 * @example
 * await clearThreadTtl(db, "t1");
 */
export async function clearThreadTtl(db: PoolHolder, threadId: string): Promise<void> {
  await db.pool.query(CLEAR_TTL, [threadId]);
}

/**
 * Deletes expired threads, `batchSize` threads per statement so no statement
 * holds locks on an unbounded number of rows; loops until a batch comes back
 * short or `maxBatches` is reached.
 *
 * @example
 * const { threadIds } = await sweepExpired(db, { batchSize: 50 });
 */
export async function sweepExpired(db: PoolHolder, options: SweepOptions = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new CheckpointInputError(`batchSize must be a positive integer, got ${batchSize}`);
  const total: SweepResult = { threadIds: [], checkpoints: 0, writes: 0, batches: 0 };
  while (total.batches < maxBatches) {
    const { rows } = await db.pool.query<Omit<SweepResult, "batches">>(SWEEP_EXPIRED, [batchSize]);
    const batch = rows[0]!;
    total.batches++;
    total.threadIds.push(...batch.threadIds);
    total.checkpoints += batch.checkpoints;
    total.writes += batch.writes;
    if (batch.threadIds.length < batchSize) break;
  }
  return total;
}

/**
 * Runs sweepExpired every `intervalMs` until stopped; errors go to `onError`
 * and the next tick tries again.
 *
 * @example
 * const sweeper = startTtlSweeper(db, { intervalMs: 60_000 });
 * await sweeper.stop();
 */
export function startTtlSweeper(
  db: PoolHolder,
  options: SweepOptions & { intervalMs: number; onError?: (err: unknown) => void; onSweep?: (result: SweepResult) => void },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = sweepExpired(db, options)
      .then((result) => options.onSweep?.(result), (err) => options.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function assertPolicy(ttl: TtlPolicy): void {
  if (ttl.policy !== "fixed" && ttl.policy !== "sliding") throw new CheckpointInputError(`unknown TTL policy "${String(ttl.policy)}"`);
  if (!Number.isFinite(ttl.ttlMs) || ttl.ttlMs < 1) throw new CheckpointInputError(`ttlMs must be at least 1, got ${ttl.ttlMs}`);
}
