import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createTokenCounter,
  parseContextOptions,
  prepareContext,
  summariseSafely,
  type PrepareInput,
  type SummaryModel,
} from "../../src/window/index.js";
import { ai, FakeRecall, human, SCOPE } from "./helpers.js";

const counter = createTokenCounter("gpt-4o");

const throwing: SummaryModel = {
  invoke: async () => {
    throw new Error("429 rate limited");
  },
};
const replying = (text: unknown): SummaryModel & { prompts: BaseMessage[][] } => {
  const prompts: BaseMessage[][] = [];
  return { prompts, invoke: async (messages) => (prompts.push(messages), new AIMessage({ content: text as string })) };
};

function longThread(): BaseMessage[] {
  const messages: BaseMessage[] = [];
  for (let i = 1; i <= 40; i++) {
    messages.push(human(`u${i}`, i === 2 ? "My sister Priya lives in Lyon." : `Question ${i} about budgeting and savings plans.`));
    messages.push(ai(`a${i}`, `Answer ${i}: put a fixed share of income aside every month and review it quarterly.`));
  }
  messages.push(human("q", "Where does my sister live?"));
  return messages;
}

function prepareInput(model: SummaryModel): PrepareInput {
  const messages = longThread();
  const recall = new FakeRecall();
  recall.add("t1", messages);
  return {
    systemPrompt: "You are helpful.",
    messages,
    summary: "The user is saving for a house.",
    scope: SCOPE,
    threadId: "t1",
    recall,
    counter,
    options: parseContextOptions({ strategy: "hybrid", budget: { total: 2000, system: 200, history: 1000, retrieved: 500, input: 300 } }),
    summaryModel: model,
  };
}

describe("summariseSafely", () => {
  it("accepts any LangChain chat model", () => {
    expectTypeOf<ChatOpenAI>().toExtend<SummaryModel>();
  });

  it("returns the model's summary, asking for facts and latest values", async () => {
    const model = replying("The user's sister Priya lives in Lyon.");
    const result = await summariseSafely({ model, previousSummary: "Old.", messages: longThread().slice(0, 4), counter, maxTokens: 100 });
    expect(result).toEqual({ ok: true, summary: "The user's sister Priya lives in Lyon." });
    const prompt = model.prompts[0]!.map((m) => String(m.content)).join("\n");
    expect(prompt).toMatch(/names, numbers, dates/);
    expect(prompt).toMatch(/keep only the latest value/);
    expect(prompt).toContain("Current summary:\nOld.");
    expect(prompt).toContain("user: My sister Priya lives in Lyon.");
  });

  it("reports a failing model as an error, never as a summary", async () => {
    const result = await summariseSafely({ model: throwing, messages: longThread().slice(0, 4), counter, maxTokens: 100 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe("429 rate limited");
  });

  it("treats an empty reply as a failure and cuts a long one at a sentence", async () => {
    const empty = await summariseSafely({ model: replying("  "), messages: longThread().slice(0, 2), counter, maxTokens: 50 });
    expect(empty.ok).toBe(false);
    const long = "First fact is kept. " + "Filler sentence that goes on. ".repeat(40);
    const cut = await summariseSafely({ model: replying(long), messages: longThread().slice(0, 2), counter, maxTokens: 20 });
    expect(cut.ok && cut.summary.startsWith("First fact is kept.")).toBe(true);
    expect(cut.ok && counter.countText(cut.summary)).toBeLessThanOrEqual(20);
  });
});

describe("prepareContext", () => {
  it("a failed summary loses nothing: messages, summary and budget stay as they were", async () => {
    const input = prepareInput(throwing);
    const before = input.messages.map((m) => m.id);
    const prepared = await prepareContext(input);
    expect(prepared.summaryError?.message).toBe("429 rate limited");
    expect(prepared.summary).toBe("The user is saving for a house.");
    expect(prepared.removals).toEqual([]);
    expect(input.messages.map((m) => m.id)).toEqual(before);
    expect(prepared.context.toSummarise.length).toBeGreaterThan(0);
    expect(prepared.context.tokens.total).toBeLessThanOrEqual(2000);
    expect(prepared.context.messages.at(-1)!.id).toBe("q");
    expect(String(prepared.context.messages[0]!.content)).not.toContain("429");
  });

  it("folds the oldest turns into the summary and removes them from the thread", async () => {
    const prepared = await prepareContext(prepareInput(replying("Saving for a house; sister Priya lives in Lyon.")));
    expect(prepared.summary).toBe("Saving for a house; sister Priya lives in Lyon.");
    expect(prepared.removals.length).toBeGreaterThan(0);
    expect(prepared.removals[0]!.id).toBe("u1");
    expect(String(prepared.context.messages[0]!.content)).toContain("sister Priya lives in Lyon");
    expect(prepared.context.toSummarise).toEqual([]);
    expect(prepared.context.tokens.total).toBeLessThanOrEqual(2000);
  });
});
