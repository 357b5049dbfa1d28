import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";
import { directAgent } from "./setup.js";

describeBackends("agent graph: query rewrite", (db) => {
  it("asks the chat model for search words before each turn's retrieval when rewriteQuery is on", async () => {
    const model = new ScriptedChatModel(["kitten adopted", "Congratulations!", "kitten cat pet animal", "Basil is doing well, I hope."]);
    const agent = await directAgent(db(), model, { context: { rewriteQuery: true } });
    await agent.say("t1", "ada", "We adopted a kitten last week, she is called Basil.");
    await agent.say("t2", "ada", "How is the little creature doing?");
    expect(model.calls).toHaveLength(4);
    const rewrite = model.calls[2]!;
    expect(rewrite.system).toMatch(/search words/);
    expect(rewrite.messages.at(-1)!.text).toBe("How is the little creature doing?");
    expect(rewrite.tools).toEqual([]);
    expect(model.calls[3]!.system).toContain("We adopted a kitten last week, she is called Basil.");
    const state = await agent.state("t2", "ada");
    expect(state.messages.map((m) => m.text)).toEqual(["How is the little creature doing?", "Basil is doing well, I hope."]);
  });

  it("rewrites once per turn, however many model calls a tool loop makes", async () => {
    const model = new ScriptedChatModel((call) => {
      if (/search words/.test(call.system)) return "kitten pet";
      const results = call.messages.filter((m) => m.type === "tool").length;
      return results < 3 ? { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: `fact ${results}` } }] } : "done";
    });
    const agent = await directAgent(db(), model, { context: { rewriteQuery: true } });
    await agent.say("t1", "ada", "How is the little creature doing?");
    expect(model.calls.filter((c) => /search words/.test(c.system))).toHaveLength(1);
    expect(model.calls).toHaveLength(5);
  });

  it("makes no extra call by default", async () => {
    const model = new ScriptedChatModel(["Congratulations!", "I do not know."]);
    const agent = await directAgent(db(), model);
    await agent.say("t1", "ada", "We adopted a kitten last week, she is called Basil.");
    await agent.say("t2", "ada", "How is the little creature doing?");
    expect(model.calls).toHaveLength(2);
    expect(model.calls[1]!.system).not.toContain("kitten");
  });
});
