import { AIMessage, HumanMessage, RemoveMessage, SystemMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { expect, it, vi } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { createMemory, type MemoryScope } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

describeBackends("recall memory", (db) => {
  it("stores every role with tool calls, in order, and is idempotent by message id", async () => {
    const memory = await createMemory(db());
    const messages = [
      new SystemMessage({ id: "s1", content: "be nice" }),
      new HumanMessage({ id: "h1", content: [{ type: "text", text: "weather in Porto?" }, { type: "image_url", image_url: "x" }] }),
      new AIMessage({ id: "a1", content: "", tool_calls: [{ id: "call1", name: "weather", args: { city: "Porto" } }] }),
      new ToolMessage({ id: "t1", content: "sunny, 24C", tool_call_id: "call1" }),
      new AIMessage({ id: "a2", content: "It is sunny in Porto." }),
      new RemoveMessage({ id: "s1" }),
    ];
    expect(await memory.recall.append(ada, "t-1", messages)).toBe(5);
    expect(await memory.recall.append(ada, "t-1", messages)).toBe(0);
    const { hits } = await memory.recall.search(ada, { limit: 10 });
    expect(hits.map((h) => [h.id, h.role, h.content])).toEqual([
      ["a2", "assistant", "It is sunny in Porto."],
      ["t1", "tool", "sunny, 24C"],
      ["a1", "assistant", ""],
      ["h1", "user", "weather in Porto?\n[image_url]"],
      ["s1", "system", "be nice"],
    ]);
    expect(hits[2]!.toolCalls).toEqual([{ id: "call1", name: "weather", args: { city: "Porto" } }]);
    expect(hits[1]!.toolCallId).toBe("call1");
    expect(hits[0]).not.toHaveProperty("toolCalls");
    expect(await memory.recall.count(ada)).toBe(5);
    expect(await memory.recall.count(bob)).toBe(0);
  });

  it("gives messages without an id one, so re-appending them is still a no-op", async () => {
    const memory = await createMemory(db());
    const message = new HumanMessage("no id yet");
    expect(await memory.recall.append(ada, "t-1", [message])).toBe(1);
    expect(message.id).toEqual(expect.any(String));
    expect(await memory.recall.append(ada, "t-1", [message])).toBe(0);
  });

  it("ranks full-text hits (with stemming) and filters by role, thread and user", async () => {
    const memory = await createMemory(db());
    await memory.recall.append(ada, "t-1", [
      new HumanMessage({ id: "1", content: "I adopted a dog last spring" }),
      new AIMessage({ id: "2", content: "What is your dog called? Dogs are great, a dog is a friend." }),
      new HumanMessage({ id: "3", content: "We talked about cats once" }),
    ]);
    await memory.recall.append(ada, "t-2", [new HumanMessage({ id: "4", content: "my dogs love the beach" })]);
    await memory.recall.append(bob, "t-3", [new HumanMessage({ id: "5", content: "bob has a dog too" })]);

    const all = await memory.recall.search(ada, { query: "dog" });
    // Equal ranks fall back to the newest first.
    expect(all.hits.map((h) => h.id)).toEqual(["2", "4", "1"]);
    expect(all.hits[0]!.rank).toBeGreaterThan(all.hits[1]!.rank);
    expect((await memory.recall.search(ada, { query: "dog", roles: ["user"] })).hits.map((h) => h.id)).toEqual(["4", "1"]);
    expect((await memory.recall.search(ada, { query: "dog", threadId: "t-2" })).hits.map((h) => h.id)).toEqual(["4"]);
    expect((await memory.recall.search(ada, { query: "\"adopted a dog\" -beach" })).hits.map((h) => h.id)).toEqual(["1"]);
    expect((await memory.recall.search(bob, { query: "dog" })).hits.map((h) => h.id)).toEqual(["5"]);
  });

  it("ranks messages matching every word of a plain query above those matching some", async () => {
    const memory = await createMemory(db());
    await memory.recall.append(ada, "t-1", [
      new HumanMessage({ id: "both", content: "My sister lives in Porto" }),
      new HumanMessage({ id: "one", content: "My sister sister sister is funny" }),
      new HumanMessage({ id: "none", content: "Completely unrelated" }),
    ]);
    const { hits } = await memory.recall.search(ada, { query: "where does my sister live" });
    expect(hits.map((h) => h.id)).toEqual(["both", "one"]);
    expect(hits[0]!.rank).toBeGreaterThanOrEqual(1);
    expect(hits[1]!.rank).toBeLessThan(1);
  });

  it("filters by date range and paginates with hasMore", async () => {
    const memory = await createMemory(db());
    for (let day = 1; day <= 5; day++) {
      await memory.recall.append(ada, "t-1", [new HumanMessage({ id: `d${day}`, content: `note for day ${day}` })], {
        createdAt: new Date(`2025-05-0${day}T12:00:00Z`),
      });
    }
    const ranged = await memory.recall.search(ada, {
      query: "note",
      startDate: new Date("2025-05-02T00:00:00Z"),
      endDate: new Date("2025-05-04T23:59:59Z"),
    });
    expect(ranged.hits.map((h) => h.id).sort()).toEqual(["d2", "d3", "d4"]);
    expect(ranged.hits[0]!.createdAt).toBeInstanceOf(Date);

    const pages = [];
    for (let page = 0; page < 3; page++) pages.push(await memory.recall.search(ada, { limit: 2, page }));
    expect(pages.map((p) => [p.hits.map((h) => h.id), p.hasMore])).toEqual([
      [["d5", "d4"], true],
      [["d3", "d2"], true],
      [["d1"], false],
    ]);
  });

  it("finds a fact from an early turn of a long conversation", async () => {
    const memory = await createMemory(db());
    const turns: BaseMessage[] = [new HumanMessage({ id: "m0", content: "By the way, my sister Margarethe lives in Reykjavik." })];
    for (let i = 1; i < 300; i++) {
      turns.push(
        i % 2
          ? new AIMessage({ id: `m${i}`, content: `Reply ${i} about the quarterly budget spreadsheet.` })
          : new HumanMessage({ id: `m${i}`, content: `Question ${i}: can you check row ${i} of the budget?` }),
      );
    }
    await memory.recall.append(ada, "long", turns);
    const { hits } = await memory.recall.search(ada, { query: "sister lives", limit: 3 });
    expect(hits[0]).toMatchObject({ id: "m0", threadId: "long", role: "user" });
  });

  it("tells when each message of a thread was said, for the scope only", async () => {
    const memory = await createMemory(db());
    const march = new Date("2024-03-02T18:00:00Z");
    await memory.recall.append(ada, "t-1", [new HumanMessage({ id: "h1", content: "My sister moved to Lyon." })], { createdAt: march });
    await memory.recall.append(ada, "t-1", [new AIMessage({ id: "a1", content: "Noted." })]);
    await memory.recall.append(bob, "t-1", [new HumanMessage({ id: "h2", content: "Bob's own." })], { createdAt: march });
    // Recording the same id again keeps its time.
    await memory.recall.append(ada, "t-1", [new HumanMessage({ id: "h1", content: "My sister moved to Lyon." })]);
    const times = await memory.recall.timesOf(ada, "t-1", ["h1", "a1", "h2", "unknown", "h1"]);
    expect([...times.keys()].sort()).toEqual(["a1", "h1"]);
    expect(times.get("h1")!.toISOString()).toBe("2024-03-02T18:00:00.000Z");
    expect(times.get("a1")!.getTime()).toBeGreaterThan(march.getTime());
    expect((await memory.recall.timesOf(ada, "t-2", ["h1"])).size).toBe(0);
    expect((await memory.recall.timesOf(ada, "t-1", [])).size).toBe(0);
  });

  it("rejects bad search arguments with typed errors", async () => {
    const memory = await createMemory(db());
    await expect(memory.recall.search(ada, { limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(memory.recall.search(ada, { page: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(memory.recall.search(ada, { roles: ["robot" as never] })).rejects.toThrow(/unknown role/);
    await expect(memory.recall.search(ada, { startDate: new Date("x") })).rejects.toThrow(/not a valid date/);
    await expect(memory.recall.search({ assistantId: "agent", userId: "" }, {})).rejects.toThrow(/userId/);
  });
  it("ranks by BM25 in one statement: rare words outweigh common ones, with neighbours, exclusions, threads and scopes kept apart", async () => {
    const memory = await createMemory(db());
    const start = Date.UTC(2024, 2, 1);
    const thread = (id: string, texts: [string, string][], offset: number) =>
      texts.map(([role, text], i) =>
        role === "user" ? new HumanMessage({ id: `${id}-${i}`, content: text }) : new AIMessage({ id: `${id}-${i}`, content: text }),
      ).map((m, i) => memory.recall.append(ada, id, [m], { createdAt: new Date(start + (offset + i) * 60_000) }));
    // "weekend" is in nearly every message, "saxophone" in one.
    for (const p of thread("t1", [
      ["user", "This weekend I finally bought a saxophone"],
      ["assistant", "A weekend well spent. Alto or tenor?"],
      ["user", "Tenor, second hand"],
    ], 0)) await p;
    for (const p of thread("t2", [
      ["user", "The weekend was rainy"],
      ["assistant", "Rainy weekends are for reading"],
      ["user", "Weekend plans: a weekend of weekend chores"],
    ], 10)) await p;
    await memory.recall.append(bob, "t3", [new HumanMessage({ id: "b-0", content: "my saxophone weekend" })]);
    await memory.recall.append(ada, "t1", [new ToolMessage({ id: "tool-0", content: "saxophone prices", tool_call_id: "c1" })]);

    const statements = vi.spyOn(db().pool, "query");
    const hits = await memory.recall.relevant(ada, { text: "weekend saxophone", neighbours: true });
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    // The rare word outweighs the common one, however often that is repeated.
    expect(hits.map((h) => h.id)).toEqual(["t1-0", "t2-2", "t2-0", "t2-1", "t1-1"]);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    expect(hits[0]!.rank).toBeGreaterThan(0);
    expect(hits[0]!.before).toBeUndefined();
    expect(hits[0]!.after).toMatchObject({ id: "t1-1", role: "assistant", content: "A weekend well spent. Alto or tenor?" });
    expect(hits[0]!.after!.createdAt).toEqual(new Date(start + 60_000));
    expect(hits[0]!.afterThat).toMatchObject({ id: "t1-2", role: "user", content: "Tenor, second hand" });

    // Without it, the common word ranks: the message that repeats it most, in a short message, first.
    const common = await memory.recall.relevant(ada, { text: "weekend saxophone", excludeIds: ["t1-0"], threadId: "t2" });
    expect(common.map((h) => h.id)).toEqual(["t2-2", "t2-0", "t2-1"]);
    expect(common[0]!.rank).toBeGreaterThan(common[1]!.rank);
    expect(common[0]).not.toHaveProperty("before");
    expect((await memory.recall.relevant(ada, { text: "weekend", excludeIds: ["t2-2"], limit: 2 })).map((h) => h.id)).not.toContain("t2-2");
    expect(await memory.recall.relevant(ada, { text: "the and of" })).toEqual([]);
    await expect(memory.recall.relevant(ada, { text: "x", limit: 0 })).rejects.toThrow(InvalidInputError);
  });

  it("over a long memory, takes candidates from the rarer words only, and every word scores them", async () => {
    const memory = await createMemory(db());
    const common = Array.from({ length: 600 }, (_, i) => new HumanMessage({ id: `c${i}`, content: `weekend number ${i}` }));
    await memory.recall.append(ada, "t1", [...common, new HumanMessage({ id: "rare", content: "a weekend with the saxophone" }), new HumanMessage({ id: "rare2", content: "saxophone reeds" })]);
    const hits = await memory.recall.relevant(ada, { text: "weekend saxophone" });
    expect(hits.map((h) => h.id)).toEqual(["rare", "rare2"]);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
  });
});
