import { REQUEUE } from "./execute.js";
import type { Run, RunService } from "./service.js";

export interface WorkerOptions {
  /** Runs executed at once by this worker. Default 1. */
  concurrency?: number;
  /** How long to wait before looking again when no run was due. Default 250 ms. */
  pollMs?: number;
  onRun?: (run: Run) => void;
  /** A fault while looking for or executing a run; the worker goes on. */
  onError?: (err: unknown) => void;
}

export interface Worker {
  /** Looks for due runs now rather than at the next poll (e.g. right after creating one). */
  wake(): void;
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
  // Idle loops wait on this; wake() ends every wait at once.
  let alarm = new AbortController();
  // A wake while every loop is busy is remembered, so a run created then is not left for the next poll.
  let woken = false;
  const loop = async () => {
    while (!stopping.signal.aborted) {
      let run: Run | undefined;
      woken = false;
      try {
        run = await runs.executeNext({ signal: halting.signal });
        if (run) options.onRun?.(run);
      } catch (err) {
        options.onError?.(err);
      }
      if (!run && !woken && !stopping.signal.aborted) await pause(pollMs, AbortSignal.any([stopping.signal, alarm.signal]));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    wake() {
      woken = true;
      alarm.abort();
      alarm = new AbortController();
    },
    async stop(stopOptions = {}) {
      stopping.abort();
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

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
