import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { TEST_DATABASE_URL } from "../helpers/db.js";
import { cliSandbox, runCli } from "../helpers/cli.js";
import { openCore } from "../../src/core.js";
import { openDatabase } from "../../src/db/open.js";
import { loadProject } from "../../src/graph/project.js";
import { ANONYMOUS_OWNER } from "../../src/owners.js";
import { PROJECT_FILE } from "./helpers.js";

const RACER = resolve(import.meta.dirname, "../fixtures/runs/racer.ts");

interface Reply {
  ok: boolean;
  status?: string;
  error?: string;
}

/** A process of its own that runs the slow graph on a thread per line it is sent, the way `threadline run` does. */
function racer(env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", RACER], { env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Reply & { ready?: boolean }> => {
    const line = await lines.next();
    return line.done ? { ok: false, error: "the process exited" } : JSON.parse(line.value as string);
  };
  return {
    ready: next(),
    run(command: { threadId: string; label: string; strategy: string }): Promise<Reply> {
      child.stdin!.write(JSON.stringify(command) + "\n");
      return next();
    },
    close: () => new Promise<void>((done) => (child.stdin!.end(), child.on("close", () => done()))),
    kill: () => new Promise<void>((done) => (child.on("close", () => done()), child.kill("SIGKILL"))),
  };
}

const STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"] as const;
const ROUNDS = 20;

interface RunRecord {
  runId: string;
  status: string;
  label: string;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
}

// Two processes on one database are the point here, and embedded PGlite
// admits one process; so this runs on the real Postgres only.
describe.skipIf(!TEST_DATABASE_URL)("two processes start a run on one thread at the same moment [postgres]", () => {
  it(`never fork the thread, and the second follows its multitask strategy (${ROUNDS} rounds)`, async () => {
    const sandbox = await cliSandbox("postgres", { THREADLINE_PROJECT: PROJECT_FILE });
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const schema = sandbox.env.THREADLINE_SCHEMA!;
    try {
      const migrate = await runCli(["migrate"], sandbox.env);
      expect(migrate.code, migrate.stderr).toBe(0);
      const racers = [racer(sandbox.env), racer(sandbox.env)];
      try {
        await Promise.all(racers.map((r) => r.ready));
      for (let round = 0; round < ROUNDS; round++) {
        const strategy = STRATEGIES[round % STRATEGIES.length]!;
        const threadId = `race-${round}`;
        const results = await Promise.all(racers.map((r, i) => r.run({ threadId, label: "AB"[i]!, strategy })));
        const runs = (
          await client.query<RunRecord>(
            `SELECT run_id::text AS "runId", status, request->'input'->>'label' AS label, started_at AS "startedAt",
                    ended_at AS "endedAt", created_at AS "createdAt"
               FROM ${schema}.runs WHERE thread_id = $1 ORDER BY created_at`,
            [threadId],
          )
        ).rows;
        const forks = await client.query(
          `SELECT parent_checkpoint_id FROM ${schema}.tl_checkpoints WHERE thread_id = $1 AND checkpoint_ns = ''
             AND parent_checkpoint_id IS NOT NULL GROUP BY parent_checkpoint_id HAVING count(*) > 1`,
          [threadId],
        );
        const log = (
          await client.query(`SELECT "values"->'log' AS log FROM ${schema}.threads WHERE thread_id = $1`, [threadId])
        ).rows[0]?.log as string[];
        const context = `round ${round} (${strategy}): ${JSON.stringify({ results, runs, log })}`;
        expect(forks.rowCount, context).toBe(0);
        // Never two runs of the thread executing at once.
        const started = runs.filter((r) => r.startedAt).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
        for (let i = 1; i < started.length; i++) expect(started[i - 1]!.endedAt!.getTime(), context).toBeLessThanOrEqual(started[i]!.startedAt!.getTime());
        checkStrategy(strategy, { A: results[0]!, B: results[1]! }, runs, log, context);
      }
      } finally {
        await Promise.all(racers.map((r) => r.close()));
      }
    } finally {
      await client.end();
      await sandbox.dispose();
    }
  }, 120_000);
});

describe.skipIf(!TEST_DATABASE_URL)("a run whose process is killed [postgres]", () => {
  it("frees its thread at once: the next run finds it abandoned and carries on from its last step", async () => {
    const sandbox = await cliSandbox("postgres", { THREADLINE_PROJECT: PROJECT_FILE });
    const schema = sandbox.env.THREADLINE_SCHEMA!;
    const db = await openDatabase({ url: TEST_DATABASE_URL!, schema });
    try {
      const core = await openCore({ db, project: await loadProject(PROJECT_FILE) });
      const victim = racer(sandbox.env);
      await victim.ready;
      void victim.run({ threadId: "k", label: "A", strategy: "reject" });
      const started = Date.now();
      while ((await db.pool.query("SELECT count(*)::int AS n FROM tl_checkpoints WHERE thread_id = 'k'")).rows[0].n < 4) {
        expect(Date.now() - started).toBeLessThan(20_000);
        await new Promise((r) => setTimeout(r, 20));
      }
      await victim.kill();
      const [dead] = (await db.pool.query("SELECT run_id::text AS id, status FROM runs WHERE thread_id = 'k'")).rows;
      expect(dead.status).toBe("running");
      // Refusing while busy would refuse here if the dead run still counted.
      const next = await core.runs.create({ threadId: "k", assistantId: "slow", request: { config: { configurable: { pace_ms: 0 } } } }, ANONYMOUS_OWNER);
      expect((await core.runs.execute(next.runId)).status).toBe("success");
      const after = (await core.runs.get(dead.id, ANONYMOUS_OWNER));
      expect(after.status).toBe("error");
      expect(after.error?.message).toMatch(/stopped before it finished/);
      const log = (await core.threads.get("k", ANONYMOUS_OWNER)).values!.log as string[];
      expect(log).toEqual(steps("A"));
      await core.runs.close();
    } finally {
      await db.close();
      await sandbox.dispose();
    }
  }, 60_000);
});

const steps = (label: string) => ["s1", "s2", "s3", "s4", "s5", "s6"].map((s) => `${label}:${s}`);

function checkStrategy(strategy: (typeof STRATEGIES)[number], replies: Record<string, Reply>, runs: RunRecord[], log: string[], context: string) {
  const results = Object.values(replies);
  const ok = results.filter((r) => r.ok);
  // The process whose run another one stopped says so.
  const stoppedOrDone = (label: string) => {
    const reply = replies[label]!;
    if (!reply.ok) expect(reply.error, context).toMatch(/was stopped( and rolled back)? by another run/);
  };
  switch (strategy) {
    case "reject": {
      // The second is refused while the first is pending or running; if the
      // first had already finished, both ran, one after the other.
      if (ok.length === 1) {
        expect(results.find((r) => !r.ok)!.error, context).toMatch(/is busy with run/);
        expect(runs.map((r) => r.status), context).toEqual(["success"]);
        expect(log, context).toEqual(steps(runs[0]!.label));
      } else {
        expect(ok.length, context).toBe(2);
        expect(log, context).toEqual([...steps(runs[0]!.label), ...steps(runs[1]!.label)]);
      }
      break;
    }
    case "enqueue":
      expect(ok.length, context).toBe(2);
      expect(runs.map((r) => r.status), context).toEqual(["success", "success"]);
      expect(log, context).toEqual([...steps(runs[0]!.label), ...steps(runs[1]!.label)]);
      break;
    case "interrupt": {
      // The first is stopped where it was (a pending one before it began)
      // and keeps what it wrote; the second runs whole after it.
      const [first, second] = runs as [RunRecord, RunRecord];
      expect(replies[second.label]!.ok, context).toBe(true);
      stoppedOrDone(first.label);
      expect(second.status, context).toBe("success");
      expect(["interrupted", "success"], context).toContain(first.status);
      const kept = log.slice(0, -6);
      expect(kept, context).toEqual(steps(first.label).slice(0, kept.length));
      if (!first.startedAt) expect(kept, context).toEqual([]);
      expect(log.slice(-6), context).toEqual(steps(second.label));
      break;
    }
    case "rollback": {
      // The first is stopped and deleted with all it wrote, unless it had
      // already finished; a pending one is cancelled before it began.
      const last = runs.at(-1)!;
      expect(replies[last.label]!.ok, context).toBe(true);
      stoppedOrDone(last.label === "A" ? "B" : "A");
      expect(last.status, context).toBe("success");
      const finishedBefore = runs.slice(0, -1).filter((r) => r.status === "success");
      expect(log, context).toEqual([...finishedBefore.flatMap((r) => steps(r.label)), ...steps(last.label)]);
      break;
    }
  }
}
