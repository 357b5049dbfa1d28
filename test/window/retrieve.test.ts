import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { createMemory, type MemoryScope } from "../../src/memory/index.js";
import { assembleContext, createQueryRewriter, createTokenCounter, DEFAULT_CONTEXT_OPTIONS } from "../../src/window/index.js";
import { namesIn } from "../../src/window/retrieve.js";
import { describeBackends } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const START = Date.parse("2024-01-08T18:00:00Z");

describe("namesIn", () => {
  it("finds capitalised words inside sentences and a first word in apposition, not titles, days or sentence starts", () => {
    expect(namesIn("Lunch with my brother Tariq today, he always makes me laugh.")).toEqual(["tariq"]);
    expect(namesIn("Saoirse, our next-door neighbour, talked me into a bike ride.")).toEqual(["saoirse"]);
    expect(namesIn("Guess who won? Saoirse, and she will never let us forget it.")).toEqual([]);
    expect(namesIn("I met Mrs Lindqvist on Monday in March. I'm glad.")).toEqual(["lindqvist"]);
    expect(namesIn("Okay, so Essaouira was windy.\nDolly Parton's on again")).toEqual(["essaouira", "parton"]);
    expect(namesIn("nothing capitalised here")).toEqual([]);
  });
});

describeBackends("retrieval over recall memory", (db) => {
  // The early turns, then filler, then the late ones, in one old thread.
  const context = async (question: string, early: [string, string][], late: [string, string][]) => {
    const memory = await createMemory(db());
    const filler: [string, string][] = Array.from({ length: 30 }, (_, i) => [
      i % 2 ? "assistant" : "user",
      i % 2 ? `Noted, item ${i} of the list.` : `Another ordinary day number ${i}, work and the gym.`,
    ]);
    for (const [i, [role, content]] of [...early, ...filler, ...late].entries()) {
      const message: BaseMessage = role === "user" ? new HumanMessage({ id: `m${i}`, content }) : new AIMessage({ id: `m${i}`, content });
      await memory.recall.append(ada, "old", [message], { createdAt: new Date(START + i * 60_000) });
    }
    const assembled = await assembleContext({
      systemPrompt: "You are helpful.",
      messages: [new HumanMessage({ id: "q", content: question })],
      scope: ada,
      threadId: "new",
      recall: memory.recall,
      counter: createTokenCounter("gpt-4o"),
      options: { ...DEFAULT_CONTEXT_OPTIONS, strategy: "retrieval" },
    });
    const system = String(assembled.messages[0]!.content);
    return { ids: assembled.includedIds, system };
  };

  it("follows a name from the hit that says who someone is to the message about them", async () => {
    const { system } = await context(
      "What did my brother call the newborn?",
      [
        ["user", "Lunch today at the noodle bar near the office, spicy dumplings and green tea, with my brother Tariq."],
        ["assistant", "Lovely, siblings are the best company."],
      ],
      [
        ["user", "Big news: Tariq had the baby! A little girl, Wren."],
        ["assistant", "Congratulations to the whole family!"],
      ],
    );
    expect(system).toContain("with my brother Tariq");
    expect(system).toContain("A little girl, Wren");
  });

  it("brings the user's next message when the story goes on past the reply", async () => {
    const { system } = await context("What was causing the clunking?", [], [
      ["user", "Mystery of the clunking: solved."],
      ["assistant", "What was it, then?"],
      ["user", "A bent wiper arm tapping the windscreen. Expensive diagnostics."],
    ]);
    const lines = system.split("\n");
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at("Mystery of the clunking")).toBeGreaterThan(-1);
    expect(at("A bent wiper arm")).toBeGreaterThan(at("What was it, then?"));
    expect(at("What was it, then?")).toBeGreaterThan(at("Mystery of the clunking"));
  });
});

describeBackends("retrieval with a query rewrite", (db) => {
  const setup = async () => {
    const memory = await createMemory(db());
    const turns: [string, string][] = [
      ["user", "We adopted a kitten last week, she is called Basil."],
      ["assistant", "Lovely! How is she settling in?"],
      ["user", "The weather in Porto was lovely for the whole trip."],
    ];
    for (const [i, [role, content]] of turns.entries()) {
      const message = role === "user" ? new HumanMessage({ id: `m${i}`, content }) : new AIMessage({ id: `m${i}`, content });
      await memory.recall.append(ada, "old", [message], { createdAt: new Date(START + i * 60_000) });
    }
    const asked: string[] = [];
    const assemble = (rewriteQuery: boolean, rewrite: (text: string) => Promise<string>) =>
      assembleContext({
        systemPrompt: "You are helpful.",
        messages: [new HumanMessage({ id: "q", content: "How is the little creature doing?" })],
        scope: ada,
        threadId: "new",
        recall: memory.recall,
        counter: createTokenCounter("gpt-4o"),
        options: { ...DEFAULT_CONTEXT_OPTIONS, strategy: "hybrid", rewriteQuery },
        rewrite: async (text) => {
          asked.push(text);
          return rewrite(text);
        },
      });
    return { assemble, asked };
  };

  it("searches with the words the model adds, and only when asked to", async () => {
    const { assemble, asked } = await setup();
    expect((await assemble(false, async () => "kitten pet")).includedIds).not.toContain("m0");
    expect(asked).toEqual([]);
    const rewritten = await assemble(true, async () => "creature pet kitten cat puppy");
    expect(asked).toEqual(["How is the little creature doing?"]);
    expect(rewritten.retrievedIds).toContain("m0");
  });

  it("goes on by the user's own words when the rewrite fails", async () => {
    const { assemble } = await setup();
    const context = await assemble(true, async () => {
      throw new Error("model unavailable");
    });
    expect(context.retrievedIds).toEqual([]);
    expect(context.messages.at(-1)!.text).toBe("How is the little creature doing?");
  });
});

describe("createQueryRewriter", () => {
  it("asks the model for search words and keeps one trimmed line", async () => {
    const seen: BaseMessage[][] = [];
    const rewrite = createQueryRewriter({
      invoke: async (messages) => {
        seen.push(messages);
        return { content: [{ type: "text", text: "  kitten\n cat   pet " }] };
      },
    });
    expect(await rewrite("How is the little creature?")).toBe("kitten cat pet");
    expect(seen[0]!.map((m) => m.type)).toEqual(["system", "human"]);
    expect(seen[0]![1]!.text).toBe("How is the little creature?");
  });

  it("gives up on a model that does not answer in time", async () => {
    const rewrite = createQueryRewriter(
      {
        invoke: (_messages, options) =>
          new Promise((_resolve, reject) => options?.signal?.addEventListener("abort", () => reject(options.signal!.reason))),
      },
      50,
    );
    const started = performance.now();
    await expect(rewrite("anything")).rejects.toThrow(/timed? ?out|abort/i);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
