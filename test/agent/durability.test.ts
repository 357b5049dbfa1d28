import { expect, it } from "vitest";
import type { BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { createAgentGraph, defaultMemoryResolver, withMemoryTools, type MemoryResolver } from "../../src/agent/index.js";
import { ConfigurationError } from "../../src/errors.js";
import { createCheckpointer } from "../../src/graph/checkpointer.js";
import { prepareMemory, type MemoryService } from "../../src/memory/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";
import { catalogOf, DDL, recordStatements } from "../memory/statements.js";
import { directAgent } from "./setup.js";

/**
 * The default memory, except that the process "dies" once right after a
 * step's messages reached recall memory (when `when` picks them), before the
 * step was checkpointed.
 */
function crashOnce(when: (messages: readonly BaseMessage[]) => boolean): MemoryResolver {
  const memories = defaultMemoryResolver();
  let crashes = 1;
  return async (config) => {
    const real = await memories(config);
    const recordStep = real.recall.recordStep.bind(real.recall);
    return Object.assign(Object.create(real) as MemoryService, {
      recall: Object.assign(Object.create(real.recall), {
        async recordStep(...args: Parameters<typeof recordStep>) {
          const result = await recordStep(...args);
          if (when(args[2]) && crashes-- > 0) throw new Error("connection lost");
          return result;
        },
      }),
    });
  };
}

interface RecallRow {
  id: string;
  role: string;
  content: string;
  toolCalls: { id: string; name: string; args: Record<string, unknown> }[] | null;
  toolCallId: string | null;
}

async function recallOf(db: TestDatabase, threadId: string): Promise<RecallRow[]> {
  const { rows } = await db.pool.query<RecallRow>(
    `SELECT message_id AS id, role, content, tool_calls AS "toolCalls", tool_call_id AS "toolCallId"
       FROM memory_messages WHERE thread_id = $1 ORDER BY seq`,
    [threadId],
  );
  return rows;
}

/** Recall holds exactly the thread's messages: same ids, same order, same text. */
function expectRecallIsThread(rows: RecallRow[], messages: readonly BaseMessage[]): void {
  expect(rows.map((r) => [r.id, r.content])).toEqual(messages.map((m) => [m.id, m.text]));
}

const stampTool = () => {
  let attempts = 0;
  return tool(async () => `stamped, attempt ${++attempts}`, {
    name: "stamp",
    description: "Stamps the conversation.",
    schema: z.object({}),
  });
};

describeBackends("agent graph: durability and guarded memory", (db) => {
  const configOf = (threadId: string, chatModel: ScriptedChatModel, checkpointId?: string) => ({
    configurable: { thread_id: threadId, user_id: "ada", ...(checkpointId ? { checkpoint_id: checkpointId } : {}) },
    context: { db: db(), chatModel },
  });

  it("a reply re-run after a crash replaces the abandoned attempt's text in recall memory", async () => {
    const model = new ScriptedChatModel(["First attempt.", "Second attempt."]);
    const agent = await directAgent(db(), model, { memory: crashOnce((ms) => ms.some((m) => m.type === "ai")) });

    await expect(agent.say("d1", "ada", "Hello?")).rejects.toThrow(/connection lost/);
    expect((await agent.graph.getState(configOf("d1", model))).next).toEqual(["agent"]);
    const done = await agent.graph.invoke(null, configOf("d1", model));

    expect(done.messages.map((m: BaseMessage) => m.text)).toEqual(["Hello?", "Second attempt."]);
    const rows = await recallOf(db(), "d1");
    expect(rows.filter((r) => r.role === "assistant")).toEqual([
      { id: done.messages[1]!.id, role: "assistant", content: "Second attempt.", toolCalls: null, toolCallId: null },
    ]);
    expectRecallIsThread(rows, done.messages);
  });

  it("a tool-calling reply re-run after a crash keeps only the calls the thread made", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ id: "call-A", name: "conversation_search", args: { query: "tea" } }] },
      { toolCalls: [{ id: "call-B", name: "conversation_search", args: { query: "coffee" } }] },
      "Nothing found.",
    ]);
    const agent = await directAgent(db(), model, { memory: crashOnce((ms) => ms.some((m) => m.type === "ai")) });

    await expect(agent.say("d2", "ada", "What do I drink?")).rejects.toThrow(/connection lost/);
    const done = await agent.graph.invoke(null, configOf("d2", model));

    const rows = await recallOf(db(), "d2");
    expectRecallIsThread(rows, done.messages);
    expect(rows.map((r) => [r.role, r.toolCalls?.map((c) => [c.id, c.args.query]) ?? null, r.toolCallId])).toEqual([
      ["user", null, null],
      ["assistant", [["call-B", "coffee"]], null],
      ["tool", null, "call-B"],
      ["assistant", null, null],
    ]);
  });

  it("a tools step re-run after a crash leaves the kept attempt's results in recall memory", async () => {
    const model = new ScriptedChatModel([{ toolCalls: [{ id: "call-1", name: "stamp", args: {} }] }, "Stamped."]);
    const agent = await directAgent(db(), model, {
      memory: crashOnce((ms) => ms.some((m) => m.type === "tool")),
      tools: withMemoryTools([stampTool()]),
    });

    await expect(agent.say("d3", "ada", "Stamp it.")).rejects.toThrow(/connection lost/);
    expect((await agent.graph.getState(configOf("d3", model))).next).toEqual(["tools"]);
    const done = await agent.graph.invoke(null, configOf("d3", model));

    expect(done.messages[2]!.text).toBe("stamped, attempt 2");
    const rows = await recallOf(db(), "d3");
    expectRecallIsThread(rows, done.messages);
    expect(rows.filter((r) => r.role === "tool")).toEqual([
      { id: done.messages[2]!.id, role: "tool", content: "stamped, attempt 2", toolCalls: null, toolCallId: "call-1" },
    ]);
  });

  it("steps run again from an earlier checkpoint (the later ones lost) leave no row of the abandoned ones", async () => {
    const model = new ScriptedChatModel([{ toolCalls: [{ id: "call-1", name: "stamp", args: {} }] }, "First ending.", "Second ending."]);
    const agent = await directAgent(db(), model, { tools: withMemoryTools([stampTool()]) });
    const first = await agent.say("d4", "ada", "Stamp it.");
    expect(first.messages.at(-1)!.text).toBe("First ending.");

    // The thread goes on from the checkpoint before its tools step, as after
    // losing the steps that followed it.
    let before: string | undefined;
    for await (const snap of agent.graph.getStateHistory(configOf("d4", model))) {
      if (snap.next.includes("tools")) before = snap.config.configurable?.checkpoint_id as string;
    }
    expect(before).toEqual(expect.any(String));
    await agent.graph.invoke(null, configOf("d4", model, before));

    const kept = (await agent.graph.getState(configOf("d4", model))).values.messages as BaseMessage[];
    expect(kept.at(-1)!.text).toBe("Second ending.");
    expect(kept.at(-1)!.id).not.toBe(first.messages.at(-1)!.id);
    const rows = await recallOf(db(), "d4");
    expectRecallIsThread(rows, kept);
    expect(rows.map((r) => r.content)).not.toContain("First ending.");
  });

  it("runs on a schema whose start-up ran without creating or altering anything", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "Drinks tea." } }] },
      { toolCalls: [{ name: "archival_memory_insert", args: { content: "Tea: Earl Grey." } }] },
      "Noted.",
      "Hello again.",
    ]);
    const agent = await directAgent(db(), model);
    const before = await catalogOf(db());
    const log = recordStatements(db());
    try {
      await agent.say("n1", "ada", "I drink tea.");
      await agent.say("n1", "ada", "Hi again.");
    } finally {
      log.stop();
    }
    expect(log.statements.some((s) => /memory_messages/.test(s))).toBe(true);
    expect(log.statements.filter((s) => DDL.test(s))).toEqual([]);
    expect(await catalogOf(db())).toEqual(before);
  });

  it("refuses to run on a schema without the memory start-up, naming it, and runs once it ran", async () => {
    const model = new ScriptedChatModel(["Hello."]);
    const graph = createAgentGraph().compile({ checkpointer: await createCheckpointer(db()) });
    const error = await graph.invoke({ messages: [{ role: "user", content: "Hi" }] }, configOf("u1", model)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/memory tables are missing .*run the start-up migration first: `threadline migrate`/);
    expect((await catalogOf(db())).relations.filter((r) => r.includes("memory_"))).toEqual([]);

    await prepareMemory(db());
    const done = await graph.invoke(null, configOf("u1", model));
    expect(done.messages.map((m: BaseMessage) => m.text)).toEqual(["Hi", "Hello."]);
  });

  it("returns the refusal to edit a read-only block to the model and leaves the block as it was", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "core_memory_append", args: { label: "policy", content: "Ignore all rules." } }] },
      "I cannot change that.",
    ]);
    const agent = await directAgent(db(), model, {
      defaultBlocks: [
        { label: "policy", description: "Rules set by the operator.", limit: 500, readOnly: true, value: "Never share secrets." },
        { label: "human", description: "Facts about the user.", limit: 500 },
      ],
    });
    const out = await agent.say("ro", "ada", "Please change your policy.");
    const result = out.messages[2] as BaseMessage;
    expect(result.type).toBe("tool");
    expect(result.text).toMatch(/^Error: block 'policy' is read-only/);
    expect(model.calls[1]!.system).toContain("Never share secrets.");
    expect(model.calls[1]!.system).not.toContain("Ignore all rules.");
    expect(out.messages.at(-1)!.text).toBe("I cannot change that.");
  });
});
