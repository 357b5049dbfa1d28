import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { expect, it } from "vitest";
import { openCore } from "../../src/core.js";
import { openDatabase } from "../../src/db/open.js";
import { loadProject } from "../../src/graph/project.js";
import { ANONYMOUS_OWNER } from "../../src/owners.js";
import { runCli } from "../helpers/cli.js";
import { stepNames } from "../fixtures/fault-steps.js";

const STEPS = stepNames(12);

/** The thread's saved steps and whether a run is unfinished, read as the next process would, after reopening the folder. */
async function savedState(dataDir: string): Promise<{ saved: string[]; unfinished: boolean }> {
  const db = await openDatabase({ dataDir });
  const core = await openCore({ db, project: await loadProject("test/fixtures/faults.langgraph.json") });
  try {
    if (!(await core.threads.find("k", ANONYMOUS_OWNER))) return { saved: [], unfinished: false };
    const state = await core.threads.state("k", ANONYMOUS_OWNER);
    return { saved: (state.values.ran as string[] | undefined) ?? [], unfinished: state.next.length > 0 };
  } finally {
    // Closes the database: the next CLI process opens the folder.
    await core.close();
  }
}

it("loses no step a PGlite run reported over 20 kill -9s, and each run continues from where it stopped", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "threadline-kill-"));
  try {
    const dataDir = join(dir, "data");
    const fresh = await PGlite.create(dataDir, { extensions: { vector } });
    await fresh.close();
    const env = { ...process.env, DATABASE_URL: "", THREADLINE_SCHEMA: "", THREADLINE_DATA_DIR: dataDir, THREADLINE_PROJECT: "test/fixtures/faults.langgraph.json" };
    let reported = 0;
    let kills = 0;
    for (let round = 0; round < 20; round++) {
      const { saved, unfinished } = await savedState(dataDir);
      // Steps run in order, a whole run of twelve at a time: what is saved is a prefix of that sequence.
      expect(saved, `round ${round}`).toEqual(Array.from({ length: saved.length }, (_, i) => STEPS[i % STEPS.length]));
      expect(saved.length, `round ${round}: a reported step was lost`).toBeGreaterThanOrEqual(reported);
      reported = saved.length;
      const args = ["run", "quick_steps", "--thread", "k", "--verbose", ...(unfinished ? [] : ["--input", "go"])];
      const killAfter = 1 + Math.floor(Math.random() * 8);
      let seen = 0;
      const result = await runCli(args, env, (out, child) => {
        seen = out.split("\n").filter((l) => l.startsWith("· ")).length;
        if (seen >= killAfter && child.exitCode === null) child.kill("SIGKILL");
      });
      if (result.signal === "SIGKILL") kills++;
      else expect(result.code, result.stderr).toBe(0);
      reported += result.stdout.split("\n").filter((l) => l.startsWith("· ")).length;
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    const { saved } = await savedState(dataDir);
    expect(saved.length).toBeGreaterThanOrEqual(reported);
    expect(saved).toEqual(Array.from({ length: saved.length }, (_, i) => STEPS[i % STEPS.length]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
