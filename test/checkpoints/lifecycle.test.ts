import { AIMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/errors.js";
import { describeBackends } from "../helpers/db.js";
import { buildGraph, count, freshSaver, runTo } from "./helpers.js";

const TABLES = ["tl_checkpoints", "tl_checkpoint_blobs", "tl_checkpoint_items", "tl_checkpoint_writes"];

describeBackends("checkpoint lifecycle", (db) => {
  const messagesOf = async (threadId: string) =>
    (await buildGraph(freshSaver(db())).getState({ configurable: { thread_id: threadId } })).values.messages;

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
    await runTo(saver, "t1-copy", 10);
    expect(await messagesOf("t1-copy")).toHaveLength(10);
    expect(await messagesOf("t1")).toHaveLength(8);
    await expect(saver.copyThread("t1", "t1-copy")).rejects.toBeInstanceOf(ConflictError);
    await expect(saver.copyThread("missing", "t9")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("prune keeps the newest checkpoints and drops blobs and items only older ones used", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 10);
    const config = { configurable: { thread_id: "t1" } };
    const latest = (await graph.getState(config)).values.messages;
    // Rewrite history so the oldest items are only reachable from old checkpoints.
    const edits = latest.slice(0, 3).map((m: { id: string }) => new AIMessage({ id: m.id, content: "edited" }));
    await graph.updateState(config, { messages: edits }, "c");
    const itemsBefore = await count(db(), "tl_checkpoint_items", "t1");
    const result = await saver.prune("t1", { keepLatest: 1 });
    expect(await count(db(), "tl_checkpoints", "t1")).toBe(1);
    expect(result.checkpoints).toBeGreaterThan(0);
    expect(result.items).toBeGreaterThan(0);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(itemsBefore - result.items);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(10);
    const after = await messagesOf("t1");
    expect(after).toHaveLength(10);
    expect(after[0].content).toBe("edited");
    await expect(saver.prune("t1", { keepLatest: 0 })).rejects.toBeInstanceOf(InvalidInputError);
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
  });
});
