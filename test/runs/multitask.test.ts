import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { ConflictError, NotFoundError } from "../../src/errors.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { afterSteps, checkpointRowsOf, forkedParents, openTestCore, pacedRequest } from "./helpers.js";

describeBackends("runs: one at a time per thread, multitask strategies, cancel", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  const logOf = async (threadId: string) => (await core!.threads.get(threadId, ANON)).values!.log as string[];

  it("reject: a second run on a busy thread is refused with a conflict, and the first finishes alone", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const running = core.runs.execute(a.runId);
    await afterSteps(core, a.runId, 1);
    await expect(core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("b") }, ANON)).rejects.toThrow(ConflictError);
    expect((await running).status).toBe("success");
    expect(await logOf("t")).toEqual(["a:s1", "a:s2", "a:s3", "a:s4", "a:s5", "a:s6"]);
    expect(await forkedParents(db(), "t")).toBe(0);
  });

  it("enqueue: runs of a thread execute one after another in creation order", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const b = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("b", { multitaskStrategy: "enqueue" }) }, ANON);
    const c = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("c", { multitaskStrategy: "enqueue" }) }, ANON);
    // Executed in the wrong order on purpose: each waits for those before it.
    const [rc, rb, ra] = await Promise.all([core.runs.execute(c.runId), core.runs.execute(b.runId), core.runs.execute(a.runId)]);
    expect([ra.status, rb.status, rc.status]).toEqual(["success", "success", "success"]);
    expect(ra.endedAt!.getTime()).toBeLessThanOrEqual(rb.startedAt!.getTime());
    expect(rb.endedAt!.getTime()).toBeLessThanOrEqual(rc.startedAt!.getTime());
    expect((await logOf("t")).map((e) => e[0]).join("")).toBe("aaaaaabbbbbbcccccc");
    expect(await forkedParents(db(), "t")).toBe(0);
  });

  it("interrupt: the running run stops and keeps its progress, then the new one runs", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const first = core.runs.execute(a.runId);
    await afterSteps(core, a.runId, 2);
    const b = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("b", { multitaskStrategy: "interrupt" }) }, ANON);
    const second = await core.runs.execute(b.runId);
    expect((await first).status).toBe("interrupted");
    expect(second.status).toBe("success");
    const log = await logOf("t");
    expect(log.filter((e) => e.startsWith("a:")).length).toBeGreaterThanOrEqual(2);
    expect(log.filter((e) => e.startsWith("a:")).length).toBeLessThan(6);
    expect(log.filter((e) => e.startsWith("b:")).length).toBe(6);
    expect((await checkpointRowsOf(db(), "t", a.runId)).checkpoints).toBeGreaterThan(0);
  });

  it("rollback: the running run stops and everything it checkpointed is deleted, with the run itself", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const first = core.runs.execute(a.runId);
    await afterSteps(core, a.runId, 2);
    const b = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("b", { multitaskStrategy: "rollback" }) }, ANON);
    const second = await core.runs.execute(b.runId);
    await first;
    expect(second.status).toBe("success");
    expect(await logOf("t")).toEqual(["b:s1", "b:s2", "b:s3", "b:s4", "b:s5", "b:s6"]);
    expect(await checkpointRowsOf(db(), "t", a.runId)).toEqual({ checkpoints: 0, writes: 0 });
    await expect(core.runs.get(a.runId, ANON)).rejects.toThrow(NotFoundError);
  });

  // This saver keeps a finished step's writes inside the next checkpoint's
  // row; pending-write rows are those of steps cut off.
  it("cancel with interrupt keeps the run's checkpoints; with rollback no checkpoint or write of it is left", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "keep", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const first = core.runs.execute(a.runId);
    await afterSteps(core, a.runId, 2);
    const cancelled = await core.runs.cancel(a.runId, ANON, { action: "interrupt", wait: true });
    expect(cancelled.status).toBe("interrupted");
    await first;
    const kept = await checkpointRowsOf(db(), "keep", a.runId);
    expect(kept.checkpoints).toBeGreaterThanOrEqual(4);
    expect(await logOf("keep")).toEqual(expect.arrayContaining(["a:s1", "a:s2"]));
    expect((await core.threads.get("keep", ANON)).status).toBe("interrupted");

    const b = await core.runs.create({ threadId: "gone", assistantId: "paced", request: pacedRequest("b") }, ANON);
    const second = core.runs.execute(b.runId);
    await afterSteps(core, b.runId, 2);
    await core.runs.cancel(b.runId, ANON, { action: "rollback", wait: true });
    await second;
    expect(await checkpointRowsOf(db(), "gone", b.runId)).toEqual({ checkpoints: 0, writes: 0 });
    expect((await core.threads.get("gone", ANON)).status).toBe("idle");
  });

  it("a pending run is cancelled at once and never runs", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const b = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("b", { multitaskStrategy: "enqueue" }) }, ANON);
    const first = core.runs.execute(a.runId);
    const second = core.runs.execute(b.runId);
    const cancelled = await core.runs.cancel(b.runId, ANON);
    expect(cancelled.status).toBe("interrupted");
    expect((await second).status).toBe("interrupted");
    expect((await first).status).toBe("success");
    expect((await logOf("t")).some((e) => e.startsWith("b:"))).toBe(false);
  });

  it("replaying a finished run's events from event N returns exactly the events after N", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: { ...pacedRequest("a"), streamMode: ["values", "updates"] } }, ANON);
    await core.runs.execute(a.runId);
    const all = [];
    for await (const event of core.runs.events(a.runId, ANON)) all.push(event);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]!.event).toBe("metadata");
    expect(all.filter((e) => e.event === "updates").length).toBe(6);
    for (const n of [0, 1, 5, all.length - 1, all.length]) {
      const after = [];
      for await (const event of core.runs.events(a.runId, ANON, { after: n })) after.push(event);
      expect(after).toEqual(all.slice(n));
    }
  });

  it("a node that throws ends the run in error naming the node, and the thread says error", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: { input: { label: "a" }, ifNotExists: "create", config: { configurable: { fail_at: "s3" } } } }, ANON);
    const done = await core.runs.execute(a.runId);
    expect(done.status).toBe("error");
    expect(done.error).toEqual({ message: 'node "s3" failed: s3 is broken', name: "Error", node: "s3" });
    expect((await core.threads.get("t", ANON)).status).toBe("error");
    const events = await core.events.read(a.runId);
    expect(events.at(-1)).toMatchObject({ event: "error", data: { message: 'node "s3" failed: s3 is broken' } });
  });

  it("a stateless run leaves no thread behind", async () => {
    core = await openTestCore(db());
    const run = await core.runs.create({ assistantId: "paced", request: { input: { label: "x" } } }, ANON);
    const done = await core.runs.execute(run.runId);
    expect(done.status).toBe("success");
    expect((done.output as { log: string[] }).log).toHaveLength(6);
    expect((await db().pool.query("SELECT count(*)::int AS n FROM threads")).rows[0].n).toBe(0);
  });

  it("refuses fields it does not support, naming them", async () => {
    core = await openTestCore(db());
    await expect(core.runs.create({ threadId: "t", assistantId: "paced", request: { input: {}, webhook: "http://x" } }, ANON)).rejects.toThrow(/"webhook" not supported/);
    await expect(core.runs.create({ threadId: "t", assistantId: "paced", request: { input: {}, multitaskStrategy: "later" } }, ANON)).rejects.toThrow(/multitaskStrategy/);
    expect((await db().pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n).toBe(0);
  });

  it("executes a run once: a second execute of it is refused", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const first = core.runs.execute(a.runId);
    await expect(core.runs.execute(a.runId)).rejects.toThrow(/already executing/);
    expect((await first).status).toBe("success");
    expect(await logOf("t")).toHaveLength(6);
  });

  it("keeps the thread to itself while a run executes: no state update, fork or delete cuts in", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    const first = core.runs.execute(a.runId);
    await afterSteps(core, a.runId, 1);
    await expect(core.threads.updateState("t", ANON, { values: { label: "x" } })).rejects.toThrow(/has a run in progress/);
    await expect(core.threads.delete("t", ANON)).rejects.toThrow(/has a run in progress/);
    await expect(core.runs.rollback("t", ANON)).rejects.toThrow(/has a run in progress/);
    expect((await first).status).toBe("success");
    expect(await forkedParents(db(), "t")).toBe(0);
    expect(await logOf("t")).toHaveLength(6);
  });

  it("ends a run whose process died when anyone asks after it, so the thread is not stuck", async () => {
    core = await openTestCore(db());
    const a = await core.runs.create({ threadId: "t", assistantId: "paced", request: pacedRequest("a") }, ANON);
    await core.runs.execute(a.runId);
    // A run left running by a process that is gone: no process holds it.
    const dead = "3f0b1c2d-0000-4000-8000-000000000001";
    await db().pool.query(
      `INSERT INTO runs (run_id, thread_id, assistant_id, graph_id, user_id, status, request, multitask_strategy, background, attempt, started_at)
       VALUES ($1, 't', $2, 'paced', $3, 'running', '{}', 'reject', false, 1, now())`,
      [dead, a.assistantId, ANON],
    );
    await db().pool.query("UPDATE threads SET status = 'busy' WHERE thread_id = 't'");
    const joined = await core.runs.join(dead, ANON);
    expect(joined.status).toBe("error");
    expect(joined.error?.message).toMatch(/stopped before it finished/);
    expect((await core.threads.get("t", ANON)).status).toBe("idle");
    await core.threads.delete("t", ANON);
  });
});
