import { expect, it } from "vitest";
import { createMemory } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";
import { messagesOf, openRuntime, say, transcript } from "./setup.js";

describeBackends("agent graph: core memory across threads", (db) => {
  it("puts a fact saved with core_memory_append in thread 1 into the system prompt of thread 2, for that user only", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "Name: Ada Lovelace; drinks Earl Grey" } }] },
      "Nice to meet you, Ada.",
      "You are Ada Lovelace.",
      "I do not know your name yet.",
    ]);
    const runtime = await openRuntime(db(), model);

    const first = await runtime.run("agent", "t1", say("Hi, I am Ada Lovelace and I drink Earl Grey."), { userId: "ada" });
    expect(transcript(messagesOf(first.values))).toEqual([
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

    await runtime.run("agent", "t2", say("What is my name?"), { userId: "ada" });
    expect(model.calls[2]!.system).toContain("Name: Ada Lovelace; drinks Earl Grey");
    expect(model.calls[2]!.messages.map((m) => m.text).slice(1)).toEqual(["What is my name?"]);

    await runtime.run("agent", "t3", say("What is my name?"), { userId: "bob" });
    expect(model.calls[3]!.system).not.toContain("Ada");
    expect(model.calls[3]!.system).toContain("<human");

    const memory = await createMemory(db());
    expect((await memory.core.get({ assistantId: "agent", userId: "ada" }, "human"))!.value).toBe("Name: Ada Lovelace; drinks Earl Grey");
    expect((await memory.core.get({ assistantId: "agent", userId: "bob" }, "human"))!.value).toBe("");
  });

  it("records every message of the thread in recall memory once, under the ids the thread holds", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "conversation_search", args: { query: "tea" } }] },
      "Found nothing yet.",
    ]);
    const runtime = await openRuntime(db(), model);
    const out = await runtime.run("agent", "r1", say("Do you remember my tea?"), { userId: "ada" });
    const ids = messagesOf(out.values).map((m) => m.id);
    const { rows } = await db().pool.query<{ message_id: string; role: string }>(
      "SELECT message_id, role FROM memory_messages WHERE thread_id = 'r1' ORDER BY seq",
    );
    expect(rows.map((r) => r.message_id)).toEqual(ids);
    expect(rows.map((r) => r.role)).toEqual(["user", "assistant", "tool", "assistant"]);
  });

  it("refuses a thread to another user as unknown, and runs without a user fail clearly", async () => {
    const model = new ScriptedChatModel(() => "ok");
    const runtime = await openRuntime(db(), model);
    await runtime.run("agent", "mine", say("hello"), { userId: "ada" });
    await expect(runtime.run("agent", "mine", say("hello"), { userId: "bob" })).rejects.toThrow(/unknown thread "mine"/);
    await expect(runtime.show("mine", { userId: "bob" })).rejects.toThrow(/unknown thread/);
    expect((await runtime.threads.get("mine"))!.userId).toBe("ada");
    await expect(runtime.run("agent", "nouser", say("hello"))).rejects.toThrow(/invalid run config for graph "agent": user_id: required/);
    expect(await runtime.threads.get("nouser")).toBeUndefined();

    // A thread registered without a user is adopted by the first user, then kept.
    await runtime.threads.claim("open", "agent");
    await runtime.threads.claim("open", "agent", {}, "ada");
    await expect(runtime.threads.claim("open", "agent", {}, "bob")).rejects.toThrow(/unknown thread "open"/);
    expect((await runtime.threads.get("open"))!.userId).toBe("ada");
    expect((await runtime.threads.list({ userId: "ada" })).map((t) => t.threadId).sort()).toEqual(["mine", "open"]);
  });
});
