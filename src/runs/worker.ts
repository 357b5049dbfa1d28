import { setMaxListeners } from "node:events";
import { REQUEUE } from "./execute.js";
import type { Run, RunService } from "./service.js";

export interface WorkerOptions {
  /** Runs executed at once by this worker. Default 1. */
  concurrency?: number;
  /** How often an idle worker looks at the queue (runs created in this process start at once). Default 250 ms. */
  pollMs?: number;
  onRun?: (run: Run) => void;
  /** A fault while looking for or executing a run; the worker goes on. */
  onError?: (err: unknown) => void;
}

export interface Worker {
  /**
   * Looks for due runs now rather than at the next poll (e.g. right after
   * creating one); given the run just created, it tries that one first.
   */
  wake(run?: Run): void;
  /** Whether a loop is free now: a run created then may be started here (RunService.create's startHere). */
  readonly idle: boolean;
  /**
   * Stops taking runs. The ones it executes get `graceMs` (default 0) to
   * finish; then they are handed back to the queue (background runs: any
   * worker continues them from their last saved step) or interrupted.
   * Resolves once they have stopped.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Executes background runs as they become due, `concurrency` at a time.
 * Start one in every process that should work the queue: each run goes to
 * one worker, and a run whose worker died is ended by the next run on its
 * thread.
 *
 * @example
 * const worker = startWorker(core.runs, { concurrency: 4 });
 * process.on("SIGTERM", () => worker.stop());
 */
export function startWorker(runs: RunService, options: WorkerOptions = {}): Worker {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive whole number, got ${concurrency}`);
  const pollMs = options.pollMs ?? 250;
  const stopping = new AbortController();
  // Aborted (with REQUEUE as its reason) when the runs in progress must stop.
  const halting = new AbortController();
  // Every loop listens on both, and every run it executes on `halting`.
  setMaxListeners(2 * concurrency + 10, stopping.signal, halting.signal);
  // Loops with nothing to do wait here; each wake starts one of them, so a
  // new run costs one look at the queue, not one per loop.
  const idle: ((run?: Run) => void)[] = [];
  // Wakes while every loop was busy (with the runs they named), kept for the next loop that comes free.
  const pending: (Run | undefined)[] = [];
  const wakeOne = (run?: Run) => {
    // Started here but too late: no loop will take it, so the queue gets it back.
    if (stopping.signal.aborted) {
      if (run?.status === "running") void runs.handBack(run).catch((err: unknown) => options.onError?.(err));
      return;
    }
    const next = idle.shift();
    if (next) next(run);
    // Wakes that name no run are all the same: one look at the queue answers them all.
    else if (run || !pending.includes(undefined)) pending.push(run);
  };
  // One look at the queue per poll, whatever the concurrency.
  const poll = setInterval(() => {
    if (idle.length) wakeOne();
  }, pollMs);
  poll.unref();
  const loop = async () => {
    let preferred: Run | undefined;
    while (!stopping.signal.aborted) {
      // A run started here waits for a loop and nothing else (the queue's look cannot see it): it comes first.
      const started = preferred ? -1 : pending.findIndex((r) => r?.status === "running");
      if (started >= 0) preferred = pending.splice(started, 1)[0];
      let run: Run | undefined;
      const startedHere = preferred?.status === "running";
      try {
        run = await runs.executeNext({ signal: halting.signal, onClaimed: () => wakeOne(), ...(preferred ? { preferred } : {}) });
        if (run) options.onRun?.(run);
      } catch (err) {
        options.onError?.(err);
      }
      preferred = undefined;
      if (stopping.signal.aborted) continue;
      // A loop that took a run from the queue has another look for more, so a backlog is worked by every loop;
      // after a run started here, only when runs wait for its thread (others come with a wake or the poll).
      if (run && (!startedHere || runs.takeQueuedAfterEnd())) continue;
      if (pending.length) {
        preferred = pending.shift();
        continue;
      }
      preferred = await new Promise<Run | undefined>((resolve) => {
        const done = (named?: Run) => {
          const at = idle.indexOf(done);
          if (at >= 0) idle.splice(at, 1);
          stopping.signal.removeEventListener("abort", onStop);
          resolve(named);
        };
        const onStop = () => done();
        idle.push(done);
        stopping.signal.addEventListener("abort", onStop, { once: true });
      });
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    wake: wakeOne,
    get idle() {
      return idle.length > pending.length;
    },
    async stop(stopOptions = {}) {
      clearInterval(poll);
      stopping.abort();
      // Runs started here for a loop that never came free go back to the queue.
      for (const run of pending.splice(0)) if (run?.status === "running") await runs.handBack(run).catch((err: unknown) => options.onError?.(err));
      const done = Promise.all(loops);
      const grace = stopOptions.graceMs ?? 0;
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), grace)))]);
      clearTimeout(timer);
      if (late) halting.abort(REQUEUE);
      await done;
    },
  };
}
