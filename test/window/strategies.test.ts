import { SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import {
  assembleContext,
  createTokenCounter,
  parseContextOptions,
  RETRIEVED_HEADING,
  SUMMARY_HEADING,
  type AssembleInput,
  type HistoryStrategy,
} from "../../src/window/index.js";
import { ai, FakeRecall, human, SCOPE } from "./helpers.js";

const counter = createTokenCounter("gpt-4o");

/** 20 turns; turn 3 plants a fact the final question asks about. */
function conversation(): BaseMessage[] {
  const messages: BaseMessage[] = [];
  for (let i = 1; i <= 20; i++) {
    messages.push(human(`u${i}`, i === 3 ? "My dog is called Biscuit and he is a beagle." : `Small talk number ${i} about the weather.`));
    messages.push(ai(`a${i}`, `Reply number ${i}, nice to hear.`));
  }
  messages.push(human("q", "What is the name of my dog?"));
  return messages;
}

function input(strategy: HistoryStrategy, extra: Partial<AssembleInput> = {}, options: object = {}): AssembleInput {
  const recall = new FakeRecall();
  recall.add("t1", conversation());
  return {
    systemPrompt: "You are helpful.",
    messages: conversation(),
    scope: SCOPE,
    threadId: "t1",
    recall,
    counter,
    options: parseContextOptions({ strategy, ...options }),
    ...extra,
  };
}

const systemText = (messages: readonly BaseMessage[]) => String((messages[0] as SystemMessage).content);

describe("history strategies", () => {
  it("full sends everything", async () => {
    const context = await assembleContext(input("full"));
    expect(context.messages).toHaveLength(42);
    expect(context.tokens.total).toBe(counter.countMessages(context.messages));
    expect(context.toSummarise).toEqual([]);
  });

  it("full fails with a clear error when the history cannot fit", async () => {
    const tight = input("full", {}, { budget: { total: 300, system: 50, history: 150, retrieved: 50, input: 50 } });
    await expect(assembleContext(tight)).rejects.toThrow(InvalidInputError);
    await expect(assembleContext(tight)).rejects.toThrow(/strategy "full" needs \d+ tokens/);
  });

  it("window keeps the last N turns and the newest user message", async () => {
    const context = await assembleContext(input("window", {}, { windowTurns: 2 }));
    expect(context.messages.slice(1).map((m) => m.id)).toEqual(["u19", "a19", "u20", "a20", "q"]);
    expect(context.tokens.retrieved).toBe(0);
  });

  it("retrieval sends the relevant past turns, not the recent ones", async () => {
    const context = await assembleContext(input("retrieval"));
    expect(context.messages.slice(1).map((m) => m.id)).toEqual(["q"]);
    expect(context.includedIds).toContain("u3");
    expect(systemText(context.messages)).toContain(`${RETRIEVED_HEADING}\n`);
    expect(systemText(context.messages)).toContain("\n[2024-01-01] user: My dog is called Biscuit");
    expect(context.tokens.retrieved).toBeGreaterThan(0);
  });

  it("summarise sends the summary and the recent turns and asks to fold the older ones", async () => {
    const options = { budget: { total: 1000, system: 100, history: 400, retrieved: 100, input: 100 } };
    const context = await assembleContext(input("summarise", { summary: "The user has a dog called Biscuit." }, options));
    expect(systemText(context.messages)).toContain(`${SUMMARY_HEADING}\nThe user has a dog called Biscuit.`);
    expect(context.tokens.summary + context.tokens.history).toBeLessThanOrEqual(400);
    expect(context.messages.at(-1)!.id).toBe("q");
    expect(context.toSummarise.length).toBeGreaterThan(0);
    expect(context.toSummarise[0]!.id).toBe("u1");
    // The oldest turns, whole, never the current one.
    const ids = context.toSummarise.map((m) => m.id);
    expect(ids).toEqual(conversation().slice(0, ids.length).map((m) => m.id));
    expect(ids.length % 2).toBe(0);
    expect(ids).not.toContain("q");
  });

  it("hybrid combines the window, the summary and retrieved turns within the budget", async () => {
    const context = await assembleContext(input("hybrid", { summary: "Earlier: small talk." }, { windowTurns: 2 }));
    expect(context.messages.slice(1).map((m) => m.id)).toEqual(["u19", "a19", "u20", "a20", "q"]);
    expect(systemText(context.messages)).toContain(SUMMARY_HEADING);
    expect(context.includedIds).toContain("u3");
    const { tokens } = context;
    expect(tokens.system + tokens.summary + tokens.history + tokens.retrieved + tokens.input).toBe(tokens.total);
    expect(tokens.retrieved).toBeLessThanOrEqual(1000);
  });

  it("does not retrieve what is already in the window", async () => {
    const context = await assembleContext(input("hybrid", {}, { windowTurns: 20 }));
    expect(new Set(context.includedIds).size).toBe(context.includedIds.length);
    expect(context.tokens.retrieved).toBe(0);
  });

  it("fails with a typed error when the system prompt and input alone exceed the total", async () => {
    const big = input("window", {}, { budget: { total: 100, system: 25, history: 25, retrieved: 25, input: 25 } });
    big.messages = [human("q", "word ".repeat(200))];
    await expect(assembleContext(big)).rejects.toThrow(/the new input \(\d+ tokens\) exceed the total budget of 100/);
  });

  it("fails with a typed error when there is no user message", async () => {
    await expect(assembleContext(input("window", { messages: [ai("a", "hello")] }))).rejects.toThrow(InvalidInputError);
  });
});

describe("parseContextOptions", () => {
  it("fills the defaults", () => {
    expect(parseContextOptions(undefined)).toEqual({
      strategy: "hybrid",
      budget: { total: 8000, system: 2000, history: 4000, retrieved: 1000, input: 1000 },
      windowTurns: 5,
      summariseAt: 0.8,
      retrieveK: 40,
      retrievalScope: "user",
      rewriteQuery: false,
    });
  });

  it("merges a partial budget and rejects bad values with the field named", () => {
    expect(parseContextOptions({ budget: { history: 3000 } }).budget.history).toBe(3000);
    expect(() => parseContextOptions({ strategy: "everything" })).toThrow(/invalid context options: strategy/);
    expect(() => parseContextOptions({ summariseAt: 1.5 })).toThrow(/summariseAt/);
    expect(() => parseContextOptions({ budget: { total: 1000 } })).toThrow(/budget: the shares/);
    expect(() => parseContextOptions({ windowTurn: 3 })).toThrow(InvalidInputError);
  });
});
