import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { serverPerTest } from "./helpers.js";

describeBackends("server: threads through the SDK", (db) => {
  const start = serverPerTest(db);

  it("creates, finds, counts, updates, copies, prunes and deletes threads", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create({ metadata: { topic: "travel" }, graphId: "paced" });
    expect(t).toMatchObject({ status: "idle", metadata: { topic: "travel", graph_id: "paced" }, values: null });
    await expect(client.threads.create({ threadId: t.thread_id, ifExists: "raise" })).rejects.toThrow(/409/);
    expect((await client.threads.create({ threadId: t.thread_id, ifExists: "do_nothing" })).thread_id).toBe(t.thread_id);
    await client.runs.wait(t.thread_id, "paced", { input: { label: "a" } });
    const other = await client.threads.create({ metadata: { topic: "food" } });
    expect((await client.threads.search({ metadata: { topic: "travel" } })).map((x) => x.thread_id)).toEqual([t.thread_id]);
    expect((await client.threads.search({ values: { label: "a" } })).map((x) => x.thread_id)).toEqual([t.thread_id]);
    expect((await client.threads.search({ ids: [other.thread_id] })).map((x) => x.thread_id)).toEqual([other.thread_id]);
    expect((await client.threads.search({ status: "idle", limit: 1, sortBy: "created_at", sortOrder: "asc" }))[0]!.thread_id).toBe(t.thread_id);
    expect(await client.threads.count({ metadata: { topic: "food" } })).toBe(1);
    const selected = await client.threads.search({ select: ["thread_id", "status"], ids: [t.thread_id] });
    expect(selected).toEqual([{ thread_id: t.thread_id, status: "idle" }]);
    expect((await client.threads.update(t.thread_id, { metadata: { mood: "good" } })).metadata).toMatchObject({ topic: "travel", mood: "good" });
    const copy = await client.threads.copy(t.thread_id);
    expect(((await client.threads.getState(copy.thread_id)).values as { log: string[] }).log).toHaveLength(6);
    expect((await client.threads.getHistory(t.thread_id, { limit: 100 })).length).toBeGreaterThan(2);
    expect(await client.threads.prune([t.thread_id], { strategy: "keep_latest" })).toEqual({ pruned_count: 1 });
    expect(await client.threads.getHistory(t.thread_id, { limit: 100 })).toHaveLength(1);
    expect(((await client.threads.getState(t.thread_id)).values as { log: string[] }).log).toHaveLength(6);
    await client.threads.delete(t.thread_id);
    await expect(client.threads.get(t.thread_id)).rejects.toThrow(/404/);
    expect(await client.threads.prune([copy.thread_id, "gone"])).toEqual({ pruned_count: 1 });
  });

  it("prunes every thread it may, leaving one with a run in progress as it is", async () => {
    const { client } = await start();
    const running = await client.threads.create();
    const idle = await client.threads.create();
    await client.runs.wait(idle.thread_id, "paced", { input: { label: "a" } });
    const run = await client.runs.create(running.thread_id, "paced", { input: { label: "b" }, config: { configurable: { pace_ms: 300 } } });
    expect(await client.threads.prune([running.thread_id, idle.thread_id], { strategy: "keep_latest" })).toEqual({ pruned_count: 1 });
    expect(await client.threads.getHistory(idle.thread_id, { limit: 100 })).toHaveLength(1);
    expect(await client.threads.prune([running.thread_id, idle.thread_id])).toEqual({ pruned_count: 1 });
    await expect(client.threads.get(idle.thread_id)).rejects.toThrow(/404/);
    await client.runs.join(running.thread_id, run.run_id);
    expect(((await client.threads.getState(running.thread_id)).values as { log: string[] }).log).toHaveLength(6);
  });

  it("reads state at a checkpoint, history by limit, before and metadata, and writes state as a node", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    await client.runs.wait(t.thread_id, "paced", { input: { label: "a" } });
    const history = await client.threads.getHistory(t.thread_id, { limit: 100 });
    expect(history[0]!.next).toEqual([]);
    const third = history[3]!;
    const at = await client.threads.getState(t.thread_id, third.checkpoint.checkpoint_id!);
    expect(at.checkpoint.checkpoint_id).toBe(third.checkpoint.checkpoint_id);
    expect(at.values).toEqual(third.values);
    const byPost = await client.threads.getState(t.thread_id, { checkpoint_id: third.checkpoint.checkpoint_id, checkpoint_ns: "" } as never);
    expect(byPost.values).toEqual(third.values);
    const before = await client.threads.getHistory(t.thread_id, { limit: 2, before: { configurable: { checkpoint_id: third.checkpoint.checkpoint_id } } as never });
    expect(before.map((h) => h.checkpoint.checkpoint_id)).toEqual(history.slice(4, 6).map((h) => h.checkpoint.checkpoint_id));
    const inputs = await client.threads.getHistory(t.thread_id, { metadata: { source: "input" } });
    expect(inputs).toHaveLength(1);
    const get = await fetch(`${s.url}/threads/${t.thread_id}/history?limit=2`);
    expect(((await get.json()) as unknown[]).length).toBe(2);

    const written = (await client.threads.updateState(t.thread_id, { values: { log: ["hand:s6"] }, asNode: "s6" })) as unknown as { checkpoint: { checkpoint_id: string } };
    expect(written.checkpoint.checkpoint_id).toBeTruthy();
    const state = await client.threads.getState(t.thread_id);
    expect((state.values as { log: string[] }).log.at(-1)).toBe("hand:s6");
    expect(state.metadata).toMatchObject({ source: "update" });
    await expect(client.threads.updateState(t.thread_id, { values: { log: [] }, asNode: "nope" })).rejects.toThrow(/422/);
    // As LangGraph's server: no state update while a run is pending or running on the thread.
    const busy = await client.runs.create(t.thread_id, "paced", { input: { label: "b" }, config: { configurable: { pace_ms: 100 } } });
    await expect(client.threads.updateState(t.thread_id, { values: { log: ["x"] }, asNode: "s6" })).rejects.toThrow(/409/);
    await client.runs.join(t.thread_id, busy.run_id);
    await expect(client.threads.getState(t.thread_id, "1f000000-0000-6000-8000-000000000000")).rejects.toThrow(/404/);
    await expect(client.threads.getState("no-such-thread")).rejects.toThrow(/404/);
  });

  it("shows a pending interrupt in the thread, its state's tasks and a subgraph's state", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    await client.runs.wait(t.thread_id, "nested", { input: { topic: "owls" } });
    const thread = await client.threads.get(t.thread_id);
    expect(thread.status).toBe("interrupted");
    expect(Object.values(thread.interrupts).flat()[0]!.value).toEqual({ ask: "note?" });
    const state = await client.threads.getState(t.thread_id, undefined, { subgraphs: true });
    expect(state.next).toEqual(["writer"]);
    const task = state.tasks[0]!;
    expect(task.interrupts[0]!.value).toEqual({ ask: "note?" });
    expect((task.state!.values as { notes: string[] }).notes).toEqual(["prepare owls", "draft about owls"]);
    const shallow = await client.threads.getState(t.thread_id);
    expect(shallow.tasks[0]!.checkpoint).toMatchObject({ checkpoint_ns: expect.stringMatching(/^writer:/) });
  });
});
