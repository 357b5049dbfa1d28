import { existsSync } from "node:fs";
import { openDatabase } from "../src/db/open.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BACKENDS } from "./helpers/db.js";
import { cliSandbox, jsonOf, runCli, runMain, type CliSandbox } from "./helpers/cli.js";

const FIXTURE = "test/fixtures/langgraph.json";

// Commands run in this process (runMain) unless a second process is the
// point; each process started costs seconds on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

describe.each(BACKENDS)("threadline CLI [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  const open = async (extra: NodeJS.ProcessEnv = {}) => (sandbox = await cliSandbox(backend, extra));
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });

  it("resumes a thread from a second process and prints the exact resume command", async () => {
    const { env } = await open();
    const first = await runMain(["run", "banking", "--thread", "acct-1", "--input", "What's my balance?"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("thread acct-1 · banking · interrupted");
    expect(first.stdout).toContain('waiting for: {"prompt":"Enter the PIN for account ACC-1001."');
    expect(first.stdout).toContain("resume with: threadline run banking --thread acct-1 --resume <value>");

    const second = jsonOf(await runCli(["run", "banking", "--thread", "acct-1", "--resume", "1234", "--json"], env));
    expect(second).toMatchObject({ status: "complete", values: { status: "complete", reply: "The balance of ACC-1001 is 2543.10 EUR." } });

    const list = jsonOf<any[]>(await runMain(["threads", "list", "--json"], env));
    expect(list.map((t) => [t.threadId, t.graphId])).toEqual([["acct-1", "banking"]]);
    const show = await runMain(["threads", "show", "acct-1"], env);
    expect(show.stdout).toContain("thread acct-1 · banking · idle");
    expect(show.stdout).toMatch(/history \(\d+, newest first\)/);
  });

  it("continues exactly where a process killed with SIGKILL between steps stopped", async () => {
    const { env } = await open({ THREADLINE_PROJECT: FIXTURE });
    const start = await runMain(["run", "slow_banking", "--thread", "k9", "--input", "balance please"], env);
    expect(start.stdout).toContain("interrupted");

    // ask_pin reports done as its step ends; its checkpoint commits right after
    // and lookup_balance then pauses for 1.5 s: kill inside that pause.
    let timer: NodeJS.Timeout | undefined;
    const killed = await runCli(["run", "slow_banking", "--thread", "k9", "--resume", "1234", "--verbose"], env, (out, child) => {
      if (out.includes("· ask_pin")) timer ??= setTimeout(() => child.kill("SIGKILL"), 700);
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).not.toContain("lookup_balance");

    const pending = jsonOf(await runMain(["threads", "show", "k9", "--json"], env));
    expect(pending.state.next).toEqual(["lookup_balance"]);
    expect(pending.state.values).toMatchObject({ status: "authenticated" });

    const resumed = await runMain(["run", "slow_banking", "--thread", "k9", "--verbose", "--json"], env);
    expect(resumed.stdout.split("\n").filter((l) => l.startsWith("·"))).toEqual(["· lookup_balance", "· answer"]);
    expect(jsonOf(resumed).values).toMatchObject({ status: "complete", reply: "The balance of ACC-1001 is 2543.10 EUR." });

    // Each node ran exactly once in the thread's history: nothing was repeated or lost.
    const history = jsonOf(await runMain(["threads", "show", "k9", "--json"], env)).history as { next: string[] }[];
    const ran = history.flatMap((h) => h.next).reverse();
    expect(ran).toEqual(["__start__", "classify", "ask_pin", "lookup_balance", "answer"]);
  });

  it("locks after three wrong PINs across invocations", async () => {
    const { env } = await open();
    await runMain(["run", "banking", "--thread", "l", "--input", "balance"], env);
    for (const wrong of ["1111", "2222"]) {
      expect((await runMain(["run", "banking", "--thread", "l", "--resume", wrong], env)).stdout).toContain("Wrong PIN");
    }
    const locked = jsonOf(await runMain(["run", "banking", "--thread", "l", "--resume", "3333", "--json"], env));
    expect(locked.values).toMatchObject({ status: "locked", attempts: 3 });
    const late = await runMain(["run", "banking", "--thread", "l", "--resume", "1234"], env);
    expect(late.code).toBe(1);
    expect(late.stderr.trim()).toBe('threadline: thread "l" is not waiting for input');
  });

  it("fails with one line and writes nothing for bad requests", async () => {
    const { env } = await open();
    const cases: [string[], RegExp][] = [
      [["run", "nosuch", "--thread", "x", "--input", "hi"], /^threadline: unknown graph "nosuch"; known graphs: banking\b/],
      [["run", "banking", "--thread", "x", "--input", "{not json"], /^threadline: --input is not valid JSON/],
      [["run", "banking", "--thread", "x", "--input", '{"message": 5}'], /^threadline: invalid input for graph "banking": message: /],
      [["run", "banking", "--thread", "ghost", "--resume", "1234"], /^threadline: unknown thread "ghost"$/],
      [["threads", "show", "ghost"], /^threadline: unknown thread "ghost" \(threads of a named user need --user <id>\)$/],
      [["run", "banking", "--input", "hi"], /^threadline: --thread is required/],
      [["run", "banking", "--thread", "x", "--bogus"], /^threadline: Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = await runMain(args, env);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(message);
      expect(result.stdout).toBe("");
    }
    if (backend === "pglite") expect(existsSync(env.THREADLINE_DATA_DIR!)).toBe(true);
    expect(jsonOf<any[]>(await runMain(["threads", "list", "--json"], env))).toEqual([]);
  });
});

describe("threadline CLI without a database", () => {
  it("reports an unreachable server in one line", async () => {
    const sandbox = await cliSandbox("pglite", { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    try {
      const result = await runMain(["threads", "list"], sandbox.env);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(/^threadline: cannot reach the database at 127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      await sandbox.dispose();
    }
  });

  it("refuses a commit mode it does not understand before opening the database", async () => {
    const sandbox = await cliSandbox("pglite", { THREADLINE_SYNCHRONOUS_COMMIT: "sometimes" }, { emptyFolder: true });
    try {
      const result = await runMain(["threads", "list"], sandbox.env);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe('threadline: THREADLINE_SYNCHRONOUS_COMMIT must be on or off, got "sometimes"');
      expect(existsSync(sandbox.env.THREADLINE_DATA_DIR!)).toBe(false);
    } finally {
      await sandbox.dispose();
    }
  });

  it("does not create a data folder for an unknown graph", async () => {
    const sandbox = await cliSandbox("pglite", {}, { emptyFolder: true });
    try {
      const result = await runMain(["run", "nosuch", "--thread", "x", "--input", "hi"], sandbox.env);
      expect(result.code).toBe(1);
      expect(existsSync(sandbox.env.THREADLINE_DATA_DIR!)).toBe(false);
    } finally {
      await sandbox.dispose();
    }
  });

  it("keeps a second process off an embedded database in use", async () => {
    const sandbox = await cliSandbox("pglite");
    const holder = await openDatabase({ dataDir: sandbox.env.THREADLINE_DATA_DIR });
    try {
      const blocked = await runCli(["threads", "list"], sandbox.env);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr.trim()).toBe(
        `threadline: the embedded database at ${sandbox.env.THREADLINE_DATA_DIR} is in use by process ${process.pid}; ` +
          "stop it or set DATABASE_URL to share a Postgres server",
      );
    } finally {
      await holder.close();
    }
    try {
      expect((await runMain(["threads", "list"], sandbox.env)).stdout.trim()).toBe("no threads");
    } finally {
      await sandbox.dispose();
    }
  });
});

