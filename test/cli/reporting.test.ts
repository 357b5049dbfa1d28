import { afterEach, describe, expect, it, vi } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { driveRun } from "../../src/cli/drive.js";
import { formatThread } from "../../src/cli/format.js";
import { openCore } from "../../src/core.js";
import { loadProject } from "../../src/graph/project.js";
import { ANONYMOUS_OWNER } from "../../src/owners.js";
import { cliSandbox, jsonOf, runMain, type CliSandbox } from "../helpers/cli.js";
import { BACKENDS, describeBackends } from "../helpers/db.js";

const FIXTURE = "test/fixtures/langgraph.json";

describe.each(BACKENDS)("threadline run --verbose reporting a run's steps [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await sandbox?.dispose();
    sandbox = undefined;
  });

  it("reports a node only once its step is saved", async () => {
    sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: FIXTURE });
    // What the checkpointer has stored: the nodes of every step whose put() resolved.
    const saved: string[] = [];
    const put = ThreadlineSaver.prototype.put;
    // Storing a step takes long enough that a node reported as it finished would be reported before it was saved.
    vi.spyOn(ThreadlineSaver.prototype, "put").mockImplementation(async function (this: ThreadlineSaver, ...args) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const config = await put.apply(this, args);
      saved.splice(0, saved.length, ...((args[1].channel_values.visited as string[] | undefined) ?? []));
      return config;
    });
    const reported: { node: string; saved: string[] }[] = [];
    const result = await runMain(["run", "four_steps", "--thread", "t1", "--input", "{}", "--verbose", "--json"], sandbox.env, {
      onStdout: (soFar) => {
        const lines = soFar.split("\n").filter((l) => l.startsWith("· "));
        for (const line of lines.slice(reported.length)) reported.push({ node: line.slice(2), saved: [...saved] });
      },
    });
    expect(jsonOf(result)).toMatchObject({ status: "complete", values: { visited: ["n1", "n2", "n3", "n4"] } });
    expect(reported.map((r) => r.node)).toEqual(["n1", "n2", "n3", "n4"]);
    for (const r of reported) expect(r.saved, `${r.node} was reported before its step was saved`).toContain(r.node);
  });
});

describeBackends("a thread's history", (db) => {
  it("marks the steps lost before a checkpoint that was stored without its parent", async () => {
    const core = await openCore({ db: db(), project: await loadProject(FIXTURE) });
    await driveRun(core, { graphId: "four_steps", threadId: "t1", owner: ANONYMOUS_OWNER, action: { kind: "input", input: {} }, streamModes: ["values"] });
    const saver = core.checkpointer;
    const latest = await saver.getTuple({ configurable: { thread_id: "t1" } });
    // A later step built on a checkpoint the database server lost in a crash.
    const config = { configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: "1f1fffe0-0000-6000-8000-00000000dead" } };
    await saver.put(config, { ...latest!.checkpoint, id: "1f1ffff0-0000-6000-8000-000000000001" }, { source: "loop", step: 9, parents: {} }, {});

    // What `threadline threads show` reads and prints.
    const thread = await core.threads.get("t1", ANONYMOUS_OWNER);
    const view = { thread, state: await core.threads.state("t1", ANONYMOUS_OWNER), history: await core.threads.history("t1", ANONYMOUS_OWNER, { limit: 100 }) };
    expect(view.history[0]).toMatchObject({ metadata: { step: 9 }, missingParentCheckpointId: "1f1fffe0-0000-6000-8000-00000000dead" });
    expect(view.history.length).toBeGreaterThan(1);
    expect(view.history.slice(1).every((h) => h.missingParentCheckpointId === undefined)).toBe(true);
    expect(formatThread(view)).toContain(
      "⋯ gap: the steps before were lost (parent checkpoint 1f1fffe0-0000-6000-8000-00000000dead is missing); this one was saved whole",
    );
  });
});
