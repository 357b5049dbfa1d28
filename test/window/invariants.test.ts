import type { BaseMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { assembleContext, createTokenCounter, type ContextOptions, type HistoryStrategy } from "../../src/window/index.js";
import { ai, aiCalls, FakeRecall, human, prng, providerViolation, SCOPE, toolResult } from "./helpers.js";

const counter = createTokenCounter("gpt-4o");
const STRATEGIES: HistoryStrategy[] = ["full", "window", "summarise", "retrieval", "hybrid"];
const WORDS = ["balance", "transfer", "dog", "Biscuit", "weather", "loan", "card", "Paris", "account", "yes", "maybe", "42"];

/** A random thread: turns of user text, assistant replies and tool-call chains, sometimes with a broken pair. */
function randomThread(rand: () => number): BaseMessage[] {
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
  const messages: BaseMessage[] = [];
  let id = 0;
  const next = () => `m${++id}`;
  const turns = 1 + Math.floor(rand() * 25);
  for (let t = 0; t < turns; t++) {
    messages.push(human(next(), text(1 + Math.floor(rand() * 30))));
    const chains = Math.floor(rand() * 3);
    for (let c = 0; c < chains; c++) {
      const calls = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `call_${next()}`);
      messages.push(aiCalls(next(), calls));
      for (const call of calls) if (rand() > 0.03) messages.push(toolResult(next(), call, text(1 + Math.floor(rand() * 60))));
    }
    if (rand() > 0.05) messages.push(ai(next(), text(1 + Math.floor(rand() * 40))));
    if (rand() < 0.03) messages.push(toolResult(next(), "call_nowhere"));
  }
  // Sometimes the current turn is still in progress: tool results after the newest user message.
  if (rand() < 0.3) {
    messages.push(human(next(), text(5)));
    messages.push(aiCalls(next(), ["call_now"]));
    messages.push(toolResult(next(), "call_now", text(10)));
  }
  return messages;
}

function randomOptions(rand: () => number): ContextOptions {
  const share = () => Math.floor(rand() * 600);
  const budget = { system: share(), history: share(), retrieved: share(), input: share(), total: 0 };
  budget.total = budget.system + budget.history + budget.retrieved + budget.input + Math.floor(rand() * 200);
  return {
    strategy: STRATEGIES[Math.floor(rand() * STRATEGIES.length)]!,
    budget,
    windowTurns: Math.floor(rand() * 8),
    summariseAt: 0.3 + rand() * 0.7,
    retrieveK: Math.floor(rand() * 6),
  };
}

describe("assembly invariants under random trims", () => {
  it("never exceeds the budget, never splits tool pairs, always keeps the current turn", async () => {
    const rand = prng(20240601);
    let assembled = 0;
    for (let round = 0; round < 400; round++) {
      const messages = randomThread(rand);
      const options = randomOptions(rand);
      const recall = new FakeRecall();
      recall.add("t1", messages);
      const lastUser = messages.findLastIndex((m) => m.type === "human");
      let context;
      try {
        context = await assembleContext({
          systemPrompt: "You are a banking assistant.",
          messages,
          summary: rand() < 0.5 ? "The user has a dog called Biscuit." : undefined,
          scope: SCOPE,
          threadId: "t1",
          recall,
          counter,
          options,
        });
      } catch (err) {
        // Only two legitimate refusals: the fixed parts alone do not fit, or `full` cannot fit everything.
        expect(err).toBeInstanceOf(InvalidInputError);
        expect((err as Error).message).toMatch(/exceed the total budget|strategy "full" needs/);
        continue;
      }
      assembled++;
      const sent = context.messages;
      expect(context.tokens.total).toBe(counter.countMessages(sent));
      expect(context.tokens.total).toBeLessThanOrEqual(options.budget.total);
      expect(providerViolation(sent.slice(1)), `round ${round}`).toBeUndefined();
      const sentIds = sent.map((m) => m.id);
      expect(sentIds).toContain(messages[lastUser]!.id);
      // The current turn is sent whole, except messages that are provider-invalid anyway.
      const dropped = new Set(context.dropped.map((d) => d.id));
      const current = messages.slice(lastUser).filter((m) => !dropped.has(m.id)).map((m) => m.id);
      expect(sentIds.slice(-current.length)).toEqual(current);
      if (options.strategy !== "full") {
        expect(context.tokens.summary + context.tokens.history).toBeLessThanOrEqual(options.budget.history);
      }
    }
    expect(assembled).toBeGreaterThan(200);
  });
});
