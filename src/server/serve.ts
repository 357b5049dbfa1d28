import { serve, type ServerType } from "@hono/node-server";
import type { Core } from "../core.js";
import { startWorker } from "../runs/worker.js";
import { createApp, type AppOptions } from "./app.js";

export interface ServeOptions extends Omit<AppOptions, "wake"> {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Runs this process executes at once. Default 10. */
  concurrency?: number;
  /** How often expired threads and store items are deleted. Default every minute. */
  sweepEveryMs?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:2024 */
  url: string;
  port: number;
  /**
   * Stops taking requests and runs, gives the runs in progress up to
   * `graceMs` to finish (default 10 s), interrupts the rest (their saved
   * steps stay; a later run continues from them). The core stays open:
   * whoever opened it closes it.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Serves the LangGraph API on `port` and works the run queue in this
 * process: runs created here start at once, and runs created by any other
 * process on the same database are taken when due.
 *
 * @example
 * const server = await startServer({ core, port: 2024 });
 * process.on("SIGTERM", () => server.close());
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { core } = options;
  const log = options.log ?? ((err: unknown) => console.error(err));
  const worker = startWorker(core.runs, { concurrency: options.concurrency ?? 10, onError: log });
  const app = createApp({ ...options, wake: (run) => worker.wake(run), free: () => worker.idle, log });
  const sweeper = setInterval(() => void sweep(core).catch(log), options.sweepEveryMs ?? 60_000);
  sweeper.unref();
  const { server, port } = await listen(app.fetch, options.port, options.host ?? "127.0.0.1");
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close(closeOptions = {}) {
      closing ??= (async () => {
        clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await worker.stop({ graceMs: closeOptions.graceMs ?? 10_000 });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        await stopped;
        await core.runs.close();
      })();
      return closing;
    },
  };
}

async function sweep(core: Core): Promise<void> {
  while ((await core.threads.sweepExpired({ limit: 100 })).length === 100);
  while ((await core.store.sweepExpired(1000)) === 1000);
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info) => resolve({ server, port: info.port }));
    server.once("error", reject);
  });
}
