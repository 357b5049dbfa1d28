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
  /** Stops looking for runs and interrupts the ones it executes; resolves once they have stopped. */
  stop(): Promise<void>;
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
  const loop = async () => {
    while (!stopping.signal.aborted) {
      let run: Run | undefined;
      try {
        run = await runs.executeNext({ signal: stopping.signal });
        if (run) options.onRun?.(run);
      } catch (err) {
        options.onError?.(err);
      }
      if (!run && !stopping.signal.aborted) await pause(pollMs, stopping.signal);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
