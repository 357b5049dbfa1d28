import { expect, it } from "vitest";
import { ThreadlineSaver } from "../checkpoints/index.js";
import { loadProject } from "../src/graph/project.js";
import { Runtime } from "../src/runtime/runtime.js";
import { formatThread } from "../src/cli/format.js";
import { describeBackends } from "./helpers/db.js";

describeBackends("reporting a run's steps", (db) => {
  it("reports a node only once its step is saved", async () => {
    const saver = await ThreadlineSaver.create(db());
    // Storing a step takes long enough that a node reported as it finished would be reported before it was saved.
    const put = saver.put.bind(saver);
    saver.put = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return put(...args);
    };
    const runtime = await Runtime.open({ db: db(), project: await loadProject("test/fixtures/langgraph.json"), checkpointer: saver });
    const reported: { node: string; saved: string[] }[] = [];
    const outcome = await runtime.run("four_steps", "t1", { kind: "input", input: {} }, {
      onStep: async (node) => {
        // What another process would read at this moment.
        const latest = await new ThreadlineSaver(db()).getTuple({ configurable: { thread_id: "t1" } });
        reported.push({ node, saved: (latest?.checkpoint.channel_values.visited as string[] | undefined) ?? [] });
      },
    });
    expect(outcome).toMatchObject({ status: "complete", values: { visited: ["n1", "n2", "n3", "n4"] } });
    expect(reported.map((r) => r.node)).toEqual(["n1", "n2", "n3", "n4"]);
    for (const r of reported) expect(r.saved, `${r.node} was reported before its step was saved`).toContain(r.node);
  });
});

describeBackends("a thread's history", (db) => {
  it("marks the steps lost before a checkpoint that was stored without its parent", async () => {
    const saver = await ThreadlineSaver.create(db());
    const runtime = await Runtime.open({ db: db(), project: await loadProject("test/fixtures/langgraph.json"), checkpointer: saver });
    await runtime.run("four_steps", "t1", { kind: "input", input: {} });
    const latest = await saver.getTuple({ configurable: { thread_id: "t1" } });
    // A later step built on a checkpoint the database server lost in a crash.
    const config = { configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: "1f1fffe0-0000-6000-8000-00000000dead" } };
    await saver.put(config, { ...latest!.checkpoint, id: "1f1ffff0-0000-6000-8000-000000000001" }, { source: "loop", step: 9, parents: {} }, {});

    const view = await runtime.show("t1");
    expect(view.history[0]).toMatchObject({ step: 9, missingParentCheckpointId: "1f1fffe0-0000-6000-8000-00000000dead" });
    expect(view.history.slice(1).every((h) => h.missingParentCheckpointId === undefined)).toBe(true);
    expect(formatThread(view)).toContain(
      "⋯ gap: the steps before were lost (parent checkpoint 1f1fffe0-0000-6000-8000-00000000dead is missing); this one was saved whole",
    );
  });
});
