import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { startWorker, type Worker } from "../../src/runs/worker.js";
import { describeBackends } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "./helpers.js";

describeBackends("background runs and workers", (db) => {
  let core: Core | undefined;
  let workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    await core?.runs.close();
    core = undefined;
  });

  it("two workers execute queued runs once each, one per thread at a time, in order per thread", async () => {
    core = await openTestCore(db());
    const created = [];
    for (const thread of ["w1", "w2"]) {
      for (const label of ["a", "b", "c"]) {
        created.push(await core.runs.create({ threadId: thread, assistantId: "paced", background: true, request: pacedRequest(label, { multitaskStrategy: "enqueue", config: { configurable: { pace_ms: 5 } } }) }, ANON));
      }
    }
    const executed: string[] = [];
    workers = [startWorker(core.runs, { concurrency: 2, pollMs: 20, onRun: (r) => executed.push(r.runId) }), startWorker(core.runs, { pollMs: 20, onRun: (r) => executed.push(r.runId) })];
    const done = await Promise.all(created.map((r) => core!.runs.join(r.runId, ANON)));
    expect(done.map((r) => r.status)).toEqual(Array(6).fill("success"));
    // A worker reports a run after its record says it ended: stop them so every report is in.
    await Promise.all(workers.map((w) => w.stop()));
    expect(executed.sort()).toEqual(created.map((r) => r.runId).sort());
    for (const thread of ["w1", "w2"]) {
      expect(((await core.threads.get(thread, ANON)).values!.log as string[]).map((e) => e[0]).join("")).toBe("aaaaaabbbbbbcccccc");
    }
  });

  it("waits out after_seconds before a run is due", async () => {
    core = await openTestCore(db());
    const run = await core.runs.create({ threadId: "later", assistantId: "paced", background: true, request: { input: { label: "x" }, ifNotExists: "create", afterSeconds: 0.5 } }, ANON);
    workers = [startWorker(core.runs, { pollMs: 20 })];
    await new Promise((r) => setTimeout(r, 200));
    expect((await core.runs.get(run.runId, ANON)).status).toBe("pending");
    const done = await core.runs.join(run.runId, ANON);
    expect(done.status).toBe("success");
    expect(done.startedAt!.getTime() - done.createdAt.getTime()).toBeGreaterThanOrEqual(450);
  });
});
