import { afterEach, expect, it, vi } from "vitest";
import { openCore, type Core } from "../../src/core.js";
import { ConflictError } from "../../src/errors.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends, openTestDatabase, type TestDatabase } from "../helpers/db.js";
import { openTestCore, pacedRequest, project } from "./helpers.js";

// Runs created the way the server creates them: to execute here at once when their thread is free.
const startHere = { background: true, startHere: true } as const;

describeBackends("runs started here", (db, backend) => {
  const cores: Core[] = [];
  const extra: TestDatabase[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.runs.close();
    for (const other of extra.splice(0)) await other.close();
  });
  const open = async (database: TestDatabase = db()) => {
    const core = await openTestCore(database);
    cores.push(core);
    return core;
  };
  // On Postgres a second process: its own pool and lock connection on the same schema.
  const second = async () => {
    if (backend === "pglite") return open();
    const other = await openTestDatabase("postgres", db().schema);
    extra.push(other);
    const core = await openCore({ db: other, project });
    cores.push(core);
    return core;
  };
  const runRows = async (threadId: string) =>
    (await db().pool.query("SELECT status, request->'input'->>'label' AS label FROM runs WHERE thread_id = $1 ORDER BY created_at", [threadId])).rows;

  it("two at once on a free thread: one starts, the other is refused under reject and queued behind it under enqueue", async () => {
    const a = await open();
    const b = await second();
    for (const [threadId, strategy] of [["r", "reject"], ["e", "enqueue"]] as const) {
      await a.threads.create({ threadId }, ANON);
      const created = await Promise.allSettled([
        a.runs.create({ threadId, assistantId: "paced", request: pacedRequest("a", { multitaskStrategy: strategy }), ...startHere }, ANON),
        b.runs.create({ threadId, assistantId: "paced", request: pacedRequest("b", { multitaskStrategy: strategy }), ...startHere }, ANON),
      ]);
      const started = created.flatMap((r, i) => (r.status === "fulfilled" && r.value.status === "running" ? [{ run: r.value, core: [a, b][i]! }] : []));
      expect(started).toHaveLength(1);
      expect((await a.threads.get(threadId, ANON)).status).toBe("busy");
      if (strategy === "reject") {
        expect(created.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(ConflictError)]);
        expect((await runRows(threadId)).map((r) => r.status)).toEqual(["running"]);
      } else {
        expect((await runRows(threadId)).map((r) => r.status).sort()).toEqual(["pending", "running"]);
      }
      const done = await started[0]!.core.runs.executeStarted(started[0]!.run);
      expect(done.status).toBe("success");
      if (strategy === "enqueue") {
        const queued = (await runRows(threadId)).findIndex((r) => r.status === "pending");
        expect(queued).toBeGreaterThanOrEqual(0);
        // The queued one goes next, on whichever process looks at the queue.
        expect((await a.runs.executeNext())?.status).toBe("success");
        expect((await runRows(threadId)).map((r) => r.status)).toEqual(["success", "success"]);
      }
      expect((await a.threads.get(threadId, ANON)).status).toBe("idle");
    }
  });

  it("uses an assistant as it now is after another process changed it", async () => {
    const a = await open();
    const b = await second();
    const assistant = await a.assistants.create({ graphId: "paced", config: { configurable: { pace_ms: 1 } } }, ANON);
    await a.threads.create({ threadId: "t" }, ANON);
    const first = await a.runs.create({ threadId: "t", assistantId: assistant.assistantId, request: { input: { label: "a" } }, ...startHere }, ANON);
    expect((first.request.config as { configurable: Record<string, unknown> }).configurable.pace_ms).toBe(1);
    await a.runs.executeStarted(first);
    await b.assistants.update(assistant.assistantId, { config: { configurable: { pace_ms: 2 } } }, ANON);
    const next = await a.runs.create({ threadId: "t", assistantId: assistant.assistantId, request: { input: { label: "b" } }, ...startHere }, ANON);
    expect(next.status).toBe("running");
    expect((next.request.config as { configurable: Record<string, unknown> }).configurable.pace_ms).toBe(2);
    await a.runs.executeStarted(next);
    await b.assistants.delete(assistant.assistantId, ANON);
    await expect(a.runs.create({ threadId: "t", assistantId: assistant.assistantId, request: { input: { label: "c" } }, ...startHere }, ANON)).rejects.toThrow(/unknown assistant/);
  });

  it("records on the thread what its checkpoints say, an interrupt included, and its events before its end", async () => {
    const core = await open();
    await core.threads.create({ threadId: "t" }, ANON);
    const run = await core.runs.create({ threadId: "t", assistantId: "asking", request: { input: {}, streamMode: ["values", "updates"] }, ...startHere }, ANON);
    const ended = await core.runs.executeStarted(run);
    expect(ended.status).toBe("interrupted");
    const recorded = await core.threads.get("t", ANON);
    const read = await core.threads.state("t", ANON);
    expect(recorded.status).toBe("interrupted");
    expect(recorded.values).toEqual(read.values);
    expect(recorded.interrupts).toEqual(read.interrupts);
    expect(Object.values(recorded.interrupts!).flat()).toEqual([expect.objectContaining({ value: { question: "name?" } })]);
    expect(ended.output).toMatchObject({ __interrupt__: [expect.objectContaining({ value: { question: "name?" } })] });
    const events = await core.events.read(run.runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.event).toBe("metadata");

    // The next run starts from the checkpoint this process wrote, its pending interrupt included, without reading it.
    const reads = vi.spyOn(core.checkpointer, "getTuple");
    const resumed = await core.runs.create({ threadId: "t", assistantId: "asking", request: { command: { resume: "Ada" } }, ...startHere }, ANON);
    expect(resumed.status).toBe("running");
    expect((await core.runs.executeStarted(resumed)).output).toMatchObject({ answer: "Ada" });
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    const after = await core.threads.get("t", ANON);
    expect([after.status, after.values, after.interrupts]).toEqual(["idle", (await core.threads.state("t", ANON)).values, {}]);
    expect(after.values).toMatchObject({ answer: "Ada" });
  });
});

describeBackends("runs started here, on a thread changed elsewhere", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  it("start from the thread's latest checkpoint as stored, not the one their process last wrote", async () => {
    core = await openTestCore(db());
    await core.threads.create({ threadId: "t" }, ANON);
    const first = await core.runs.create({ threadId: "t", assistantId: "paced", request: { input: { label: "a" }, config: { configurable: { pace_ms: 1 } } }, ...startHere }, ANON);
    await core.runs.executeStarted(first);
    // Another process's state update: the latest checkpoint is no longer the one this process wrote.
    const other = await openTestCore(db());
    try {
      await other.threads.updateState("t", ANON, { values: { log: ["elsewhere"] } });
    } finally {
      await other.runs.close();
    }
    const reads = vi.spyOn(core.checkpointer, "getTuple");
    const next = await core.runs.create({ threadId: "t", assistantId: "paced", request: { input: { label: "b" }, config: { configurable: { pace_ms: 1 } } }, ...startHere }, ANON);
    await core.runs.executeStarted(next);
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
    const log = (await core.threads.get("t", ANON)).values!.log as string[];
    expect(log).toContain("elsewhere");
    expect(log.filter((e) => e.startsWith("b:"))).toHaveLength(6);
  });
});
