import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";
import { readEnvironment } from "../../src/cli/env.js";
import { main } from "../../src/cli/main.js";
import { runMain } from "../helpers/cli.js";

const PROJECT = resolve(import.meta.dirname, "../fixtures/runs/langgraph.json");

/**
 * PGlite admits one process: while `threadline serve` holds an embedded
 * database, the CLI's run, threads and chat on the same data folder run
 * inside that server instead of failing.
 */
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function serve(dataDir: string): Promise<string[]> {
  const shutdown = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  const env = readEnvironment({ THREADLINE_DATA_DIR: dataDir, THREADLINE_PROJECT: PROJECT });
  const done = main(["serve", "--port", "0", "--grace", "0"], env, { out: (l) => (out.push(l), l.startsWith("LangGraph Studio") && listening()), err: (l) => err.push(l), signal: shutdown.signal });
  await Promise.race([ready, done.then(() => Promise.reject(new Error(`serve ended: ${err.join("\n")}`)))]);
  stop = async () => {
    shutdown.abort();
    expect(await done).toBe(0);
  };
  return out;
}

it("runs run, threads and chat inside the server that holds the embedded database, and refuses the rest in one line", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "threadline-held-"));
  try {
    await serve(dataDir);
    const env = { THREADLINE_DATA_DIR: dataDir, THREADLINE_PROJECT: PROJECT };
    const run = await runMain(["run", "paced", "--thread", "t1", "--input", '{"label":"a"}', "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).values.log).toHaveLength(6);
    const list = await runMain(["threads", "list", "--json"], env);
    expect(JSON.parse(list.stdout).map((t: { threadId: string }) => t.threadId)).toEqual(["t1"]);
    const chat = await runMain(["chat", "echo", "--thread", "c1"], env, { input: ["hi there", "/exit"] });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain("echo: hi there");
    const unknown = await runMain(["threads", "show", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^threadline: unknown thread "nope"/);
    const migrate = await runMain(["migrate"], env);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr.trim().split("\n")).toHaveLength(1);
    expect(migrate.stderr).toMatch(/in use by process/);

    await stop!();
    stop = undefined;
    // With the server gone, the CLI opens the database itself.
    const after = await runMain(["threads", "list", "--json"], env);
    expect(JSON.parse(after.stdout).map((t: { threadId: string }) => t.threadId).sort()).toEqual(["c1", "t1"]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
