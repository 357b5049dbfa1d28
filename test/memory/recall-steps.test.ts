import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { createMemory, type MemoryScope } from "../../src/memory/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

async function rowsOf(db: TestDatabase, scope: MemoryScope, threadId: string) {
  const { rows } = await db.pool.query<{ id: string; content: string; toolCalls: unknown; checkpoint: string | null }>(
    `SELECT message_id AS id, content, tool_calls AS "toolCalls", step_checkpoint_id AS checkpoint
       FROM memory_messages WHERE assistant_id = $1 AND user_id = $2 AND thread_id = $3 ORDER BY seq`,
    [scope.assistantId, scope.userId, threadId],
  );
  return rows;
}

const call = (id: string, query: string) => ({ id, name: "conversation_search", args: { query } });

describeBackends("recall memory: messages recorded again", (db) => {
  it("replaces the text and tool calls of an id recorded again, keeping its place and time", async () => {
    const memory = await createMemory(db());
    const first = [
      new HumanMessage({ id: "h1", content: "Find my tea notes" }),
      new AIMessage({ id: "a1", content: "Searching.", tool_calls: [call("call-A", "tea")] }),
      new HumanMessage({ id: "h2", content: "Thanks" }),
    ];
    expect(await memory.recall.append(ada, "t", first)).toBe(3);
    const before = (await memory.recall.search(ada, { threadId: "t" })).hits.find((h) => h.id === "a1")!;
    const retried = new AIMessage({ id: "a1", content: "Looking it up.", tool_calls: [call("call-B", "tea notes")] });
    expect(await memory.recall.append(ada, "t", [first[0]!, retried])).toBe(1);
    expect(await memory.recall.append(ada, "t", [retried])).toBe(0);

    expect((await rowsOf(db(), ada, "t")).map((r) => [r.id, r.content, r.toolCalls])).toEqual([
      ["h1", "Find my tea notes", null],
      ["a1", "Looking it up.", [{ id: "call-B", name: "conversation_search", args: { query: "tea notes" } }]],
      ["h2", "Thanks", null],
    ]);
    const after = (await memory.recall.search(ada, { threadId: "t" })).hits.find((h) => h.id === "a1")!;
    expect(after.createdAt).toEqual(before.createdAt);
    expect((await memory.recall.search(ada, { query: "looking" })).hits.map((h) => h.id)).toEqual(["a1"]);
    expect((await memory.recall.search(ada, { query: "searching" })).hits).toEqual([]);

    // One id twice in a batch: the last text, at the first one's place.
    await memory.recall.append(bob, "t", [new HumanMessage({ id: "x", content: "one" }), new HumanMessage({ id: "x", content: "two" })]);
    expect((await rowsOf(db(), bob, "t")).map((r) => r.content)).toEqual(["two"]);
  });

  it("a step re-run from another checkpoint removes what the lost attempt recorded after the held messages, and nothing else", async () => {
    const memory = await createMemory(db());
    const h1 = new HumanMessage({ id: "h1", content: "Find my tea notes" });
    const a1 = new AIMessage({ id: "ai-1", content: "", tool_calls: [call("call-A", "tea")] });
    const t1 = new ToolMessage({ id: "ai-1-call-A", tool_call_id: "call-A", content: "1 result" });
    const a2 = new AIMessage({ id: "ai-lost", content: "You like Earl Grey." });
    const step = (messages: BaseMessage[], held: BaseMessage[], checkpointId: string) =>
      memory.recall.recordStep(ada, "t", messages, { held, checkpointId });
    await step([h1], [h1], "c0");
    await step([a1], [h1], "c1");
    await step([t1], [h1, a1], "c2");
    expect(await step([a2], [h1, a1, t1], "c3")).toEqual({ written: 1, removed: 0 });
    // Bob's thread of the same id and another of ada's threads are other rows.
    await memory.recall.recordStep(bob, "t", [new AIMessage({ id: "ai-lost", content: "bob's" })], { held: [], checkpointId: "c9" });
    await memory.recall.recordStep(ada, "u", [new AIMessage({ id: "ai-u", content: "other thread" })], { held: [h1], checkpointId: "c9" });

    // The thread lost the step after c3 and went on from a new checkpoint:
    // its agent step mints a new id, and the lost reply goes.
    const again = new AIMessage({ id: "ai-kept", content: "You like green tea." });
    expect(await step([again], [h1, a1, t1], "c3-new")).toEqual({ written: 1, removed: 1 });
    expect((await rowsOf(db(), ada, "t")).map((r) => [r.id, r.checkpoint])).toEqual([
      ["h1", "c0"],
      ["ai-1", "c1"],
      ["ai-1-call-A", "c2"],
      ["ai-kept", "c3-new"],
    ]);
    expect((await rowsOf(db(), bob, "t")).map((r) => r.content)).toEqual(["bob's"]);
    expect((await rowsOf(db(), ada, "u")).map((r) => r.id)).toEqual(["ai-u"]);
  });

  it("keeps a parallel node's rows of the same step, rows recorded outside a graph and rows folded out of the thread", async () => {
    const memory = await createMemory(db());
    const h1 = new HumanMessage({ id: "h1", content: "old turn" });
    const a1 = new AIMessage({ id: "a1", content: "old reply" });
    const h2 = new HumanMessage({ id: "h2", content: "new turn" });
    await memory.recall.recordStep(ada, "t", [h1, a1], { held: [h1], checkpointId: "c1" });
    await memory.recall.recordStep(ada, "t", [h2], { held: [h1, a1, h2], checkpointId: "c2" });
    await memory.recall.append(ada, "t", [new HumanMessage({ id: "app", content: "recorded by the application" })]);
    // Two nodes of one step (same checkpoint); h1 and a1 were folded into a summary.
    const x = new AIMessage({ id: "x", content: "left branch" });
    const y = new AIMessage({ id: "y", content: "right branch" });
    expect(await memory.recall.recordStep(ada, "t", [x], { held: [h2], checkpointId: "c3" })).toEqual({ written: 1, removed: 0 });
    expect(await memory.recall.recordStep(ada, "t", [y], { held: [h2], checkpointId: "c3" })).toEqual({ written: 1, removed: 0 });
    // Outside a graph there is no checkpoint to compare with: a plain append.
    expect(await memory.recall.recordStep(ada, "t", [x], { held: [] })).toEqual({ written: 0, removed: 0 });
    expect((await rowsOf(db(), ada, "t")).map((r) => r.id)).toEqual(["h1", "a1", "h2", "app", "x", "y"]);
  });
});
