import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "./helpers.js";

/** A run that waits for its time (a minute away) without running. */
const LATER = { afterSeconds: 60 };

describeBackends("a pending run that goes without running", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  const statusOf = async (threadId: string) => (await core!.threads.get(threadId, ANON)).status;
  const busyIds = async () => (await core!.threads.search({ status: "busy" }, ANON)).map((t) => t.threadId);

  /** A thread "done" that ran to the end, and "asking" that waits on an interrupt. */
  async function threads(): Promise<void> {
    const done = await core!.runs.create({ threadId: "done", assistantId: "paced", request: pacedRequest("a", { config: {} }) }, ANON);
    await core!.runs.execute(done.runId);
    const asking = await core!.runs.create({ threadId: "asking", assistantId: "asking", request: { input: { label: "q" }, ifNotExists: "create" } }, ANON);
    await core!.runs.execute(asking.runId);
    expect([await statusOf("done"), await statusOf("asking")]).toEqual(["idle", "interrupted"]);
  }

  it("cancelled, leaves its thread as its state says, not busy", async () => {
    core = await openTestCore(db());
    await threads();
    const onDone = await core.runs.create({ threadId: "done", assistantId: "paced", background: true, request: { input: { label: "b" }, ...LATER } }, ANON);
    const onAsking = await core.runs.create({ threadId: "asking", assistantId: "asking", background: true, request: { command: { resume: "Ada" }, ...LATER } }, ANON);
    expect((await busyIds()).sort()).toEqual(["asking", "done"]);

    expect((await core.runs.cancel(onDone.runId, ANON)).status).toBe("interrupted");
    expect((await core.runs.cancel(onAsking.runId, ANON, { action: "rollback" })).cancel).toBe("rollback");
    expect([await statusOf("done"), await statusOf("asking")]).toEqual(["idle", "interrupted"]);
    expect(await busyIds()).toEqual([]);
  });

  it("deleted, leaves its thread as its state says, not busy", async () => {
    core = await openTestCore(db());
    await threads();
    const onDone = await core.runs.create({ threadId: "done", assistantId: "paced", background: true, request: { input: { label: "b" }, ...LATER } }, ANON);
    const onAsking = await core.runs.create({ threadId: "asking", assistantId: "asking", background: true, request: { command: { resume: "Ada" }, ...LATER } }, ANON);
    await core.runs.delete(onDone.runId, ANON);
    await core.runs.delete(onAsking.runId, ANON);
    expect([await statusOf("done"), await statusOf("asking")]).toEqual(["idle", "interrupted"]);
    expect(await busyIds()).toEqual([]);
  });

  it("given up by the process waiting to execute it, leaves its thread as its state says", async () => {
    core = await openTestCore(db());
    await threads();
    const run = await core.runs.create({ threadId: "done", assistantId: "paced", request: { input: { label: "b" }, ...LATER } }, ANON);
    const stop = new AbortController();
    const executing = core.runs.execute(run.runId, { signal: stop.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(await statusOf("done")).toBe("busy");
    stop.abort();
    expect((await executing).status).toBe("interrupted");
    expect(await statusOf("done")).toBe("idle");
    expect(await busyIds()).toEqual([]);
  });

  it("keeps the thread busy while another run is still to come on it", async () => {
    core = await openTestCore(db());
    await threads();
    const first = await core.runs.create({ threadId: "done", assistantId: "paced", background: true, request: { input: { label: "b" }, ...LATER } }, ANON);
    const second = await core.runs.create(
      { threadId: "done", assistantId: "paced", background: true, request: { input: { label: "c" }, multitaskStrategy: "enqueue", ...LATER } },
      ANON,
    );
    await core.runs.cancel(first.runId, ANON);
    expect(await statusOf("done")).toBe("busy");
    await core.runs.delete(second.runId, ANON);
    expect(await statusOf("done")).toBe("idle");
  });
});
