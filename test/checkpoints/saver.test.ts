import { inflateRawSync } from "node:zlib";
import { AIMessage, HumanMessage, RemoveMessage, ToolMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { BODY_DICTIONARY } from "../../checkpoints/compress.js";
import { JsonPlusSerializer, emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { describe, expect, it } from "vitest";
import { CheckpointInputError, ThreadlineSaver } from "../../checkpoints/index.js";
import { ThreadlineSerializer } from "../../checkpoints/serde.js";
import { describeBackends } from "../helpers/db.js";
import { buildGraph, countStatements, freshSaver, rowsOf, runTo } from "./helpers.js";

const FULL = 1;
const CARRIES_WRITES = 2;
/** Refuses one marker value, as a serialiser would a value it has no form for. */
class Picky extends ThreadlineSerializer {
  override dumpsTypedSync(value: unknown): [string, Uint8Array] {
    if (value === "unencodable") throw new Error("no JSON form");
    return super.dumpsTypedSync(value);
  }
}

const meta = (step: number) => ({ source: "loop" as const, step, parents: {} });

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

  it("stores a step as one row holding only the new message and the writes that made it", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 40);
    const rows = await rowsOf(db(), "t1");
    const checkpoints = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } })) checkpoints.push(tuple);
    expect(rows).toHaveLength(checkpoints.length);
    expect(rows[0]!.flags & FULL).toBe(FULL);
    // Later rows build on their parent and carry the step's writes; a row
    // holding the whole history would be ~40 × 160 bytes.
    const later = rows.slice(2);
    expect(later.every((r) => (r.flags & FULL) === 0 && (r.flags & CARRIES_WRITES) !== 0)).toBe(true);
    expect(Math.max(...later.map((r) => r.bytes))).toBeLessThan(700);
    // A new process continues the thread the same way.
    await runTo(freshSaver(db()), "t1", 44);
    const after = (await rowsOf(db(), "t1")).slice(rows.length);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => (r.flags & FULL) === 0 && r.bytes < 700)).toBe(true);
    expect((await buildGraph(freshSaver(db())).getState({ configurable: { thread_id: "t1" } })).values.messages).toHaveLength(44);
  });

  it("stores a long message once per step even when the reducer gives it its id after the write", async () => {
    const saver = await ThreadlineSaver.create(db());
    // Plain edges: nothing reads the state inside the task, so the message is written without an id.
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("tool", () => ({ messages: [new ToolMessage({ content: "result ".repeat(800), tool_call_id: "c1" })] }))
      .addEdge(START, "tool")
      .addEdge("tool", END)
      .compile({ checkpointer: saver });
    const config = { configurable: { thread_id: "t1" }, durability: "sync" as const };
    await graph.invoke({ messages: [new HumanMessage("go")] }, config);
    const tuple = await freshSaver(db()).getTuple(config);
    const written = tuple?.checkpoint.channel_values.messages as ToolMessage[];
    expect(written.at(-1)?.id).toBeDefined();
    const parent = await freshSaver(db()).getTuple({ configurable: { thread_id: "t1", checkpoint_id: tuple!.parentConfig!.configurable!.checkpoint_id } });
    const write = parent?.pendingWrites?.find(([, channel]) => channel === "messages")?.[2] as ToolMessage[];
    expect(write[0]!.id).toBeUndefined();
    expect(write[0]!.content).toBe("result ".repeat(800));
    const { rows } = await db().pool.query<{ body: Buffer }>("SELECT body FROM tl_checkpoints WHERE checkpoint_id = $1", [tuple!.checkpoint.id]);
    const raw = inflateRawSync(rows[0]!.body, { dictionary: BODY_DICTIONARY }).toString();
    expect(raw.split("result ".repeat(800)).length - 1).toBe(1);
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
    const history = [];
    for await (const snapshot of buildGraph(freshSaver(db())).getStateHistory(config)) history.push(snapshot.values.messages);
    expect(history[0]).toEqual(expected);
    expect(history[2]).toEqual(before);

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
    expect(left.configurable?.checkpoint_id).not.toBe(right.configurable?.checkpoint_id);
  });

  it("sends a step's writes and the checkpoint they produce in one statement", async () => {
    const saver = await ThreadlineSaver.create(db());
    const [a, b, c] = [new AIMessage("a"), new AIMessage("b"), new AIMessage("c")];
    const first = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b], n: 1 }, channel_versions: { messages: 1, n: 1 } };
    const config = await saver.put({ configurable: { thread_id: "t1" } }, first, meta(0), { messages: 1, n: 1 });
    const statements = countStatements();
    let next;
    try {
      // As LangGraph does: a task's writes, then (before awaiting them) the checkpoint they lead to.
      const writes = saver.putWrites(config, [["messages", [c]], ["n", 2]], "task", "~__pregel_pull, a");
      const second = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b, c], n: 2 }, channel_versions: { messages: 2, n: 2 } };
      next = await saver.put(config, second, meta(1), { messages: 2, n: 2 });
      await writes;
      expect(statements.count).toBe(1);
      // Writes no checkpoint follows (an interrupt, an error) are stored on their own.
      await saver.putWrites(next, [["__error__", "boom"]], "task2");
      expect(statements.count).toBe(2);
    } finally {
      statements.restore();
    }
    const fresh = freshSaver(db());
    expect((await fresh.getTuple(config))?.pendingWrites).toEqual([["task", "messages", [c]], ["task", "n", 2]]);
    const latest = await fresh.getTuple(next);
    expect(latest?.pendingWrites).toEqual([["task2", "__error__", "boom"]]);
    expect(latest?.checkpoint.channel_values).toEqual({ messages: [a, b, c], n: 2 });
    const listed = [];
    for await (const tuple of freshSaver(db()).list({ configurable: { thread_id: "t1" } })) listed.push(tuple.pendingWrites);
    expect(listed).toEqual([[["task2", "__error__", "boom"]], [["task", "messages", [c]], ["task", "n", 2]]]);
  });

  it("rejects a call without the keys it needs, as a promise", async () => {
    const saver = await ThreadlineSaver.create(db());
    const cp = { ...emptyCheckpoint(), id: uuid6(-1) };
    const writes = saver.putWrites({ configurable: { thread_id: "t1" } }, [["n", 1]], "task");
    await expect(writes).rejects.toBeInstanceOf(CheckpointInputError);
    await expect(saver.putWrites({ configurable: { checkpoint_id: cp.id } }, [["n", 1]], "task")).rejects.toThrow(/thread_id/);
    await expect(saver.put({ configurable: {} }, cp, meta(0), {})).rejects.toThrow(/thread_id/);
  });

  it("groups calls that arrive while its write slot is busy, and fails only the faulty one", async () => {
    await ThreadlineSaver.create(db());
    const saver = new ThreadlineSaver(db(), { maxConcurrentWrites: 1, holdWritesMs: 0, serde: new Picky() });
    const cp = (n: number) => ({ ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n }, channel_versions: { n: 1 } });
    const base = await saver.put({ configurable: { thread_id: "t0" } }, cp(0), meta(0), { n: 1 });
    const statements = countStatements();
    try {
      // The first call takes the slot; the next two wait and share a statement.
      await Promise.all([
        saver.put({ configurable: { thread_id: "t1" } }, cp(1), meta(0), { n: 1 }),
        saver.put({ configurable: { thread_id: "t2" } }, cp(2), meta(0), { n: 1 }),
        saver.putWrites(base, [["n", 5]], "task"),
      ]);
      expect(statements.count).toBe(2);
      // Postgres refuses NUL in text, so this put fails on its own after the shared statement does.
      const results = await Promise.allSettled([
        saver.put({ configurable: { thread_id: "t3\u0000" } }, cp(3), meta(0), { n: 1 }),
        saver.put({ configurable: { thread_id: "t4" } }, cp(4), meta(0), { n: 1 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
      // A row that cannot be encoded fails alone, before its group is sent.
      const before = statements.count;
      const grouped = await Promise.allSettled([
        saver.put({ configurable: { thread_id: "t5" } }, cp(5), meta(0), { n: 1 }),
        saver.put({ configurable: { thread_id: "t6" } }, { ...cp(6), channel_values: { n: "unencodable" } }, meta(0), { n: 1 }),
        saver.put({ configurable: { thread_id: "t7" } }, cp(7), meta(0), { n: 1 }),
      ]);
      expect(grouped.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(String((grouped[1] as PromiseRejectedResult).reason)).toMatch(/no JSON form/);
      expect(statements.count - before).toBe(2);
    } finally {
      statements.restore();
    }
    const fresh = freshSaver(db());
    expect((await fresh.getTuple({ configurable: { thread_id: "t2" } }))?.checkpoint.channel_values).toEqual({ n: 2 });
    expect((await fresh.getTuple(base))?.pendingWrites).toEqual([["task", "n", 5]]);
    expect(await fresh.getTuple({ configurable: { thread_id: "t4" } })).toBeDefined();
    expect((await fresh.getTuple({ configurable: { thread_id: "t7" } }))?.checkpoint.channel_values).toEqual({ n: 7 });
    expect(await fresh.getTuple({ configurable: { thread_id: "t6" } })).toBeUndefined();
  });

  it("stores a checkpoint whole when its parent was deleted behind its back", async () => {
    const saver = await ThreadlineSaver.create(db());
    const [a, b, c] = [new AIMessage("a"), new AIMessage("b"), new AIMessage("c")];
    const first = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b] }, channel_versions: { messages: 1 } };
    const config = await saver.put({ configurable: { thread_id: "t1" } }, first, meta(0), { messages: 1 });
    await freshSaver(db()).deleteThread("t1");
    const second = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b, c] }, channel_versions: { messages: 2 } };
    const next = await saver.put(config, second, meta(1), { messages: 2 });
    expect((await freshSaver(db()).getTuple(next))?.checkpoint.channel_values.messages).toEqual([a, b, c]);
    const rows = await rowsOf(db(), "t1");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.flags & FULL).toBe(FULL);
  });

  it("works with a serialiser that only answers through promises, also when a parent is gone", async () => {
    await ThreadlineSaver.create(db());
    const serde = new JsonPlusSerializer();
    const saver = new ThreadlineSaver(db(), { serde });
    const graph = await runTo(saver, "t1", 12);
    const cold = await buildGraph(freshSaver(db(), { serde })).getState({ configurable: { thread_id: "t1" } });
    expect(cold.values.messages).toEqual((await graph.getState({ configurable: { thread_id: "t1" } })).values.messages);
    expect((await rowsOf(db(), "t1")).filter((r) => (r.flags & FULL) === 0).length).toBeGreaterThan(5);

    const [a, b] = [new AIMessage("a"), new AIMessage("b")];
    const first = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a] }, channel_versions: { messages: 1 } };
    const config = await saver.put({ configurable: { thread_id: "t2" } }, first, meta(0), { messages: 1 });
    await freshSaver(db()).deleteThread("t2");
    const second = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages: [a, b] }, channel_versions: { messages: 2 } };
    const next = await saver.put(config, second, meta(1), { messages: 2 });
    expect((await freshSaver(db(), { serde }).getTuple(next))?.checkpoint.channel_values.messages).toEqual([a, b]);
    expect((await rowsOf(db(), "t2")).map((r) => r.flags & FULL)).toEqual([FULL]);
  });

  it("stores a grouped checkpoint whole when its parent was deleted, and the rest of its group as changes", async () => {
    await ThreadlineSaver.create(db());
    const saver = new ThreadlineSaver(db(), { maxConcurrentWrites: 1, holdWritesMs: 0 });
    const [a, b] = [new AIMessage("a"), new AIMessage("b")];
    const cp = (messages: AIMessage[]) => ({ ...emptyCheckpoint(), id: uuid6(-1), channel_values: { messages }, channel_versions: { messages: messages.length } });
    const first1 = await saver.put({ configurable: { thread_id: "t1" } }, cp([a]), meta(0), { messages: 1 });
    const first2 = await saver.put({ configurable: { thread_id: "t2" } }, cp([a]), meta(0), { messages: 1 });
    await freshSaver(db()).deleteThread("t1");
    // t0 takes the only write slot; the next two wait and go as one statement.
    const [, next1, next2] = await Promise.all([
      saver.put({ configurable: { thread_id: "t0" } }, cp([a]), meta(0), { messages: 1 }),
      saver.put(first1, cp([a, b]), meta(1), { messages: 2 }),
      saver.put(first2, cp([a, b]), meta(1), { messages: 2 }),
    ]);
    const fresh = freshSaver(db());
    expect((await fresh.getTuple(next1))?.checkpoint.channel_values.messages).toEqual([a, b]);
    expect((await fresh.getTuple(next2))?.checkpoint.channel_values.messages).toEqual([a, b]);
    expect((await rowsOf(db(), "t1")).map((r) => r.flags & FULL)).toEqual([FULL]);
    expect((await rowsOf(db(), "t2")).map((r) => r.flags & FULL)).toEqual([FULL, 0]);
  });

  it("pages list() and honours limit, before and metadata filters", async () => {
    const saver = await ThreadlineSaver.create(db(), { pageSize: 2 });
    await runTo(saver, "t1", 6);
    const all = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } })) all.push(tuple.checkpoint.id);
    expect(all.length).toBe(7);
    expect([...all].sort().reverse()).toEqual(all);
    const cold = [];
    for await (const tuple of freshSaver(db(), { pageSize: 3 }).list({ configurable: { thread_id: "t1" } })) cold.push(tuple);
    expect(cold.map((t) => t.checkpoint.id)).toEqual(all);
    expect(cold.map((t) => (t.checkpoint.channel_values.messages as unknown[] | undefined)?.length ?? 0)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const limited = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } }, { limit: 3, before: { configurable: { checkpoint_id: all[1] } } })) {
      limited.push(tuple.checkpoint.id);
    }
    expect(limited).toEqual(all.slice(2, 5));
    const steps = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t1" } }, { filter: { source: "loop", step: 3 } })) steps.push(tuple.metadata?.step);
    expect(steps).toEqual([3]);
  });

  describe("commits", () => {
    it("a put is committed when it returns, and flush() makes it durable", async () => {
      for (const synchronousCommit of [false, true]) {
        const saver = await ThreadlineSaver.create(db(), { synchronousCommit });
        const threadId = `t-${synchronousCommit}`;
        const cp = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n: 1 }, channel_versions: { n: 1 } };
        await saver.put({ configurable: { thread_id: threadId } }, cp, meta(0), { n: 1 });
        // Another connection sees it at once: committed, whatever the flush policy.
        const { rows } = await db().pool.query("SELECT count(*)::int AS n FROM tl_checkpoints WHERE thread_id = $1", [threadId]);
        expect(rows[0].n).toBe(1);
        await saver.flush();
      }
    });
  });
});
