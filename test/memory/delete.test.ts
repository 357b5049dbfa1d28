import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../../src/errors.js";
import { createMemory, type MemoryScope, type MemoryService } from "../../src/memory/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const adaElsewhere: MemoryScope = { assistantId: "other", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

/** Rows per (table, assistant, user), e.g. "memory_messages agent/bob 2". */
async function rowCounts(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ line: string }>(
    `SELECT t || ' ' || assistant_id || '/' || user_id || ' ' || n AS line FROM (
       SELECT 'memory_blocks' AS t, assistant_id, user_id, count(*) AS n FROM memory_blocks GROUP BY 2, 3
       UNION ALL SELECT 'memory_messages', assistant_id, user_id, count(*) FROM memory_messages GROUP BY 2, 3
       UNION ALL SELECT 'memory_passages', assistant_id, user_id, count(*) FROM memory_passages GROUP BY 2, 3) AS c
     ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

/** The same memory for ada (under two assistants) and bob: blocks, two threads of messages, passages. */
async function seed(memory: MemoryService): Promise<void> {
  for (const scope of [ada, adaElsewhere, bob]) {
    await memory.core.ensureDefaults(scope);
    await memory.core.append(scope, "human", `Name: ${scope.userId}`);
    await memory.recall.append(scope, "t1", [new HumanMessage({ id: "m1", content: "hello" }), new AIMessage({ id: "m2", content: "hi" })]);
    await memory.recall.append(scope, "t2", [new HumanMessage({ id: "m3", content: "again" })]);
    await memory.archival.insert(scope, `${scope.userId} flies to Lisbon`);
  }
}

describeBackends("memory deletion", (db) => {
  it("deletes one core block of one scope; an unknown label is NotFoundError", async () => {
    const memory = await createMemory(db());
    await seed(memory);
    await memory.core.define(ada, { label: "policy", description: "Operator rules.", limit: 100, readOnly: true, value: "Be kind." });
    await memory.core.delete(ada, "human");
    await memory.core.delete(ada, "policy");
    expect((await memory.core.list(ada)).map((b) => b.label)).toEqual(["persona"]);
    expect((await memory.core.get(bob, "human"))!.value).toBe("Name: bob");
    expect((await memory.core.get(adaElsewhere, "human"))!.value).toBe("Name: ada");

    const again = await memory.core.delete(ada, "human").catch((e: unknown) => e);
    expect(again).toBeInstanceOf(NotFoundError);
    expect((again as Error).message).toBe("there is no core memory block 'human' to delete; the blocks are 'persona'");
    // A default block comes back, with its default value, when the prompt is next compiled.
    expect(await memory.compile(ada, "You are Sam.")).not.toContain("Name: ada");
    expect((await memory.core.get(ada, "human"))!.value).toBe("");
  });

  it("deletes one recall message of one scope's thread; another user's is out of reach", async () => {
    const memory = await createMemory(db());
    await seed(memory);
    await memory.recall.delete(ada, "t1", "m2");
    await expect(memory.recall.delete(ada, "t1", "m2")).rejects.toThrow(NotFoundError);
    await expect(memory.recall.delete(ada, "t2", "m1")).rejects.toThrow(/there is no message "m1" of thread "t2"/);
    const { hits } = await memory.recall.search(ada, { threadId: "t1" });
    expect(hits.map((h) => h.id)).toEqual(["m1"]);
    expect((await memory.recall.search(bob, { threadId: "t1" })).hits.map((h) => h.id)).toEqual(["m2", "m1"]);
    expect(await rowCounts(db())).toContain("memory_messages agent/ada 2");
    expect(await rowCounts(db())).toContain("memory_messages agent/bob 3");
    expect(await rowCounts(db())).toContain("memory_messages other/ada 3");
  });

  it("deletes one archival passage by id, only in its own scope", async () => {
    const memory = await createMemory(db());
    const mine = await memory.archival.insert(ada, "The flight is on 3 May");
    const bobs = await memory.archival.insert(bob, "Bob's flight is on 4 May");
    await expect(memory.archival.delete(bob, mine.id)).rejects.toThrow(NotFoundError);
    await expect(memory.archival.delete(adaElsewhere, mine.id)).rejects.toThrow(`there is no archival passage "${mine.id}"`);
    await memory.archival.delete(ada, mine.id);
    await expect(memory.archival.delete(ada, mine.id)).rejects.toThrow(NotFoundError);
    expect(await memory.archival.count(ada)).toBe(0);
    expect((await memory.archival.search(bob, { query: "flight" })).map((p) => p.id)).toEqual([bobs.id]);
  });

  it("erases everything of a user under every assistant, returning the counts, and nothing of anyone else", async () => {
    const memory = await createMemory(db());
    await seed(memory);
    const bobBefore = (await rowCounts(db())).filter((line) => line.includes("/bob "));
    expect(await memory.deleteUser("ada")).toEqual({ blocks: 4, messages: 6, passages: 2 });
    expect(await rowCounts(db())).toEqual(bobBefore);
    expect(await memory.deleteUser("ada")).toEqual({ blocks: 0, messages: 0, passages: 0 });
    expect(await memory.stats(bob)).toMatchObject({ recallCount: 3, archivalCount: 1 });
    await expect(memory.deleteUser("")).rejects.toThrow(InvalidInputError);
  });

  it("deletes every scope's recall rows of one thread and no other thread's", async () => {
    const memory = await createMemory(db());
    await seed(memory);
    expect(await memory.deleteThreadMessages("t1")).toBe(6);
    expect(await memory.deleteThreadMessages("t1")).toBe(0);
    const { rows } = await db().pool.query<{ thread_id: string; n: number }>(
      "SELECT thread_id, count(*)::int AS n FROM memory_messages GROUP BY 1 ORDER BY 1",
    );
    expect(rows).toEqual([{ thread_id: "t2", n: 3 }]);
    // Blocks and passages belong to the user, not the thread.
    expect(await rowCounts(db())).toContain("memory_passages agent/ada 1");
    expect(await rowCounts(db())).toContain("memory_blocks agent/ada 2");
    await expect(memory.deleteThreadMessages("")).rejects.toThrow(InvalidInputError);
  });
});
