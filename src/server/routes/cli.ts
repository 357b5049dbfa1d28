import { timingSafeEqual } from "node:crypto";
import { PassThrough } from "node:stream";
import { router } from "../api.js";
import { ApiError } from "../errors.js";

/** What a forwarded CLI command gets: where its output goes, its input lines, and a signal when the caller goes. */
export interface CliCall {
  out: (line: string) => void;
  err: (line: string) => void;
  write: (text: string) => void;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  signal: AbortSignal;
}

export interface CliForwarding {
  /** The secret a CLI on this machine reads from the server's file in the data folder. */
  token: string;
  /** Runs one CLI invocation on the server's own core; resolves to its exit code. */
  run(argv: string[], call: CliCall): Promise<number>;
}

/** The header the token comes in. */
export const CLI_TOKEN_HEADER = "x-threadline-cli-token";

/**
 * POST /threadline/cli: runs a CLI command inside the server for a CLI on
 * the same machine whose embedded database the server holds (PGlite admits
 * one process). The request body is lines of JSON: `{ argv, tty }`, then
 * `{ line }` for each line the user types (chat); the response is lines of
 * JSON: `{ out }`, `{ err }`, `{ write }`, and last `{ exit }`. Only a
 * caller with the token of the server's file (readable by its user alone)
 * gets in.
 */
export function cliRoutes(forwarding: CliForwarding) {
  const api = router();
  const expected = Buffer.from(forwarding.token);
  api.post("/threadline/cli", async (c) => {
    const given = Buffer.from(c.req.header(CLI_TOKEN_HEADER) ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ApiError(403, "the CLI token does not match this server's");
    const body = c.req.raw.body;
    if (!body) throw new ApiError(400, "the request has no body");
    const lines = readLines(body);
    const first = await lines.next();
    let head: { argv?: unknown; tty?: unknown } | undefined;
    try {
      head = first.done ? undefined : (JSON.parse(first.value) as { argv?: unknown; tty?: unknown });
    } catch {
      throw new ApiError(400, "the first line of the body is not JSON");
    }
    if (!head || !Array.isArray(head.argv) || !head.argv.every((a) => typeof a === "string")) throw new ApiError(422, "the first line must be { argv: string[] }");
    const argv = head.argv as string[];
    const input = Object.assign(new PassThrough(), { isTTY: head.tty === true });
    void (async () => {
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        const line = (JSON.parse(next.value) as { line?: unknown }).line;
        if (typeof line === "string") input.write(line + "\n");
      }
      input.end();
    })().catch(() => input.end());
    const encoder = new TextEncoder();
    // Set when the caller went: its command still finishes, its output goes nowhere.
    let closed = false;
    return c.body(
      new ReadableStream<Uint8Array>({
        cancel() {
          closed = true;
        },
        async start(controller) {
          const send = (message: object) => {
            if (!closed) controller.enqueue(encoder.encode(JSON.stringify(message) + "\n"));
          };
          const code = await forwarding
            .run(argv, { out: (out) => send({ out }), err: (err) => send({ err }), write: (write) => send({ write }), input, signal: c.req.raw.signal })
            .catch((err: unknown) => {
              send({ err: `threadline: ${(err as Error)?.message ?? String(err)}` });
              return 1;
            });
          send({ exit: code });
          if (!closed) controller.close();
        },
      }),
      200,
      { "content-type": "application/x-ndjson" },
    );
  });
  return api;
}

/** The lines of a byte stream. */
async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = rest.indexOf("\n")) >= 0) {
      const line = rest.slice(0, newline);
      rest = rest.slice(newline + 1);
      if (line.trim()) yield line;
    }
  }
  if (rest.trim()) yield rest;
}
