import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CLI_TOKEN_HEADER } from "../server/routes/cli.js";
import type { CliIO } from "./io.js";

/**
 * A CLI command on the same machine as a `threadline serve` that holds the
 * embedded database (PGlite admits one process) runs inside that server
 * instead of failing: the server announces itself in a file of the data
 * folder, readable by its user alone, with its address and a secret.
 */
const FILE = "threadline-server.json";

interface Announcement {
  url: string;
  pid: number;
  token: string;
}

/** The commands a running server runs for a CLI on its machine. */
export const FORWARDED = new Set(["run", "threads", "chat"]);

/** A new secret for a server's announcement. */
export function cliToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Writes the server's announcement into the data folder; the returned function takes it back. */
export async function announceServer(dataDir: string, url: string, token: string): Promise<() => Promise<void>> {
  const path = join(dataDir, FILE);
  await writeFile(path, JSON.stringify({ url, pid: process.pid, token } satisfies Announcement), { mode: 0o600 });
  return () => rm(path, { force: true });
}

/**
 * Runs `argv` in the server that announced itself in `dataDir`, relaying its
 * output to `io` (and, for chat, the user's lines to it). Undefined when no
 * server announced itself or it does not answer: then the database is held
 * by something else.
 */
export async function runInServer(dataDir: string, argv: string[], io: CliIO): Promise<number | undefined> {
  const announced = await readFile(join(dataDir, FILE), "utf8").then((text) => JSON.parse(text) as Announcement, () => undefined);
  if (!announced?.url || !announced.token) return undefined;
  const input = argv[0] === "chat" ? (io.input ?? process.stdin) : undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      const send = (message: object) => controller.enqueue(encoder.encode(JSON.stringify(message) + "\n"));
      send({ argv, tty: (input as { isTTY?: boolean } | undefined)?.isTTY === true });
      if (input) for await (const line of createInterface({ input, crlfDelay: Infinity })) send({ line });
      controller.close();
    },
  });
  let response: Response;
  try {
    response = await fetch(`${announced.url}/threadline/cli`, {
      method: "POST",
      body,
      headers: { [CLI_TOKEN_HEADER]: announced.token, "content-type": "application/x-ndjson" },
      ...(io.signal ? { signal: io.signal } : {}),
      duplex: "half",
    } as RequestInit);
  } catch {
    return undefined;
  }
  if (!response.ok || !response.body) return undefined;
  let code = 1;
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = rest.indexOf("\n")) >= 0) {
      const message = JSON.parse(rest.slice(0, newline)) as { out?: string; err?: string; write?: string; exit?: number };
      rest = rest.slice(newline + 1);
      if (message.out !== undefined) io.out(message.out);
      if (message.err !== undefined) io.err(message.err);
      if (message.write !== undefined) (io.write ?? ((text) => process.stdout.write(text)))(message.write);
      if (message.exit !== undefined) code = message.exit;
    }
  }
  return code;
}
