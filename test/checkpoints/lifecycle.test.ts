import { AIMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { CheckpointConflictError, CheckpointInputError, CheckpointNotFoundError } from "../../checkpoints/index.js";
import { describeBackends } from "../helpers/db.js";
import { buildGraph, count, freshSaver, rowsOf, runTo } from "./helpers.js";

const TABLES = ["tl_checkpoints", "tl_checkpoint_writes"];
const FULL = 1;

describeBackends("checkpoint lifecycle", (db) => {
  const messagesOf = async (threadId: string) =>
    (await buildGraph(freshSaver(db())).getState({ configurable: { thread_id: threadId } })).values.messages;
  const historyOf = async (threadId: string) => {
    const history = [];
    for await (const snapshot of buildGraph(freshSaver(db())).getStateHistory({ configurable: { thread_id: threadId } })) {
      history.push({ id: snapshot.config.configurable?.checkpoint_id as string, messages: snapshot.values.messages?.length ?? 0 });
    }
    return history;
  };

  it("deleteThread removes every row of the thread and nothing else", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 5);
    await runTo(saver, "t2", 5);
    await saver.setThreadTtl("t1", { ttlMs: 60_000, policy: "fixed" });
    await saver.deleteThread("t1");
    for (const table of [...TABLES, "tl_checkpoint_ttl"]) expect(await count(db(), table, "t1")).toBe(0);
    expect(await messagesOf("t2")).toHaveLength(5);
  });

  it("copyThread makes an independent copy and refuses to overwrite", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 8);
    const copied = await saver.copyThread("t1", "t1-copy");
    expect(copied.checkpoints).toBe(await count(db(), "tl_checkpoints", "t1"));
    expect(await messagesOf("t1-copy")).toEqual(await messagesOf("t1"));
    expect(await historyOf("t1-copy")).toEqual(await historyOf("t1"));
    await runTo(saver, "t1-copy", 10);
    expect(await messagesOf("t1-copy")).toHaveLength(10);
    expect(await messagesOf("t1")).toHaveLength(8);
    await expect(saver.copyThread("t1", "t1-copy")).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(saver.copyThread("missing", "t9")).rejects.toBeInstanceOf(CheckpointNotFoundError);
  });

  it("prune keeps the newest checkpoints, rewriting the oldest kept one whole", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 10);
    const config = { configurable: { thread_id: "t1" } };
    const latest = (await graph.getState(config)).values.messages;
    const edits = latest.slice(0, 3).map((m: { id: string }) => new AIMessage({ id: m.id, content: "edited" }));
    await graph.updateState(config, { messages: edits }, "c");
    const before = await historyOf("t1");
    const result = await saver.prune("t1", { keepLatest: 3 });
    expect(result).toMatchObject({ checkpoints: before.length - 3, rewritten: 1 });
    const rows = await rowsOf(db(), "t1");
    expect(rows).toHaveLength(3);
    expect(rows[0]!.flags & FULL).toBe(FULL);
    expect(await historyOf("t1")).toEqual(before.slice(0, 3));
    const after = await messagesOf("t1");
    expect(after).toHaveLength(10);
    expect(after[0].content).toBe("edited");
    // The thread goes on from the pruned state.
    await runTo(saver, "t1", 12);
    expect(await messagesOf("t1")).toHaveLength(12);
    await expect(saver.prune("t1", { keepLatest: 0 })).rejects.toBeInstanceOf(CheckpointInputError);
  });

  it("a process that cached a thread reads it right after another process pruned it", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 12);
    const read = async (s: ThreadlineSaver) => {
      const out = [];
      for await (const tuple of s.list({ configurable: { thread_id: "t1" } })) out.push(tuple.checkpoint.channel_values);
      return out;
    };
    const before = await read(saver);
    await freshSaver(db()).prune("t1", { keepLatest: 6 });
    expect(await read(saver)).toEqual(before.slice(0, 6));
    expect(await read(freshSaver(db()))).toEqual(before.slice(0, 6));
  });

  it("deleteRun rolls a thread back to where it was before the run", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 5, { metadata: { run_id: "run-1" } });
    const before = await messagesOf("t1");
    const rowsBefore = await Promise.all(TABLES.map((t) => count(db(), t, "t1")));
    await runTo(saver, "t1", 9, { metadata: { run_id: "run-2" } });
    const { rows } = await db().pool.query("SELECT count(*)::int AS n FROM tl_checkpoints WHERE run_id = 'run-2'");
    expect(rows[0].n).toBeGreaterThan(0);
    const result = await saver.deleteRun("t1", "run-2");
    expect(result.checkpoints).toBe(rows[0].n);
    expect(await messagesOf("t1")).toEqual(before);
    expect(await Promise.all(TABLES.map((t) => count(db(), t, "t1")))).toEqual(rowsBefore);
    await runTo(saver, "t1", 7, { metadata: { run_id: "run-3" } });
    expect(await messagesOf("t1")).toHaveLength(7);
  });

  it("deleteRun of an earlier run keeps later checkpoints readable", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 4, { metadata: { run_id: "run-1" } });
    await runTo(saver, "t1", 7, { metadata: { run_id: "run-2" } });
    await runTo(saver, "t1", 10, { metadata: { run_id: "run-3" } });
    const latest = await messagesOf("t1");
    const history = await historyOf("t1");
    const result = await saver.deleteRun("t1", "run-2");
    expect(result.rewritten).toBe(1);
    expect(await messagesOf("t1")).toEqual(latest);
    const remaining = await historyOf("t1");
    expect(remaining.length).toBe(history.length - result.checkpoints);
    expect(remaining[0]).toEqual(history[0]);
  });
});
