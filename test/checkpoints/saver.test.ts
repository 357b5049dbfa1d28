import { AIMessage, HumanMessage, RemoveMessage } from "@langchain/core/messages";
import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { describe, expect, it } from "vitest";
import { CorruptCheckpointError, ThreadlineSaver } from "../../checkpoints/index.js";
import { describeBackends } from "../helpers/db.js";
import { buildGraph, count, countStatements, freshSaver, runTo } from "./helpers.js";

describeBackends("ThreadlineSaver", (db) => {
  it("round-trips a graph's messages, also through a saver with cold caches", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 30);
    const live = await graph.getState({ configurable: { thread_id: "t1" } });
    expect(live.values.messages).toHaveLength(30);
    const cold = await buildGraph(freshSaver(db())).getState({ configurable: { thread_id: "t1" } });
    expect(cold.values.messages).toEqual(live.values.messages);
    expect(cold.values.messages[1]).toBeInstanceOf(AIMessage);
    expect(cold.values.messages[0]).toBeInstanceOf(HumanMessage);
  });

  it("stores each message once: item rows grow by one per appended message", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 20);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(20);
    await runTo(saver, "t1", 21);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(21);
    // A process with no cache resends the list, which stores nothing new.
    await runTo(freshSaver(db()), "t1", 22);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(22);
  });

  it("keeps every version of a list exact: removals, replacements and duplicates", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 6);
    const config = { configurable: { thread_id: "t1" } };
    const before = (await graph.getState(config)).values.messages;
    await graph.updateState(config, { messages: [new RemoveMessage({ id: before[2].id })] }, "c");
    const replaced = new AIMessage({ id: before[4].id, content: "replaced" });
    await graph.updateState(config, { messages: [replaced] }, "c");
    const expected = [...before.slice(0, 2), ...before.slice(3)];
    expected[3] = replaced;
    const cold = freshSaver(db());
    expect((await buildGraph(cold).getState(config)).values.messages).toEqual(expected);

    const put = await cold.put(
      { configurable: { thread_id: "t2", checkpoint_ns: "" } },
      { ...emptyCheckpoint(), channel_values: { list: ["a", "a", 1, { b: [2] }, null, "a"] }, channel_versions: { list: 1 } },
      { source: "input", step: -1, parents: {} },
      { list: 1 },
    );
    const tuple = await freshSaver(db()).getTuple(put);
    expect(tuple?.checkpoint.channel_values.list).toEqual(["a", "a", 1, { b: [2] }, null, "a"]);
  });

  it("never loses a write when two forks of one checkpoint update the same channel", async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = await runTo(saver, "t1", 4);
    const history = [];
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "t1" } })) history.push(snapshot);
    const base = history[1]!.config;
    const left = await graph.updateState(base, { messages: [new AIMessage("left")] }, "c");
    const right = await graph.updateState(base, { messages: [new AIMessage("right")] }, "c");
    const cold = buildGraph(freshSaver(db()));
    const last = (config: typeof left) => cold.getState(config).then((s) => s.values.messages.at(-1).content);
    expect(await last(left)).toBe("left");
    expect(await last(right)).toBe("right");
  });

  it("uses one statement per put() and per putWrites()", async () => {
    const saver = await ThreadlineSaver.create(db());
    const statements = countStatements(db());
    try {
      const checkpoint = { ...emptyCheckpoint(), channel_values: { messages: [new AIMessage("a"), new AIMessage("b")], n: 1 }, channel_versions: { messages: 1, n: 1 } };
      const config = await saver.put({ configurable: { thread_id: "t1" } }, checkpoint, { source: "loop", step: 0, parents: {} }, { messages: 1, n: 1 });
      expect(statements.count).toBe(1);
      await saver.putWrites(config, [["messages", [new AIMessage("c")]], ["n", 2], ["__error__", "x"]], "task");
      expect(statements.count).toBe(2);
    } finally {
      statements.restore();
    }
  });

  it("groups calls that arrive while its write slot is busy, and fails only the faulty one", async () => {
    await ThreadlineSaver.create(db());
    const saver = new ThreadlineSaver(db(), { maxConcurrentWrites: 1 });
    const meta = { source: "loop" as const, step: 0, parents: {} };
    const cp = (n: number) => ({ ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n }, channel_versions: { n: 1 } });
    const base = await saver.put({ configurable: { thread_id: "t0" } }, cp(0), meta, { n: 1 });
    const statements = countStatements(db());
    try {
      // The first call takes the slot; the next two wait and share a statement.
      await Promise.all([
        saver.put({ configurable: { thread_id: "t1" } }, cp(1), meta, { n: 1 }),
        saver.put({ configurable: { thread_id: "t2" } }, cp(2), meta, { n: 1 }),
        saver.putWrites(base, [["n", 5]], "task"),
      ]);
      expect(statements.count).toBe(2);
      // jsonb refuses \u0000, so this put fails on its own after the shared statement does.
      const results = await Promise.allSettled([
        saver.put({ configurable: { thread_id: "t3" } }, cp(3), { ...meta, bad: "\u0000" } as typeof meta, { n: 1 }),
        saver.put({ configurable: { thread_id: "t4" } }, cp(4), meta, { n: 1 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    } finally {
      statements.restore();
    }
    const fresh = freshSaver(db());
    expect((await fresh.getTuple({ configurable: { thread_id: "t2" } }))?.checkpoint.channel_values).toEqual({ n: 2 });
    expect((await fresh.getTuple(base))?.pendingWrites).toEqual([["task", "n", 5]]);
    expect(await fresh.getTuple({ configurable: { thread_id: "t4" } })).toBeDefined();
    expect(await fresh.getTuple({ configurable: { thread_id: "t3" } })).toBeUndefined();
  });

  it("stores values compressed and still reads rows written before compression and packed records", async () => {
    const saver = await ThreadlineSaver.create(db());
    const pool = db().pool;
    const message = new AIMessage({ content: "hello ".repeat(40), id: "m1" });
    const [itemType, itemBytes] = await saver.serde.dumpsTyped(message);
    const node = Buffer.alloc(16, 7);
    const record = { v: 4, ts: "2026-01-01T00:00:00.000Z", versions_seen: { a: { n: 1 } }, channel_versions: { n: 1, gone: 2, messages: 3 } };
    await pool.query(
      "INSERT INTO tl_checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint, metadata) VALUES ('old', '', 'c1', $1::jsonb, $2::jsonb)",
      [JSON.stringify(record), JSON.stringify({ source: "loop", step: 1, parents: {} })],
    );
    await pool.query(
      `INSERT INTO tl_checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
       VALUES ('old', '', 'n', '1', 'json', convert_to('5', 'UTF8')), ('old', '', 'gone', '2', 'empty', NULL),
              ('old', '', 'messages', '3', 'tl:list', $1)`,
      [node],
    );
    await pool.query("INSERT INTO tl_checkpoint_items (thread_id, node, parent, type, blob) VALUES ('old', $1, NULL, $2, $3)", [
      node, itemType, Buffer.from(itemBytes),
    ]);
    const old = await freshSaver(db()).getTuple({ configurable: { thread_id: "old" } });
    expect(old?.checkpoint).toEqual({ ...record, id: "c1", channel_values: { n: 5, messages: [message] } });

    const checkpoint = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [message] }, channel_versions: { messages: 1 } };
    const meta = { source: "loop" as const, step: 0, parents: {} };
    const config = await saver.put({ configurable: { thread_id: "new" } }, checkpoint, meta, { messages: 1 });
    await saver.putWrites(config, [["messages", [message]]], "task");
    const { rows } = await pool.query("SELECT type, octet_length(blob) AS n FROM tl_checkpoint_items WHERE thread_id = 'new'");
    expect(rows[0].type).toBe(`~${itemType}`);
    expect(rows[0].n).toBeLessThan(itemBytes.length / 2);
    const stored = await freshSaver(db()).getTuple(config);
    expect(stored?.checkpoint.channel_values).toEqual({ messages: [message] });
    expect(stored?.pendingWrites).toEqual([["task", "messages", [message]]]);
  });

  it("recovers when items its cache knows about were deleted behind its back", async () => {
    const saver = await ThreadlineSaver.create(db());
    const [a, b, c] = [new AIMessage("a"), new AIMessage("b"), new AIMessage("c")];
    const meta = { source: "loop" as const, step: 0, parents: {} };
    const first = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b] }, channel_versions: { messages: 1 } };
    const config = await saver.put({ configurable: { thread_id: "t1" } }, first, meta, { messages: 1 });
    await freshSaver(db()).deleteThread("t1");
    const second = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b, c] }, channel_versions: { messages: 2 } };
    const next = await saver.put(config, second, meta, { messages: 2 });
    const tuple = await freshSaver(db()).getTuple(next);
    expect(tuple?.checkpoint.channel_values.messages).toEqual([a, b, c]);
    expect(await count(db(), "tl_checkpoint_items", "t1")).toBe(3);
  });

  it("pages list() and honours limit and before", async () => {
    const saver = await ThreadlineSaver.create(db(), { pageSize: 2 });
    await runTo(saver, "t1", 6);
    const all = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } })) all.push(tuple.checkpoint.id);
    expect(all.length).toBe(7);
    expect([...all].sort().reverse()).toEqual(all);
    const limited = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } }, { limit: 3, before: { configurable: { checkpoint_id: all[1] } } })) {
      limited.push(tuple.checkpoint.id);
    }
    expect(limited).toEqual(all.slice(2, 5));
  });

  describe("unreadable rows", () => {
    const expectCorrupt = async (threadId: string) => {
      const latest = await db().pool.query<{ id: string }>(
        "SELECT checkpoint_id AS id FROM tl_checkpoints WHERE thread_id = $1 ORDER BY checkpoint_id DESC LIMIT 1",
        [threadId],
      );
      const error = await freshSaver(db()).getTuple({ configurable: { thread_id: threadId } }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(CorruptCheckpointError);
      expect(error).toMatchObject({ code: "corrupt_state", threadId, checkpointId: latest.rows[0]!.id });
      expect((error as Error).message).toContain(threadId);
      expect((error as Error).message).toContain(latest.rows[0]!.id);
    };

    it("raises a typed error for an item that does not deserialise", async () => {
      await runTo(await ThreadlineSaver.create(db()), "t1", 5);
      await db().pool.query("UPDATE tl_checkpoint_items SET blob = '\\x7b6e6f74206a736f6e' WHERE thread_id = 't1'");
      await expectCorrupt("t1");
    });

    it("raises a typed error for a channel blob that does not deserialise", async () => {
      const saver = await ThreadlineSaver.create(db());
      const checkpoint = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n: 1 }, channel_versions: { n: 1 } };
      await saver.put({ configurable: { thread_id: "t2" } }, checkpoint, { source: "input", step: -1, parents: {} }, { n: 1 });
      await db().pool.query("UPDATE tl_checkpoint_blobs SET blob = '\\x7b' WHERE thread_id = 't2'");
      await expectCorrupt("t2");
    });

    it("raises a typed error when a list item is missing", async () => {
      await runTo(await ThreadlineSaver.create(db()), "t3", 5);
      await db().pool.query("DELETE FROM tl_checkpoint_items WHERE thread_id = 't3' AND parent IS NULL");
      await expectCorrupt("t3");
    });
  });
});
