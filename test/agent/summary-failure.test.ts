import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel, type ScriptedCall } from "../helpers/scripted-model.js";
import { directAgent } from "./setup.js";

const CONTEXT = { strategy: "summarise", budget: { total: 1100, system: 700, history: 250, retrieved: 0, input: 150 }, summariseAt: 0.5 };
const isSummaryCall = (call: ScriptedCall) => call.tools.length === 0;

describeBackends("agent graph: a failing summary model", (db) => {
  it("keeps every message and the old summary while summaries fail, and folds once they succeed", async () => {
    let failing = true;
    const model = new ScriptedChatModel((call) => {
      if (isSummaryCall(call)) return failing ? { throws: "summary provider is down (503)" } : "The user told ten short stories about their cats.";
      return `Reply to: ${call.messages.at(-1)!.text}`;
    });
    const agent = await directAgent(db(), model, { context: CONTEXT });

    let turn = 0;
    const say = () => agent.say("s1", "ada", `Story ${++turn}: my cat Miso climbed the bookshelf again and knocked down a vase.`);
    while (!model.calls.some(isSummaryCall)) await say();
    for (let extra = 0; extra < 3; extra++) await say();

    const failed = await agent.state("s1", "ada");
    expect(model.calls.filter(isSummaryCall).length).toBeGreaterThanOrEqual(4);
    expect(failed.summary).toBe("");
    expect(failed.messages.map((m) => m.text)).toEqual(
      Array.from({ length: turn }, (_, i) => {
        const text = `Story ${i + 1}: my cat Miso climbed the bookshelf again and knocked down a vase.`;
        return [text, `Reply to: ${text}`];
      }).flat(),
    );
    // The error never becomes content: not in a message, not in the summary.
    expect([...failed.messages.map((m) => m.text), failed.summary].filter((t) => t.includes("provider is down"))).toEqual([]);
    // Each run finished with the model's answer, within budget, despite the failures.
    expect(failed.context!.summariseIds.length).toBeGreaterThan(0);
    expect(failed.context!.tokens.total).toBeLessThanOrEqual(CONTEXT.budget.total);

    failing = false;
    await say();
    const folded = await agent.state("s1", "ada");
    expect(folded.summary).toBe("The user told ten short stories about their cats.");
    expect(folded.messages.length).toBeLessThan(turn * 2);
    expect(folded.messages.at(-1)!.text).toBe(`Reply to: Story ${turn}: my cat Miso climbed the bookshelf again and knocked down a vase.`);
    // The next call sends the summary in place of the folded turns.
    await say();
    const lastCall = model.calls.filter((c) => !isSummaryCall(c)).at(-1)!;
    expect(lastCall.system).toContain("The user told ten short stories about their cats.");

    // Folded messages left the state but not recall memory.
    const { rows } = await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM memory_messages WHERE thread_id = 's1'");
    expect(rows[0]!.n).toBe(turn * 2);
  });
});
