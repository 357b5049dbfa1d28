import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { createTokenCounter, parseContextOptions, prepareContext, type SummaryModel } from "../../src/window/index.js";
import { memoryMigrations, RecallStore } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";
import { ai, human, prng, SCOPE } from "./helpers.js";

const counter = createTokenCounter("gpt-4o");
const TOPICS = ["the weather", "a recipe for soup", "train delays", "a football match", "a new phone", "garden plants", "a podcast"];

/** Summary stand-in: keeps only a running count, so the fact must come back through recall. */
const counting: SummaryModel = {
  invoke: async (messages) => new AIMessage(`About ${String(messages[1]!.content).split("\n").length} earlier lines of small talk.`),
};

describeBackends("a 300-turn conversation", (db) => {
  it("stays within budget at every turn and the fact from turn 3 stays findable", async () => {
    await migrate(db(), [memoryMigrations]);
    const recall = new RecallStore(db());
    const options = parseContextOptions({ strategy: "hybrid", budget: { total: 3000, system: 300, history: 1500, retrieved: 700, input: 500 } });
    const rand = prng(7);
    let thread: BaseMessage[] = [];
    let summary: string | undefined;
    let folds = 0;
    const ask = async (id: string, text: string) => {
      const question = human(id, text);
      thread.push(question);
      await recall.append(SCOPE, "t1", [question]);
      const prepared = await prepareContext({
        systemPrompt: "You are a friendly assistant.",
        messages: thread,
        ...(summary === undefined ? {} : { summary }),
        scope: SCOPE,
        threadId: "t1",
        recall,
        counter,
        options,
        summaryModel: counting,
      });
      expect(prepared.context.tokens.total).toBeLessThanOrEqual(options.budget.total);
      expect(prepared.context.messages.at(-1)!.id).toBe(id);
      if (prepared.removals.length > 0) {
        folds++;
        const removed = new Set(prepared.removals.map((r) => r.id));
        thread = thread.filter((m) => !removed.has(m.id!));
      }
      summary = prepared.summary;
      return prepared.context;
    };

    for (let turn = 1; turn <= 300; turn++) {
      const topic = TOPICS[Math.floor(rand() * TOPICS.length)];
      const text = turn === 3 ? "By the way, my locker code at the gym is 4711." : `Turn ${turn}: let's chat about ${topic} for a bit.`;
      await ask(`u${turn}`, text);
      const reply = ai(`a${turn}`, `Sure, happy to talk about ${topic}. ${"Here is a thought or two. ".repeat(1 + Math.floor(rand() * 4))}`);
      thread.push(reply);
      await recall.append(SCOPE, "t1", [reply]);
    }
    expect(folds).toBeGreaterThan(5);
    expect(thread.some((m) => m.id === "u3")).toBe(false);

    const context = await ask("q", "What was my gym locker code again?");
    expect(context.includedIds).toContain("u3");
    expect(String(context.messages[0]!.content)).toContain("my locker code at the gym is 4711");
  });
});
