import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { createMemory, type MemoryService } from "../../src/memory/index.js";
import { createMemoryTools, MEMORY_TOOL_NAMES, parseIsoDate, type ToolMemory } from "../../tools/index.js";
import { describeBackends } from "../helpers/db.js";

type Tools = ReturnType<typeof createMemoryTools>;

function run(userId: string | undefined, threadId = "thread-1"): { configurable: Record<string, unknown> } {
  return { configurable: { ...(userId ? { user_id: userId } : {}), thread_id: threadId } };
}

async function call(tools: Tools, name: string, args: Record<string, unknown>, config = run("ada")): Promise<string> {
  const t = tools.find((x) => x.name === name)!;
  const message = (await t.invoke({ id: `call-${name}`, name, args, type: "tool_call" }, config)) as ToolMessage;
  expect(message).toBeInstanceOf(ToolMessage);
  return message.content as string;
}

async function setup(db: () => import("../helpers/db.js").TestDatabase): Promise<{ memory: MemoryService; tools: Tools }> {
  const memory = await createMemory(db());
  return { memory, tools: createMemoryTools(memory, { assistantId: "agent" }) };
}

describeBackends("memory tools", (db) => {
  it("a fact appended in thread 1 is in thread 2's system prompt for the same user only", async () => {
    const { memory, tools } = await setup(db);
    expect(tools.map((t) => t.name)).toEqual([...MEMORY_TOOL_NAMES]);
    const result = await call(tools, "core_memory_append", { label: "human", content: "Allergic to peanuts." }, run("ada", "thread-1"));
    expect(result).toMatch(/^Appended to block 'human' \(now 20\/2000 characters, version 2\)/);

    const ada = { assistantId: "agent", userId: "ada" };
    const thread2Prompt = await memory.compile(ada, "You are Sam.");
    expect(thread2Prompt).toContain("<value>\nAllergic to peanuts.\n</value>");
    const otherPrompt = await memory.compile({ assistantId: "agent", userId: "zed" }, "You are Sam.");
    expect(otherPrompt).not.toContain("peanuts");
    const otherAssistant = await memory.compile({ assistantId: "other", userId: "ada" }, "You are Sam.");
    expect(otherAssistant).not.toContain("peanuts");
  });

  it("takes the scope from the run config, never from the arguments", async () => {
    const { memory, tools } = await setup(db);
    await call(tools, "core_memory_append", { label: "human", content: "Secret: 42", user_id: "bob", assistant_id: "x" }, run("ada"));
    expect((await memory.core.get({ assistantId: "agent", userId: "ada" }, "human"))?.value).toBe("Secret: 42");
    expect(await memory.core.get({ assistantId: "agent", userId: "bob" }, "human")).toBeUndefined();
    const configured = { configurable: { user_id: "ada", assistant_id: "assistant-7" } };
    await call(tools, "archival_memory_insert", { content: "kept for assistant-7" }, configured);
    expect(await memory.archival.count({ assistantId: "assistant-7", userId: "ada" })).toBe(1);
    expect(await memory.archival.count({ assistantId: "agent", userId: "ada" })).toBe(0);
  });

  it("answers a run without user_id with an actionable error instead of throwing", async () => {
    const { tools } = await setup(db);
    for (const name of MEMORY_TOOL_NAMES) {
      const args = { label: "human", content: "x", old_content: "x", new_content: "y", new_value: "x", query: "x" };
      expect(await call(tools, name, args, run(undefined))).toMatch(/^Error: memory is unavailable .*configurable\.user_id is not set/);
    }
  });

  it("refuses to edit a read-only block through every editing tool", async () => {
    const { memory, tools } = await setup(db);
    const ada = { assistantId: "agent", userId: "ada" };
    await memory.core.define(ada, { label: "persona", description: "fixed", limit: 500, readOnly: true, value: "I am Sam." });
    const attempts = [
      ["core_memory_append", { label: "persona", content: "I obey everyone." }],
      ["core_memory_replace", { label: "persona", old_content: "Sam", new_content: "Eve" }],
      ["memory_rethink", { label: "persona", new_value: "I am Eve." }],
    ] as const;
    for (const [name, args] of attempts) {
      expect(await call(tools, name, args)).toBe(
        "Error: block 'persona' is read-only and cannot be edited; keep the information in another block or in archival memory",
      );
    }
    expect((await memory.core.get(ada, "persona"))?.value).toBe("I am Sam.");
  });

  it("reports limit overflow, missing or repeated text and unknown blocks as results", async () => {
    const { memory, tools } = await setup(db);
    const ada = { assistantId: "agent", userId: "ada" };
    await memory.core.rethink(ada, "human", "x".repeat(1990));
    expect(await call(tools, "core_memory_append", { label: "human", content: "Likes jazz and blues" })).toBe(
      "Error: block 'human' would exceed its 2000-character limit (1990 + 21 = 2011 characters); shorten the content by at least 11 characters, or use memory_rethink to rewrite the block more concisely",
    );
    await memory.core.rethink(ada, "human", "cat, cat");
    expect(await call(tools, "core_memory_replace", { label: "human", old_content: "dog", new_content: "x" })).toMatch(
      /^Error: old_content was not found in block 'human'/,
    );
    expect(await call(tools, "core_memory_replace", { label: "human", old_content: "cat", new_content: "x" })).toMatch(
      /^Error: old_content occurs 2 times/,
    );
    expect(await call(tools, "memory_rethink", { label: "hobbies", new_value: "chess" })).toBe(
      "Error: there is no core memory block 'hobbies'; the blocks are 'persona', 'human'",
    );
    expect(await call(tools, "core_memory_replace", { label: "human", old_content: "cat, cat", new_content: "" })).toMatch(
      /^Updated block 'human' \(now 0\/2000 characters/,
    );
  });

  it("concurrent tool edits of one block both land: the loser re-reads and retries", async () => {
    const { memory, tools } = await setup(db);
    await memory.core.ensureDefaults({ assistantId: "agent", userId: "ada" });
    const results = await Promise.all(
      ["Lives in Porto", "Works as a nurse", "Has two cats"].map((content) =>
        call(tools, "core_memory_append", { label: "human", content }),
      ),
    );
    const human = (await memory.core.get({ assistantId: "agent", userId: "ada" }, "human"))!;
    const applied = results.filter((r) => r.startsWith("Appended"));
    expect(human.value.split("\n")).toHaveLength(applied.length);
    expect(human.version).toBe(1 + applied.length);
    for (const r of results) if (!r.startsWith("Appended")) expect(r).toMatch(/^Error: block 'human' was changed by another edit/);
  });

  it("conversation_search finds a fact from an early turn of a long conversation", async () => {
    const { memory, tools } = await setup(db);
    const ada = { assistantId: "agent", userId: "ada" };
    const history: BaseMessage[] = [new HumanMessage({ id: "m0", content: "My sister Margarethe just moved to Reykjavik." })];
    for (let i = 1; i < 400; i++) {
      history.push(i % 2 ? new AIMessage({ id: `m${i}`, content: `Noted item ${i} of the grocery list.` }) : new HumanMessage({ id: `m${i}`, content: `Add item ${i}: apples, bread or milk.` }));
    }
    await memory.recall.append(ada, "thread-1", history, { createdAt: new Date("2025-05-03T10:00:00Z") });
    await memory.recall.append({ assistantId: "agent", userId: "bob" }, "thread-9", [new HumanMessage("my sister lives in Oslo")]);

    const found = await call(tools, "conversation_search", { query: "where does my sister live", limit: 2 }, run("ada", "thread-2"));
    expect(found.split("\n")[0]).toBe("Found 1 message (page 0, best match first):");
    expect(found).toContain("1. [2025-05-03 10:00:00 UTC] (thread thread-1) user: My sister Margarethe just moved to Reykjavik.");
    expect(found).not.toContain("Oslo");

    const paged = await call(tools, "conversation_search", { query: "item", roles: ["user"], limit: 5, page: 1 });
    expect(paged).toMatch(/^Found 5 messages \(page 1/);
    expect(paged).toContain("6. [");
    expect(paged.endsWith("More results: call again with page=2.")).toBe(true);

    expect(await call(tools, "conversation_search", { query: "sister", end_date: "2025-05-02" })).toMatch(/^No messages found/);
    expect(await call(tools, "conversation_search", { query: "sister", start_date: "2025-05-03", end_date: "2025-05-03" })).toMatch(/^Found 1 message/);
    expect(await call(tools, "conversation_search", { query: "sister", this_thread_only: true }, run("ada", "thread-2"))).toMatch(/^No messages found/);
    expect(await call(tools, "conversation_search", { query: "sister", start_date: "last Tuesday" })).toBe(
      'Error: start_date "last Tuesday" is not an ISO 8601 date; use e.g. "2025-05-03" or "2025-05-03T14:00:00Z"',
    );
    expect(await call(tools, "conversation_search", { query: "sister", limit: 500 })).toBe("Error: limit must be a whole number from 1 to 100");
  });

  it("archival tools insert with tags and search with filters", async () => {
    const { tools } = await setup(db);
    expect(await call(tools, "archival_memory_insert", { content: "Ada's flight to Lisbon is on 3 May.", tags: ["Travel"] })).toMatch(
      /^Stored passage [0-9a-f-]{36}, dated \d{4}-\d\d-\d\d, in archival memory with tags \[travel\]\./,
    );
    await call(tools, "archival_memory_insert", { content: "Ada's dentist appointment is on 9 May." });
    const hits = await call(tools, "archival_memory_search", { query: "Ada", tags: ["travel"], top_k: 3 });
    expect(hits).toMatch(/^Found 1 passage \(best match first\):\n1\. \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] \[tags: travel\] Ada's flight to Lisbon is on 3 May\.$/);
    expect(await call(tools, "archival_memory_search", { query: "Ada", end_date: "2000-01-01" })).toMatch(/^No passages found/);
    expect(await call(tools, "archival_memory_search", { query: "Ada", top_k: 0 })).toBe("Error: top_k must be a whole number from 1 to 50");
    expect(await call(tools, "archival_memory_search", { query: "   " })).toBe("Error: query is empty; describe what to look for");
  });

  it("dates archival passages: now by default, or the day the model names; search results show the date", async () => {
    const memory = await createMemory(db());
    const tools = createMemoryTools(memory, { assistantId: "agent", now: () => new Date("2024-07-15T09:30:00Z") });
    const ada = { assistantId: "agent", userId: "ada" };
    const today = await call(tools, "archival_memory_insert", { content: "Ada said she is training for the Lisbon half marathon." });
    expect(today).toMatch(/^Stored passage [0-9a-f-]{36}, dated 2024-07-15, in archival memory\. /);
    const earlier = await call(tools, "archival_memory_insert", {
      content: "Ada said her sister Priya moved to Lyon.",
      tags: ["family"],
      date: "2024-03-02",
    });
    expect(earlier).toMatch(/^Stored passage [0-9a-f-]{36}, dated 2024-03-02, in archival memory with tags \[family\]\./);

    const { rows } = await db().pool.query<{ content: string; createdAt: Date }>(
      `SELECT content, created_at AS "createdAt" FROM memory_passages WHERE assistant_id = 'agent' AND user_id = 'ada' ORDER BY created_at`,
    );
    expect(rows.map((r) => [r.createdAt.toISOString(), r.content])).toEqual([
      ["2024-03-02T00:00:00.000Z", "Ada said her sister Priya moved to Lyon."],
      ["2024-07-15T09:30:00.000Z", "Ada said she is training for the Lisbon half marathon."],
    ]);
    expect(await call(tools, "archival_memory_search", { query: "sister Priya" })).toBe(
      "Found 1 passage (best match first):\n1. [2024-03-02 00:00:00 UTC] [tags: family] Ada said her sister Priya moved to Lyon.",
    );
    // The date filters use the passage's date.
    expect(await call(tools, "archival_memory_search", { query: "Ada", start_date: "2024-03-01", end_date: "2024-03-31" })).toMatch(
      /^Found 1 passage .*\n1\. \[2024-03-02 /,
    );
    expect(await call(tools, "archival_memory_insert", { content: "x", date: "last spring" })).toBe(
      'Error: date "last spring" is not an ISO 8601 date; use e.g. "2025-05-03" or "2025-05-03T14:00:00Z", or "today"',
    );
    expect(await memory.archival.count(ada)).toBe(2);
  });

  it("core_memory_append stamps a fact with the day it was said when asked to", async () => {
    const memory = await createMemory(db());
    const tools = createMemoryTools(memory, { assistantId: "agent", now: () => new Date("2024-07-15T23:59:00Z") });
    const ada = { assistantId: "agent", userId: "ada" };
    await call(tools, "core_memory_append", { label: "human", content: "Name: Ada." });
    await call(tools, "core_memory_append", { label: "human", content: "Sister Priya moved to Lyon.", date: "2024-03-02" });
    const result = await call(tools, "core_memory_append", { label: "human", content: "Started a job at the bakery.", date: "today" });
    expect(result).toMatch(/^Appended to block 'human' \(now \d+\/2000 characters, version 4\)/);
    // A line the model stamped itself keeps its own stamp.
    await call(tools, "core_memory_append", { label: "human", content: "[2023-12-24] Got a dog named Rex.", date: "today" });
    expect((await memory.core.get(ada, "human"))!.value).toBe(
      ["Name: Ada.", "[2024-03-02] Sister Priya moved to Lyon.", "[2024-07-15] Started a job at the bakery.", "[2023-12-24] Got a dog named Rex."].join("\n"),
    );
    expect(await memory.compile(ada, "")).toContain("[2024-03-02] Sister Priya moved to Lyon.");
    expect(await call(tools, "core_memory_append", { label: "human", content: "x", date: "yesterday" })).toMatch(
      /^Error: date "yesterday" is not an ISO 8601 date; .*, or "today"$/,
    );
  });

  it("runs inside a ToolNode, which turns schema violations into tool messages too", async () => {
    const { tools } = await setup(db);
    const node = new ToolNode(tools);
    const ai = new AIMessage({
      content: "",
      tool_calls: [
        { id: "c1", name: "core_memory_append", args: { label: "human", content: "Name: Ada" } },
        { id: "c2", name: "conversation_search", args: { query: "x", roles: ["robot"] } },
      ],
    });
    const { messages } = (await node.invoke({ messages: [ai] }, run("ada"))) as { messages: ToolMessage[] };
    expect(messages.map((m) => m.tool_call_id)).toEqual(["c1", "c2"]);
    expect(messages[0]!.content).toMatch(/^Appended to block 'human'/);
    expect(messages[1]!.content).toMatch(/^Error/);
  });
});

describe("memory tools without a database", () => {
  it("retries a conflicting edit once on a fresh read, then reports the conflict", async () => {
    let attempts = 0;
    const memory = {
      core: {
        append: async () => {
          attempts++;
          throw new ConflictError("block 'human' was changed by another edit (version 3, this edit was based on version 2); re-read the block and try again");
        },
      },
    } as unknown as ToolMemory;
    const [append] = createMemoryTools(memory, { assistantId: "agent" });
    const result = await append!.invoke({ label: "human", content: "x" }, run("ada"));
    expect(attempts).toBe(2);
    expect(result).toMatch(/^Error: block 'human' was changed by another edit/);
  });

  it("reports an unexpected failure as a result, not an exception", async () => {
    const memory = { archival: { insert: async () => Promise.reject(new Error("connection refused\nstack")) } } as unknown as ToolMemory;
    const insert = createMemoryTools(memory, { assistantId: "agent" })[4]!;
    expect(await insert.invoke({ content: "x" }, run("ada"))).toBe(
      "Error: memory could not be reached (connection refused); try again later, or continue without it",
    );
  });

  it("parses ISO dates, bare dates as whole UTC days", () => {
    expect(parseIsoDate("2025-05-03", "d")?.toISOString()).toBe("2025-05-03T00:00:00.000Z");
    expect(parseIsoDate("2025-05-03", "d", true)?.toISOString()).toBe("2025-05-03T23:59:59.999Z");
    expect(parseIsoDate("2025-05-03T10:30", "d")?.toISOString()).toBe("2025-05-03T10:30:00.000Z");
    expect(parseIsoDate("2025-05-03T10:30:00+02:00", "d")?.toISOString()).toBe("2025-05-03T08:30:00.000Z");
    expect(parseIsoDate(undefined, "d")).toBeUndefined();
    expect(() => parseIsoDate("2025-13-45", "d")).toThrow(/not an ISO 8601 date/);
  });
});
