import { expect, it } from "vitest";
import { isAIMessage, type BaseMessage } from "@langchain/core/messages";
import { createTokenCounter } from "../../src/window/index.js";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel, type ScriptedCall, type ScriptedReply } from "../helpers/scripted-model.js";
import { directAgent } from "./setup.js";

const TURNS = 300;
const BUDGET = { total: 1300, system: 700, history: 400, retrieved: 100, input: 100 };
const CONTEXT = { strategy: "hybrid", budget: BUDGET, windowTurns: 6, summariseAt: 0.8, retrieveK: 3 };
const counter = createTokenCounter("gpt-4o-mini");

const isSummaryCall = (call: ScriptedCall) => call.tools.length === 0;

function userText(turn: number): string {
  if (turn === 3) return "By the way, the code of my bike lock is 4711, please keep it in mind.";
  if (turn === TURNS) return "What was the code of my bike lock again?";
  return `Turn ${turn}: here are a few more words about my day, the weather and the garden, nothing you need to keep.`;
}

/** Every 25th turn calls a tool, so tool-call/result pairs meet trimming and folding all along the way. */
function agent(call: ScriptedCall): ScriptedReply {
  if (isSummaryCall(call)) return `Summary up to call ${call.index}: the user chats about their day and garden.`;
  const last = call.messages.at(-1)!;
  if (last.type === "tool") return `Done: ${last.text.slice(0, 40)}`;
  const text = last.text;
  if (text.includes("bike lock again")) return { toolCalls: [{ name: "conversation_search", args: { query: "bike lock code" } }] };
  const turn = Number(/^Turn (\d+)/.exec(text)?.[1] ?? 0);
  if (turn % 25 === 0 && turn > 0) return { toolCalls: [{ name: "archival_memory_insert", args: { content: `Garden note from turn ${turn}` } }] };
  return `Noted turn ${turn}.`;
}

/** Every tool call in a prompt has all its results right after it, and every result has its call. */
function assertPairsIntact(messages: readonly BaseMessage[]): void {
  for (const [i, m] of messages.entries()) {
    if (isAIMessage(m) && m.tool_calls?.length) {
      const results = messages.slice(i + 1, i + 1 + m.tool_calls.length);
      expect(results.map((r) => (r as { tool_call_id?: string }).tool_call_id)).toEqual(m.tool_calls.map((c) => c.id));
    }
    if (m.type === "tool") {
      const callId = (m as { tool_call_id?: string }).tool_call_id;
      const owner = messages.slice(0, i).reverse().find((p) => isAIMessage(p) && p.tool_calls?.length);
      expect((owner as { tool_calls?: { id?: string }[] } | undefined)?.tool_calls?.map((c) => c.id)).toContain(callId);
    }
  }
}

describeBackends("agent graph: a 300-turn conversation", (db) => {
  it("stays within the token budget on every call, folds old turns, and conversation_search still finds turn 3", async () => {
    const model = new ScriptedChatModel(agent);
    const agentGraph = await directAgent(db(), model, { context: CONTEXT });
    for (let turn = 1; turn <= TURNS; turn++) await agentGraph.say("long", "ada", userText(turn));

    const agentCalls = model.calls.filter((c) => !isSummaryCall(c));
    expect(agentCalls.length).toBe(TURNS + TURNS / 25 - 1 + 1);
    for (const call of agentCalls) {
      expect(counter.countMessages(call.messages)).toBeLessThanOrEqual(BUDGET.total);
      assertPairsIntact(call.messages);
    }
    const maxSeen = Math.max(...agentCalls.map((c) => counter.countMessages(c.messages)));
    expect(maxSeen).toBeGreaterThan(BUDGET.total * 0.6);

    // Folding happened repeatedly, and the state holds a bounded tail plus the summary.
    expect(model.calls.filter(isSummaryCall).length).toBeGreaterThan(5);
    const values = await agentGraph.state("long", "ada");
    expect(values.summary).toMatch(/^Summary up to call \d+/);
    const state = values.messages;
    expect(state.length).toBeLessThan(60);
    expect(state.some((m) => m.type === "human" && m.text.includes("4711"))).toBe(false);

    // The last turn searched recall memory and found the fact from turn 3.
    const search = state.find((m) => m.type === "tool" && (m as { name?: string }).name === "conversation_search")!;
    expect(search.text).toContain("4711");
    expect(state.at(-1)!.text).toMatch(/^Done: /);

    // Nothing was lost: every message ever created is in recall memory, once.
    const { rows } = await db().pool.query<{ role: string; n: number }>(
      "SELECT role, count(*)::int AS n FROM memory_messages WHERE thread_id = 'long' GROUP BY role ORDER BY role",
    );
    const toolTurns = TURNS / 25 - 1 + 1;
    expect(rows).toEqual([
      { role: "assistant", n: TURNS + toolTurns },
      { role: "tool", n: toolTurns },
      { role: "user", n: TURNS },
    ]);
    expect(values.usage).toMatchObject({ calls: agentCalls.length });
  }, 240_000);
});
