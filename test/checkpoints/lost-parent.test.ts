import { expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { describeBackends } from "../helpers/db.js";
import { freshSaver, rowsOf, runTo } from "./helpers.js";

describeBackends("a checkpoint whose parent is missing", (db) => {
  it("is stored whole and says which parent it lacks, whether the parent went before or during the put", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 6);
    const rows = await rowsOf(db(), "t1");
    const latest = rows.at(-1)!;
    // As a crash of the database server loses the last steps it had committed asynchronously.
    await db().pool.query("DELETE FROM tl_checkpoints WHERE thread_id = 't1' AND checkpoint_id = $1", [latest.id]);

    // This process still holds the lost checkpoint's state and builds on it.
    const state = await graph.getState({ configurable: { thread_id: "t1", checkpoint_id: rows.at(-2)!.id } });
    const tuple = await freshSaver(db()).getTuple({ configurable: { thread_id: "t1" } });
    const next = { ...tuple!.checkpoint, id: "1f1ffff0-0000-6000-8000-000000000001" };
    await saver.put({ configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: latest.id } }, next, { source: "loop", step: 99, parents: {} }, {});
    // A fresh process does not hold it at all.
    const other = { ...next, id: "1f1ffff0-0000-6000-8000-000000000002" };
    await freshSaver(db()).put({ configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: "1f1fffe0-lost" } }, other, { source: "loop", step: 100, parents: {} }, {});

    const stored = await rowsOf(db(), "t1");
    expect(stored.filter((r) => r.id.startsWith("1f1ffff0")).map((r) => r.flags & 1)).toEqual([1, 1]);
    const read = freshSaver(db());
    const first = await read.getTuple({ configurable: { thread_id: "t1", checkpoint_id: next.id } });
    expect(first?.metadata).toMatchObject({ step: 99, missing_parent_checkpoint_id: latest.id });
    expect(first?.checkpoint.channel_values.messages).toHaveLength(state.values.messages.length);
    const second = await read.getTuple({ configurable: { thread_id: "t1", checkpoint_id: other.id } });
    expect(second?.metadata).toMatchObject({ step: 100, missing_parent_checkpoint_id: "1f1fffe0-lost" });
    // Checkpoints whose parent is there say nothing of the kind.
    const before = await read.getTuple({ configurable: { thread_id: "t1", checkpoint_id: rows.at(-2)!.id } });
    expect(before?.metadata).not.toHaveProperty("missing_parent_checkpoint_id");
  });

  it("is not marked when a prune removed the parent on purpose", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t2", 8);
    await saver.prune("t2", { keepLatest: 3 });
    const rows = await rowsOf(db(), "t2");
    expect(rows).toHaveLength(3);
    expect(rows[0]!.flags & 1).toBe(1);
    const oldest = await freshSaver(db()).getTuple({ configurable: { thread_id: "t2", checkpoint_id: rows[0]!.id } });
    expect(oldest?.metadata).not.toHaveProperty("missing_parent_checkpoint_id");
  });
});
