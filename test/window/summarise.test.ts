import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createTokenCounter,
  parseContextOptions,
  prepareContext,
  summariseSafely,
  transcript,
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

  it("reads a transcript of dated, attributed lines and asks for a summary kept in them", async () => {
    const model = replying("[2024-03-02] user: sister Priya lives in Lyon.");
    const messages = longThread().slice(0, 4);
    const said = new Map(messages.map((m, i) => [m.id!, new Date(Date.UTC(2024, 2, 2 + Math.floor(i / 2), 18, 30))]));
    const result = await summariseSafely({ model, messages, counter, maxTokens: 100, dateOf: (m) => said.get(m.id!) });
    expect(result).toEqual({ ok: true, summary: "[2024-03-02] user: sister Priya lives in Lyon." });
    const [instructions, request] = model.prompts[0]!.map((m) => String(m.content));
    expect(instructions).toMatch(/one fact per line, starting with the date it was said and who said it/);
    expect(instructions).toMatch(/Keep the date and speaker of every fact you carry over/);
    expect(request!.split("New messages:\n")[1]!.split("\n")).toEqual([
      "[2024-03-02] user: Question 1 about budgeting and savings plans.",
      "[2024-03-02] assistant: Answer 1: put a fixed share of income aside every month and review it quarterly.",
      "[2024-03-03] user: My sister Priya lives in Lyon.",
      "[2024-03-03] assistant: Answer 2: put a fixed share of income aside every month and review it quarterly.",
    ]);
  });

  it("dates tool calls and results too, and leaves a message of unknown date undated", () => {
    const call = new AIMessage({ id: "c", content: "", tool_calls: [{ id: "t1", name: "archival_memory_search", args: { query: "Lyon" } }] });
    const result = new ToolMessage({ id: "r", tool_call_id: "t1", content: "Found 1 passage" });
    const date = new Date("2024-03-02T10:00:00Z");
    expect(transcript([human("u", "Where is Priya?"), call, result], (m) => (m.id === "u" ? undefined : date)).split("\n")).toEqual([
      "user: Where is Priya?",
      '[2024-03-02] assistant: [called archival_memory_search({"query":"Lyon"})]',
      "[2024-03-02] tool result: Found 1 passage",
    ]);
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
    const lines = Array.from({ length: 30 }, (_, i) => `[2024-03-${String(i + 1).padStart(2, "0")}] user: fact ${i + 1}.`);
    const dated = await summariseSafely({ model: replying(lines.join("\n")), messages: longThread().slice(0, 2), counter, maxTokens: 60 });
    const kept = dated.ok ? dated.summary.split("\n") : [];
    expect(kept.length).toBeGreaterThan(2);
    expect(kept).toEqual(lines.slice(0, kept.length));
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

  it("dates the folded lines with the dates it is given", async () => {
    const model = replying("Saving for a house.");
    const prepared = await prepareContext({ ...prepareInput(model), dateOf: () => new Date("2024-03-02T08:00:00Z") });
    expect(prepared.removals.length).toBeGreaterThan(0);
    expect(String(model.prompts[0]![1]!.content)).toContain("[2024-03-02] user: My sister Priya lives in Lyon.");
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
