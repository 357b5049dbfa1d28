import type { CheckpointTuple } from "@langchain/langgraph-checkpoint";
import { isUniqueViolation, translateDatabaseError } from "../db/errors.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { EventWriter, RunEventLog } from "../stream/log.js";
import { THREAD_SQL } from "../threads/sql.js";
import { statusOf } from "../threads/state.js";
import { REQUEUE, executeRun, type ExecuteDependencies, type Execution } from "./execute.js";
import { closeLockSession, holdRun, type LockStatement, type RunHold } from "./lock.js";
import { cleanUpAbandoned } from "./maintenance.js";
import { tryClaim, withThreadQueue } from "./queue.js";
import type { RunRequest } from "./request.js";
import { RUN_SQL, type RunRow } from "./sql.js";
import { Waiters } from "./waiters.js";

type Run = RunRow;

/** Background runs a worker looks at per poll. */
const DUE_PAGE = 20;
/** Threads whose latest checkpoint is kept after their run (see `lastWritten`). */
const LAST_WRITTEN_MAX = 256;
/** How long close() waits for runs in progress to stop. */
const CLOSE_WAIT_MS = 10_000;
/** How long the end of a run executed here is remembered. */
const ENDED_KEPT_MS = 60_000;
/** At most this many of them. */
const ENDED_KEPT_MAX = 10_000;

export interface LocalDependencies extends ExecuteDependencies {
  events: RunEventLog;
}

/**
 * The runs this process is responsible for: the ones it holds (created to
 * execute here, or claimed from the queue), executes and can stop at once,
 * and, for a while, how the ones it executed ended.
 * RunService is the API over the records; this is the machinery under it.
 */
export class LocalRuns {
  private readonly holds = new Map<string, RunHold>();
  private readonly cancels = new Map<string, AbortController>();
  private readonly executing = new Map<string, Promise<unknown>>();
  private readonly waiters = new Waiters();
  /** Set when a run ended here while runs waited for its thread; see takeQueuedAfterEnd. */
  private queuedAfterEnd = false;
  /** Event writers of runs started here that have not begun to execute. */
  private readonly writers = new Map<string, EventWriter>();
  /** The latest root checkpoint of threads as the run started here found it, by run (see `started`). */
  private readonly startingAt = new Map<string, string | null>();
  /**
   * The latest root checkpoint of recently run threads as their last run
   * here wrote it, so the next run here starts without reading it when the
   * thread has not changed since (a run takes it, whatever it then does).
   */
  private readonly lastWritten = new Map<string, CheckpointTuple>();
  /**
   * How the runs this process executed ended, for a while, so whoever waits
   * on them here learns it at once (and still learns it for a stateless run,
   * whose record goes as it ends).
   */
  private readonly ended = new Map<string, { run: Run; at: number }>();

  constructor(private readonly deps: LocalDependencies) {}

  /**
   * Takes responsibility for a new run before its record exists; false when
   * that is impossible (or `lock`, a statement that creates the run and
   * takes its lock, did not take it).
   */
  async take(runId: string, lock?: LockStatement): Promise<boolean> {
    const hold = await holdRun(this.deps.db, runId, lock);
    if (!hold) return false;
    this.holds.set(runId, hold);
    return true;
  }

  /** Lets go of a run taken but never executed (its creation failed, or another process claimed it). */
  async letGo(runId: string): Promise<void> {
    const hold = this.holds.get(runId);
    this.holds.delete(runId);
    await hold?.release();
  }

  /** Whether this process holds the run. */
  holdsRun(runId: string): boolean {
    return this.holds.has(runId);
  }

  /** Stops a run this process executes (no-op for any other). */
  stop(runId: string, reason: string): void {
    this.cancels.get(runId)?.abort(reason);
  }

  /** How a run ended, if it ended here lately (a stateless run's record goes as it ends). */
  endedRun(runId: string): Run | undefined {
    return this.ended.get(runId)?.run;
  }

  /** Whether a run ended here while runs waited for its thread, since the last time this was asked. */
  takeQueuedAfterEnd(): boolean {
    const queued = this.queuedAfterEnd;
    this.queuedAfterEnd = false;
    return queued;
  }

  /** Wakes whoever waits on a run of this process to change. */
  wake(): void {
    this.waiters.wake();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.sleep(ms, signal);
  }

  /** Executes a run this process took (see RunService.execute). */
  async execute(runId: string, signal?: AbortSignal): Promise<Run> {
    const hold = this.holds.get(runId);
    if (!hold) throw new InvalidInputError(`run ${runId} is not this process's to execute`);
    if (this.cancels.has(runId)) throw new InvalidInputError(`run ${runId} is already executing in this process`);
    return this.holding(runId, hold, signal, async (cancel) => {
      const run = await this.find(runId);
      if (!run) throw new NotFoundError(`unknown run "${runId}"`);
      const claimed = await this.claim(run, cancel.signal);
      return claimed ? this.executeClaimed(claimed, cancel, hold) : ((await this.find(runId)) ?? { ...run, status: "interrupted" });
    });
  }

  /** Executes a run created here already running (see RunService.create's startHere). */
  async executeStarted(run: Run, signal?: AbortSignal): Promise<Run> {
    const hold = this.holds.get(run.runId);
    if (!hold || run.status !== "running") throw new InvalidInputError(`run ${run.runId} was not started in this process`);
    if (this.cancels.has(run.runId)) throw new InvalidInputError(`run ${run.runId} is already executing in this process`);
    return this.holding(run.runId, hold, signal, (cancel) => this.executeClaimed(run, cancel, hold));
  }

  /**
   * A run created here already running (RunService.create's startHere): its
   * event writer exists from now on, so a stream of it asked for before it
   * starts executing follows it from memory; `latestCheckpointId`, the
   * thread's latest root checkpoint as the run was created, lets it start
   * from the checkpoint the last run here wrote when that is still the one.
   */
  async started(run: Run, latestCheckpointId?: string | null): Promise<void> {
    if (latestCheckpointId !== undefined) this.startingAt.set(run.runId, latestCheckpointId);
    this.writers.set(run.runId, await this.deps.events.writer(run.runId, { fresh: true }));
  }

  /** Puts a run started here, never executed, back in the queue and lets go of it. */
  async handBack(run: Run): Promise<void> {
    // Whoever follows it here stops: the worker that takes it over numbers its events on.
    this.writers.get(run.runId)?.abandon();
    this.writers.delete(run.runId);
    this.startingAt.delete(run.runId);
    await this.deps.db.pool.query(RUN_SQL.requeue, [run.runId, run.attempt]);
    await this.letGo(run.runId);
    this.waiters.wake();
  }

  /** Executes the oldest due background run whose thread is free (see RunService.executeNext). */
  async executeNext(signal?: AbortSignal, onClaimed?: () => void, preferred?: Run): Promise<Run | undefined> {
    // Started here already: nothing was taken from the queue, so nothing more to look for.
    if (preferred?.status === "running" && this.holds.has(preferred.runId) && !this.cancels.has(preferred.runId)) return this.executeStarted(preferred, signal);
    // A run created in this process is tried first, without a look at the queue.
    const candidates = preferred ? [preferred] : (await this.deps.db.pool.query<Run>(RUN_SQL.due, [DUE_PAGE])).rows;
    for (const candidate of candidates) {
      if (!(await this.take(candidate.runId))) continue;
      const claimed = await this.attemptClaim(candidate).catch(async (err: unknown) => {
        await this.letGo(candidate.runId);
        throw err;
      });
      if (!claimed) {
        await this.letGo(candidate.runId);
        continue;
      }
      onClaimed?.();
      return this.executeStarted(claimed, signal);
    }
    // The preferred run was not due (or not next on its thread): anything else that is.
    return preferred ? this.executeNext(signal, onClaimed) : undefined;
  }

  /**
   * Stops the runs this process executes (as interrupts), waits for them
   * to stop (up to 10 s), and lets go of every run it holds.
   */
  async close(): Promise<void> {
    for (const cancel of this.cancels.values()) cancel.abort("interrupt");
    for (const writer of this.writers.values()) writer.abandon();
    this.writers.clear();
    this.startingAt.clear();
    this.lastWritten.clear();
    const stopped = Promise.allSettled([...this.executing.values()]);
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    for (const [id, hold] of this.holds) {
      this.holds.delete(id);
      await hold.release();
    }
    await closeLockSession(this.deps.db);
  }

  private async holding(runId: string, hold: RunHold, signal: AbortSignal | undefined, fn: (cancel: AbortController) => Promise<Run>): Promise<Run> {
    const cancel = new AbortController();
    // A worker that shuts down hands its runs back; anything else stops them as an interrupt.
    const onAbort = () => cancel.abort(signal?.reason === REQUEUE ? REQUEUE : "interrupt");
    signal?.addEventListener("abort", onAbort, { once: true });
    this.cancels.set(runId, cancel);
    const running = fn(cancel);
    this.executing.set(runId, running);
    try {
      return await running;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.executing.delete(runId);
      this.cancels.delete(runId);
      this.holds.delete(runId);
      await hold.release();
      this.waiters.wake();
    }
  }

  private async executeClaimed(run: Run, cancel: AbortController, hold: RunHold): Promise<Run> {
    const prepared = this.writers.get(run.runId);
    this.writers.delete(run.runId);
    const writer = prepared ?? (await this.deps.events.writer(run.runId, { fresh: run.attempt === 1 }));
    // Whatever this run does, the thread's checkpoint known here is no longer sure to be its latest.
    const known = this.lastWritten.get(run.threadId);
    this.lastWritten.delete(run.threadId);
    const startId = this.startingAt.get(run.runId);
    this.startingAt.delete(run.runId);
    const start = known && startId !== undefined && known.checkpoint.id === startId ? known : undefined;
    let execution;
    try {
      execution = await executeRun(this.deps, run, writer, cancel, hold, start);
    } catch (err) {
      await writer.close().catch(() => undefined);
      throw err;
    }
    if (execution.unanswered) {
      writer.abandon();
      hold.abandon();
      throw translateDatabaseError(execution.unanswered, { location: this.deps.db.location, threadId: run.threadId });
    }
    // The stream ends (the writer closes) only once the run's record says how
    // it ended, so a client reading the run or its thread after the last
    // event sees the end, never "running".
    try {
      const ended = await this.record(run, execution, writer);
      // Whoever joins it learns now, not once its lock is let go.
      this.waiters.wake();
      return ended;
    } finally {
      await writer.close().catch(() => undefined);
    }
  }

  private async record(run: Run, execution: Execution, writer: EventWriter): Promise<Run> {
    let ended: Run | undefined;
    if (execution.thread) {
      const thread = execution.thread;
      ended = await writer.finish(async (events) => {
        const { rows } = await this.deps.db.pool.query<Run & { queuedAfter: boolean }>(RUN_SQL.finishRecorded, [
          run.runId,
          execution.status,
          execution.output,
          execution.error,
          run.attempt,
          events.seqs,
          events.events,
          events.data,
          thread.status,
          thread.values,
          thread.interrupts,
        ]);
        if (!rows[0]) return undefined;
        const { queuedAfter, ...ended } = rows[0];
        if (queuedAfter) this.queuedAfterEnd = true;
        return ended;
      });
      // On PGlite the commit reached the operating system only: the run is told to have ended once it is on disk.
      await this.deps.db.durable?.();
      if (ended && execution.last) this.keepLast(run.threadId, execution.last);
    } else {
      await writer.flush().catch(() => undefined);
      if (execution.lost) return (await this.find(run.runId)) ?? run;
      if (execution.rolledBack) return { ...run, status: "interrupted", cancel: "rollback", endedAt: new Date() };
      if (execution.requeued) {
        const { rows } = await this.deps.db.pool.query<Run>(RUN_SQL.requeue, [run.runId, run.attempt]);
        if (rows[0]) return rows[0];
        execution.status = "interrupted";
      }
      ended = (await this.deps.db.pool.query<Run>(RUN_SQL.finish, [run.runId, execution.status, execution.output, execution.error, run.attempt])).rows[0];
    }
    ended ??= (await this.find(run.runId)) ?? { ...run, status: execution.status, output: execution.output, error: execution.error };
    // Whoever waits on it here learns how it ended without asking the database again.
    if (ended.status !== "pending" && ended.status !== "running") this.remember(ended);
    if ((run.request as RunRequest).onCompletion === "delete") await this.deps.threads.purge(run.threadId);
    return ended;
  }

  /** Waits until the run is the thread's next and claims it; undefined when it stopped being pending meanwhile. */
  private async claim(run: Run, signal: AbortSignal): Promise<Run | undefined> {
    let delay = 10;
    for (;;) {
      const claimed = await this.attemptClaim(run);
      if (claimed) return claimed;
      const now = await this.find(run.runId);
      if (!now || now.status !== "pending") return undefined;
      if (signal.aborted) {
        if ((await this.deps.db.pool.query(RUN_SQL.cancelPending, [run.runId, "interrupt"])).rowCount) await this.settle(run.threadId, run.owner);
        return undefined;
      }
      await this.waiters.sleep(delay, signal);
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Claims the run if it is the thread's next: the run as claimed by this call, else undefined. */
  private async attemptClaim(run: Run): Promise<Run | undefined> {
    let attempt;
    try {
      attempt = await tryClaim(this.deps.db, run);
    } catch (err) {
      // Two claims racing past the row lock still meet the unique index.
      if (!isUniqueViolation(err)) throw err;
      return undefined;
    }
    await cleanUpAbandoned(this.deps, attempt.abandoned);
    return attempt.outcome === "claimed" ? attempt.run : undefined;
  }

  private keepLast(threadId: string, tuple: CheckpointTuple): void {
    // The oldest goes first (insertion order).
    if (this.lastWritten.size >= LAST_WRITTEN_MAX) this.lastWritten.delete(this.lastWritten.keys().next().value!);
    this.lastWritten.set(threadId, tuple);
  }

  private remember(run: Run): void {
    const now = Date.now();
    // Oldest first (insertion order): stop at the first one still fresh.
    for (const [id, entry] of this.ended) {
      if (now - entry.at <= ENDED_KEPT_MS && this.ended.size < ENDED_KEPT_MAX) break;
      this.ended.delete(id);
    }
    this.ended.set(run.runId, { run, at: now });
  }

  private async find(runId: string): Promise<Run | undefined> {
    return (await this.deps.db.pool.query<Run>(RUN_SQL.getAny, [runId])).rows[0];
  }

  /**
   * After a run went without running (cancelled or deleted while pending):
   * a pending run made its thread busy, and no run will end to record its
   * status again, so a thread left with no pending or running run says
   * what its state says. Decided under the thread's queue lock, so a run
   * created meanwhile keeps it busy.
   */
  async settle(threadId: string, owner: string): Promise<void> {
    const status = await this.deps.threads.state(threadId, owner).then(statusOf, (err: unknown) => {
      // As after a run: a state that cannot be read leaves the thread in error.
      if ((err as { code?: unknown } | null)?.code === "corrupt_state") return "error" as const;
      // Gone with its thread (a delete, a stateless run's end): nothing to settle.
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (!status) return;
    const { abandoned } = await withThreadQueue(this.deps.db, threadId, async (client, queue) => {
      if (!queue.active.length && queue.thread.status === "busy") await client.query(THREAD_SQL.setStatus, [threadId, status]);
    }).catch((err: unknown) => {
      if (err instanceof NotFoundError) return { abandoned: [] };
      throw err;
    });
    await cleanUpAbandoned(this.deps, abandoned);
  }

}
