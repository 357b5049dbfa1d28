import { systemAssistantId } from "../../src/assistants/index.js";
import { expect, it } from "vitest";
import { createMemory } from "../../src/memory/index.js";
import { ANONYMOUS_OWNER } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";
import { messagesOf, openTestCore, sayRun, transcript } from "./setup.js";

describeBackends("agent graph: core memory across threads", (db) => {
  it("puts a fact saved with core_memory_append in thread 1 into the system prompt of thread 2, for that user only", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "Name: Ada Lovelace; drinks Earl Grey" } }] },
      "Nice to meet you, Ada.",
      "You are Ada Lovelace.",
      "I do not know your name yet.",
    ]);
    const core = await openTestCore(db(), model);

    const first = await sayRun(core, "t1", "ada", "Hi, I am Ada Lovelace and I drink Earl Grey.");
    expect(transcript(messagesOf(first.state.values))).toEqual([
      "user: Hi, I am Ada Lovelace and I drink Earl Grey.",
      "assistant: ",
      expect.stringMatching(/^tool: Appended to block 'human'/),
      "assistant: Nice to meet you, Ada.",
    ]);
    expect(model.calls[0]!.tools).toEqual(
      expect.arrayContaining(["core_memory_append", "core_memory_replace", "memory_rethink", "conversation_search"]),
    );
    // The edit is in view at the very next model call of the same turn.
    expect(model.calls[1]!.system).toContain("Name: Ada Lovelace; drinks Earl Grey");

    await sayRun(core, "t2", "ada", "What is my name?");
    expect(model.calls[2]!.system).toContain("Name: Ada Lovelace; drinks Earl Grey");
    expect(model.calls[2]!.messages.map((m) => m.text).slice(1)).toEqual(["What is my name?"]);

    await sayRun(core, "t3", "bob", "What is my name?");
    expect(model.calls[3]!.system).not.toContain("Ada");
    expect(model.calls[3]!.system).toContain("<human");

    const memory = await createMemory(db());
    expect((await memory.core.get({ assistantId: systemAssistantId("agent"), userId: "ada" }, "human"))!.value).toBe("Name: Ada Lovelace; drinks Earl Grey");
    expect((await memory.core.get({ assistantId: systemAssistantId("agent"), userId: "bob" }, "human"))!.value).toBe("");
  });

  it("records every message of the thread in recall memory once, under the ids the thread holds", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "conversation_search", args: { query: "tea" } }] },
      "Found nothing yet.",
    ]);
    const core = await openTestCore(db(), model);
    const out = await sayRun(core, "r1", "ada", "Do you remember my tea?");
    const ids = messagesOf(out.state.values).map((m) => m.id);
    const { rows } = await db().pool.query<{ message_id: string; role: string }>(
      "SELECT message_id, role FROM memory_messages WHERE thread_id = 'r1' ORDER BY seq",
    );
    expect(rows.map((r) => r.message_id)).toEqual(ids);
    expect(rows.map((r) => r.role)).toEqual(["user", "assistant", "tool", "assistant"]);
  });

  it("refuses a thread to another user as unknown, and runs without a user fail clearly", async () => {
    const model = new ScriptedChatModel(() => "ok");
    const core = await openTestCore(db(), model);
    await sayRun(core, "mine", "ada", "hello");
    await expect(sayRun(core, "mine", "bob", "hello")).rejects.toThrow(/unknown thread "mine"/);
    await expect(core.threads.get("mine", "bob")).rejects.toThrow(/unknown thread/);
    expect((await core.threads.get("mine", "ada")).owner).toBe("ada");
    await expect(sayRun(core, "nouser", undefined, "hello")).rejects.toThrow(/invalid run config for graph "agent": user_id: required/);
    expect(await core.threads.find("nouser", ANONYMOUS_OWNER)).toBeUndefined();

    // A thread created without a user belongs to the anonymous owner: no user can see or take it.
    await core.threads.create({ threadId: "open" }, ANONYMOUS_OWNER);
    await expect(sayRun(core, "open", "ada", "hello")).rejects.toThrow(/unknown thread "open"/);
    expect(await core.threads.find("open", "ada")).toBeUndefined();
    expect((await core.threads.get("open", ANONYMOUS_OWNER)).owner).toBe(ANONYMOUS_OWNER);
    const mine = [];
    for await (const t of core.threads.list({ owner: "ada" })) mine.push(t.threadId);
    expect(mine.sort()).toEqual(["mine"]);
  });
});
