import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../stream/log.js";

/** How often an idle stream sends a comment line, so proxies and the SDK know the connection is alive. */
const HEARTBEAT_MS = 10_000;

/**
 * Streams a run's events as server-sent events, each with its sequence
 * number as `id`, so a client that reconnects with `Last-Event-ID` resumes
 * right after the last event it saw. `events` is given a signal that aborts
 * when the client goes; `onDisconnect` runs then too.
 */
export function sseResponse(
  c: Context,
  events: (signal: AbortSignal) => AsyncIterable<RunEvent>,
  options: { onDisconnect?: () => Promise<unknown> | void; log: (err: unknown) => void },
): Response {
  return streamSSE(
    c,
    async (stream) => {
      const gone = new AbortController();
      let finished = false;
      stream.onAbort(() => {
        gone.abort();
        if (!finished) void Promise.resolve(options.onDisconnect?.()).catch(options.log);
      });
      const heartbeat = setInterval(() => void stream.write(": heartbeat\n\n").catch(() => undefined), HEARTBEAT_MS);
      try {
        for await (const e of events(gone.signal)) {
          await stream.writeSSE({ id: (e as RunEvent & { id?: string }).id ?? String(e.seq), event: e.event, data: JSON.stringify(e.data ?? null) });
        }
        finished = true;
      } finally {
        clearInterval(heartbeat);
      }
    },
    async (err, stream) => {
      options.log(err);
      await stream.writeSSE({ event: "error", data: JSON.stringify({ error: (err as Error)?.name ?? "Error", message: (err as Error)?.message ?? String(err) }) });
    },
  );
}

/**
 * The event id to resume after: the `Last-Event-ID` header (-1, or none,
 * replays the run's stream from its start).
 */
export function resumeAfter(c: Context): number {
  const header = c.req.header("last-event-id");
  if (header === undefined || header.trim() === "") return 0;
  const n = Number(header);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
