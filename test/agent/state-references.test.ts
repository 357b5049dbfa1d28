import { uuid6, type Checkpoint } from "@langchain/langgraph-checkpoint";
import { expect, it } from "vitest";
import { createAgentGraph, DEFAULT_BASE_PROMPT, type AgentStateType } from "../../src/agent/index.js";
import { createCheckpointer } from "../../src/graph/checkpointer.js";
import { createMemory, DEFAULT_BLOCKS, formatTime } from "../../src/memory/index.js";
import { DEFAULT_CONTEXT_OPTIONS } from "../../src/window/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";
import { ScriptedChatModel, type ScriptedCall } from "../helpers/scripted-model.js";

const ADA = { assistantId: "agent", userId: "ada" };
const HUMAN_BLOCK = "Ada keeps three beehives on a rooftop in Marseille and sells the honey at the Saturday market.";
const PERSONA_BLOCK = DEFAULT_BLOCKS[0]!.value!;
const WINDOW_KEYS = ["budget", "compiledAt", "includedIds", "retrievedIds", "strategy", "summariseIds", "summaryIncluded", "tokens"];

/** The scope's memory with a distinctive human block, as earlier conversations left it. */
async function rememberedMemory(db: TestDatabase) {
  const memory = await createMemory(db);
  await memory.core.ensureDefaults(ADA);
  await memory.core.rethink(ADA, "human", HUMAN_BLOCK);
  return memory;
}

function agentOf(db: TestDatabase, chatModel: ScriptedChatModel, options: Parameters<typeof createAgentGraph>[0] = {}) {
  const configOf = (threadId: string) => ({ configurable: { thread_id: threadId, user_id: "ada" }, context: { db, chatModel } });
  return { configOf, graph: createAgentGraph(options) };
}

/** Every piece of memory text that must not be copied into a checkpoint. */
function expectNoMemoryText(values: unknown): void {
  const json = JSON.stringify(values);
  for (const text of [HUMAN_BLOCK, PERSONA_BLOCK, "<memory_blocks>", "<memory_metadata>", DEFAULT_BASE_PROMPT.split("\n")[0]!, "systemPrompt"]) {
    expect(json).not.toContain(text);
  }
}

describeBackends("agent graph: state keeps references to the context, not copies", (db) => {
  it("no checkpoint of a run holds the memory blocks the model was shown, only ids and token counts", async () => {
    await rememberedMemory(db());
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "archival_memory_insert", args: { content: "Ada said her flight to Lisbon is on 3 May." } }] },
      "Saved.",
      "Hello again, Ada.",
    ]);
    const checkpointer = await createCheckpointer(db());
    const { graph, configOf } = agentOf(db(), model);
    const agent = graph.compile({ checkpointer });
    await agent.invoke({ messages: [{ role: "user", content: "Remember my flight to Lisbon on 3 May." }] }, configOf("r1"));
    await agent.invoke({ messages: [{ role: "user", content: "Hello!" }] }, configOf("r1"));

    // The model saw the memory, and the archival insert of this turn at its very next call.
    expect(model.calls).toHaveLength(3);
    for (const call of model.calls) expect(call.system).toContain(HUMAN_BLOCK);
    expect(model.calls[0]!.system).toContain("- 0 passages are stored in archival memory");
    expect(model.calls[1]!.system).toContain("- 1 passage is stored in archival memory");

    // Neither the thread's state nor any checkpoint of its history copies it.
    const history = [];
    for await (const snapshot of agent.getStateHistory(configOf("r1"))) history.push(snapshot);
    expect(history.length).toBeGreaterThan(6);
    for (const snapshot of history) expectNoMemoryText(snapshot.values);
    const stored = [];
    for await (const tuple of checkpointer.list({ configurable: { thread_id: "r1", checkpoint_ns: "" } })) stored.push(tuple);
    expect(stored).toHaveLength(history.length);
    for (const tuple of stored) {
      expectNoMemoryText(tuple.checkpoint.channel_values);
      for (const write of tuple.pendingWrites ?? []) expectNoMemoryText(write);
    }

    // What it keeps: the window's ids, token counts and settings.
    const state = (await agent.getState(configOf("r1"))).values as AgentStateType;
    const context = state.context!;
    expect(Object.keys(context).sort()).toEqual(WINDOW_KEYS);
    expect(context.strategy).toBe("hybrid");
    expect(context.budget).toEqual(DEFAULT_CONTEXT_OPTIONS.budget);
    // The window of the last call: the whole thread but the reply it produced.
    expect(context.includedIds).toEqual(state.messages.slice(0, -1).map((m) => m.id));
    expect(context.retrievedIds).toEqual([]);
    expect(context.summaryIncluded).toBe(false);
    expect(context.summariseIds).toEqual([]);
    expect(context.tokens.system).toBeGreaterThan(0);
    expect(context.tokens.total).toBe(context.tokens.system + context.tokens.history + context.tokens.input);
    expect(model.calls[2]!.system).toContain(`- The current time is: ${formatTime(new Date(context.compiledAt))}`);
  });

  it("the agent's first call compiles the prompt load_memory compiled and assembles the same window, without a cache", async () => {
    await rememberedMemory(db());
    const model = new ScriptedChatModel(["Hi."]);
    // A memory service per node run: nothing is shared between the two nodes but the state.
    const { graph, configOf } = agentOf(db(), model, { memory: () => createMemory(db(), { migrate: false }) });
    const agent = graph.compile({ checkpointer: await createCheckpointer(db()) });
    const windows: Record<string, unknown> = {};
    for await (const update of await agent.stream({ messages: [{ role: "user", content: "Hello there" }] }, { ...configOf("d1"), streamMode: "updates" })) {
      for (const [node, value] of Object.entries(update as Record<string, { context?: unknown }>)) if (value?.context) windows[node] = value.context;
    }
    expect(Object.keys(windows)).toEqual(["load_memory", "agent"]);
    expect(windows.agent).toEqual(windows.load_memory);
    const context = windows.agent as AgentStateType["context"] & {};
    expect(model.calls[0]!.system).toContain(`- The current time is: ${formatTime(new Date(context.compiledAt))}`);
  });

  it("a checkpoint written by an earlier version, with the compiled prompt in its state, loads and resumes; the copy is left behind", async () => {
    await rememberedMemory(db());
    const model = new ScriptedChatModel(["Welcome back."]);
    const checkpointer = await createCheckpointer(db());
    const { graph, configOf } = agentOf(db(), model);
    const stopped = graph.compile({ checkpointer, interruptBefore: ["agent"] });
    await stopped.invoke({ messages: [{ role: "user", content: "Good morning" }] }, configOf("o1"));
    const tuple = (await checkpointer.getTuple(configOf("o1")))!;
    expect((await stopped.getState(configOf("o1"))).next).toEqual(["agent"]);

    // Rewrite the step as an earlier version stored it: the whole prompt in `context`.
    const current = tuple.checkpoint.channel_values.context as AgentStateType["context"] & {};
    const oldContext = {
      systemPrompt: `You are Sam.\n\n<memory_blocks>\n<human>\n${HUMAN_BLOCK}\n</human>\n</memory_blocks>`,
      includedIds: current.includedIds,
      tokens: current.tokens,
      summariseIds: [],
    };
    const version = checkpointer.getNextVersion(tuple.checkpoint.channel_versions.context as number);
    const old: Checkpoint = {
      ...tuple.checkpoint,
      id: uuid6(-1),
      ts: new Date().toISOString(),
      channel_values: { ...tuple.checkpoint.channel_values, context: oldContext },
      channel_versions: { ...tuple.checkpoint.channel_versions, context: version },
    };
    await checkpointer.put(tuple.config, old, { ...tuple.metadata!, source: "update", step: tuple.metadata!.step + 1, parents: {} }, { context: version });
    const loaded = await stopped.getState(configOf("o1"));
    expect(loaded.next).toEqual(["agent"]);
    expect((loaded.values as { context: unknown }).context).toEqual(oldContext);

    // It resumes: the agent compiles its own prompt, and the state's window no longer carries the old copy.
    const done = (await graph.compile({ checkpointer }).invoke(null, configOf("o1"))) as AgentStateType;
    expect(done.messages.map((m) => m.text)).toEqual(["Good morning", "Welcome back."]);
    expect(model.calls[0]!.system).toContain(HUMAN_BLOCK);
    expect(model.calls[0]!.system).not.toContain("You are Sam.");
    expect(Object.keys(done.context!).sort()).toEqual(WINDOW_KEYS);
    expectNoMemoryText((await stopped.getState(configOf("o1"))).values);

    // A node (or an application) spreading an old window into an update drops the copy too.
    await stopped.updateState(configOf("o1"), { context: { ...done.context!, ...oldContext } as never });
    expect(Object.keys((await stopped.getState(configOf("o1"))).values.context).sort()).toEqual(WINDOW_KEYS);
  });

  it("folds old turns into a summary of dated, attributed lines, dated as recall memory holds them", async () => {
    const memory = await createMemory(db());
    const isSummaryCall = (call: ScriptedCall) => call.tools.length === 0;
    // A summary model that keeps the user's lines of the transcript it is given, as they are.
    const model = new ScriptedChatModel((call) => {
      if (!isSummaryCall(call)) return `Reply to: ${call.messages.at(-1)!.text}`;
      const [current, fresh] = call.messages[1]!.text.split("\n\nNew messages:\n");
      const kept = current!.replace("Current summary:\n", "").split("\n").filter((l) => l !== "(none yet)");
      return [...kept, ...fresh!.split("\n").filter((line) => / user: /.test(line))].join("\n");
    });
    const context = { strategy: "summarise", budget: { total: 1100, system: 700, history: 250, retrieved: 0, input: 150 }, summariseAt: 0.5 };
    const { graph, configOf } = agentOf(db(), model, { context });
    const agent = graph.compile({ checkpointer: await createCheckpointer(db()) });

    // Each turn is a session on its own day: the history was imported into recall with its dates first.
    const sessionDay = (turn: number) => new Date(Date.UTC(2024, 2, turn, 18, 0));
    const story = (turn: number) => `Story ${turn}: my cat Miso climbed the bookshelf again and knocked down vase number ${turn}.`;
    let turn = 0;
    while (!model.calls.some(isSummaryCall)) {
      turn++;
      const message = { role: "user", content: story(turn), id: `u${turn}` };
      await memory.recall.append(ADA, "s1", [{ ...message, type: "human" } as never], { createdAt: sessionDay(turn) });
      await agent.invoke({ messages: [message] }, configOf("s1"));
    }
    const state = (await agent.getState(configOf("s1"))).values as AgentStateType;
    const lines = state.summary.split("\n");
    expect(lines.length).toBeGreaterThan(1);
    lines.forEach((line, i) => expect(line).toBe(`[${sessionDay(i + 1).toISOString().slice(0, 10)}] user: ${story(i + 1)}`));
    expect(lines[0]).toBe("[2024-03-01] user: Story 1: my cat Miso climbed the bookshelf again and knocked down vase number 1.");
    // The model was asked to keep them so.
    expect(model.calls.find(isSummaryCall)!.messages[0]!.text).toMatch(/starting with the date it was said and who said it/);
    // The folded turns left the state, and recall still holds them with their dates.
    expect(state.messages.map((m) => m.id)).not.toContain("u1");
    const { rows } = await db().pool.query<{ createdAt: Date }>(
      `SELECT created_at AS "createdAt" FROM memory_messages WHERE thread_id = 's1' AND message_id = 'u1'`,
    );
    expect(rows.map((r) => r.createdAt.toISOString())).toEqual([sessionDay(1).toISOString()]);
  });
});
