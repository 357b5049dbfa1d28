import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { expect, it, vi } from "vitest";
import { createMemory, RecallStore, type MemoryScope } from "../../src/memory/index.js";
import { assembleContext, createTokenCounter, DEFAULT_CONTEXT_OPTIONS } from "../../src/window/index.js";
import { describeBackends } from "../helpers/db.js";
import { FakeEmbeddings } from "./fake-embeddings.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };
// What the deterministic embedder takes as one concept: words no stemmer joins.
const CONCEPTS = { kitten: "pet", cat: "pet", pet: "pet", creature: "pet", household: "home", home: "home", flat: "home" };
const START = Date.parse("2024-03-01T09:00:00Z");

/** A provider that fails while `down` is set. */
class FlakyEmbeddings implements EmbeddingsInterface {
  down = true;
  constructor(private readonly inner: FakeEmbeddings) {}
  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.down) throw new Error("embeddings service unavailable");
    return this.inner.embedDocuments(texts);
  }
  async embedQuery(text: string): Promise<number[]> {
    if (this.down) throw new Error("embeddings service unavailable");
    return this.inner.embedQuery(text);
  }
}

async function fill(recall: RecallStore): Promise<void> {
  const turns: [string, string][] = [
    ["user", "We adopted a kitten last week, she is called Basil."],
    ["assistant", "Basil is a lovely name. How is she settling in?"],
    ["user", "The weather in Porto was lovely for the whole trip."],
    ["assistant", "Porto in spring is hard to beat."],
    ["user", "My new name badge at work has a typo in it."],
    ["assistant", "Ask facilities for a reprint; it is usually quick."],
  ];
  for (const [i, [role, content]] of turns.entries()) {
    const message = role === "user" ? new HumanMessage({ id: `m${i}`, content }) : new AIMessage({ id: `m${i}`, content });
    await recall.append(ada, "t1", [message], { createdAt: new Date(START + i * 60_000) });
  }
}

describeBackends("recall memory with embeddings", (db, backend) => {
  it("embeds user and assistant messages as they are recorded, unit-length, and nothing else", async () => {
    const embeddings = new FakeEmbeddings(32, CONCEPTS);
    const memory = await createMemory(db(), { embeddings });
    expect(memory.recall.semantic).toBe(true);
    await memory.recall.append(ada, "t1", [
      new SystemMessage({ id: "s", content: "be kind" }),
      new HumanMessage({ id: "u", content: "our kitten" }),
      new AIMessage({ id: "a", content: "", tool_calls: [{ id: "c1", name: "lookup", args: {} }] }),
      new ToolMessage({ id: "t", content: "result", tool_call_id: "c1" }),
      new AIMessage({ id: "b", content: "A kitten!" }),
    ]);
    expect(embeddings.calls).toBe(1);
    const { rows } = await db().pool.query<{ id: string; dims: number | null; norm: number | null; bits: string | null; signs: string | null }>(
      `SELECT message_id AS id, cardinality(embedding) AS dims,
              (SELECT sqrt(sum(x::float8 * x::float8)) FROM unnest(embedding) AS x) AS norm,
              embedding_sketch::text AS bits,
              (SELECT string_agg(CASE WHEN x > 0 THEN '1' ELSE '0' END, '' ORDER BY i) FROM unnest(embedding) WITH ORDINALITY AS u(x, i)) AS signs
         FROM memory_messages ORDER BY seq`,
    );
    expect(rows.map((r) => [r.id, r.dims])).toEqual([["s", null], ["u", 32], ["a", null], ["t", null], ["b", 32]]);
    // The sign bits that pick a search's candidates are the embedding's own.
    for (const r of rows) expect(r.bits).toBe(r.signs);
    for (const r of rows) if (r.norm !== null) expect(r.norm).toBeCloseTo(1, 5);
  });

  it("finds by meaning a message that shares no word with the question, fused with BM25 in one statement", async () => {
    const memory = await createMemory(db(), { embeddings: new FakeEmbeddings(256, CONCEPTS) });
    await fill(memory.recall);
    const question = "little creature household";
    const words = await memory.recall.relevant(ada, { text: "little creature household called" });
    expect(words.map((h) => h.id)).toEqual(["m0"]);
    // "called" alone found it above; without that word, words find nothing and meaning still does.
    expect(await memory.recall.relevant(ada, { text: "little creature household" })).toEqual([]);
    const statements = vi.spyOn(db().pool, "query");
    const hits = await memory.recall.relevant(ada, { text: "little creature household", similarTo: question, neighbours: true, limit: 3 });
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    expect(hits[0]).toMatchObject({ id: "m0", content: "We adopted a kitten last week, she is called Basil." });
    expect(hits[0]!.after).toMatchObject({ id: "m1" });
    expect(hits.length).toBeLessThanOrEqual(3);
    // A message both rankings hold comes before one only meaning holds.
    const both = await memory.recall.relevant(ada, { text: "basil", similarTo: "kitten" });
    expect(both.map((h) => h.id)).toEqual(["m0", "m1"]);
    expect(both[0]!.rank).toBeGreaterThan(both[1]!.rank);
    // Left-out messages stay out of both rankings.
    expect((await memory.recall.relevant(ada, { text: "name", similarTo: "kitten", excludeIds: ["m0", "m1"] })).map((h) => h.id)).not.toContain("m0");
  });

  it("searches by words alone without a provider, and ignores embeddings of another size", async () => {
    const memory = await createMemory(db(), { embeddings: new FakeEmbeddings(256, CONCEPTS) });
    await fill(memory.recall);
    const plain = new RecallStore(db());
    expect(plain.semantic).toBe(false);
    expect(await plain.relevant(ada, { text: "little creature household", similarTo: "little creature household" })).toEqual([]);
    const resized = new RecallStore(db(), { embeddings: new FakeEmbeddings(16, CONCEPTS) });
    expect(await resized.relevant(ada, { text: "little creature household", similarTo: "little creature household" })).toEqual([]);
  });

  it("records messages while the provider is down, searches by words, and embeds them once it answers", async () => {
    const flaky = new FlakyEmbeddings(new FakeEmbeddings(256, CONCEPTS));
    const errors: unknown[] = [];
    await createMemory(db());
    const recall = new RecallStore(db(), { embeddings: flaky, onEmbeddingError: (err) => errors.push(err) });
    const messages = [new HumanMessage({ id: "k", content: "We adopted a kitten." }), new AIMessage({ id: "r", content: "Congratulations!" })];
    expect(await recall.append(ada, "t1", messages)).toBe(2);
    expect(errors).toHaveLength(1);
    const embedded = async () =>
      (await db().pool.query<{ n: number }>("SELECT count(embedding)::int AS n FROM memory_messages")).rows[0]!.n;
    expect(await embedded()).toBe(0);
    expect((await recall.relevant(ada, { text: "kitten", similarTo: "our pet" })).map((h) => h.id)).toEqual(["k"]);
    expect(errors).toHaveLength(2);
    flaky.down = false;
    // Recording again catches the scope up first, so nothing is left to change.
    expect(await recall.append(ada, "t1", messages)).toBe(0);
    expect(await embedded()).toBe(2);
    expect((await recall.relevant(ada, { text: "animal", similarTo: "our pet" })).map((h) => h.id)).toEqual(["k"]);

    // Messages recorded during an outage are embedded when the scope next records, once it answers.
    flaky.down = true;
    await recall.append(ada, "t2", [new HumanMessage({ id: "cat", content: "The cat sleeps all day." }), new AIMessage({ id: "r2", content: "Cats do." })]);
    await recall.append(bob, "t3", [new HumanMessage({ id: "bob", content: "Bob's kitten" })]);
    expect(await embedded()).toBe(2);
    flaky.down = false;
    await recall.append(ada, "t2", [new HumanMessage({ id: "later", content: "Anyway." })]);
    const { rows } = await db().pool.query<{ id: string }>("SELECT message_id AS id FROM memory_messages WHERE embedding IS NULL ORDER BY 1");
    expect(rows.map((r) => r.id)).toEqual(["bob"]);
    expect((await recall.relevant(ada, { text: "zzz", similarTo: "pet" })).map((h) => h.id)).toEqual(expect.arrayContaining(["k", "cat"]));
  });

  it("embeds what was recorded before a provider was configured, on the scope's first recording with one", async () => {
    await createMemory(db());
    await new RecallStore(db()).append(ada, "t1", [new HumanMessage({ id: "old", content: "We adopted a kitten." }), new AIMessage({ id: "r", content: "Lovely." })]);
    const recall = new RecallStore(db(), { embeddings: new FakeEmbeddings(256, CONCEPTS) });
    await recall.append(ada, "t2", [new HumanMessage({ id: "new", content: "Hello again." })]);
    const { rows } = await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM memory_messages WHERE embedding IS NULL");
    expect(rows[0]!.n).toBe(0);
    expect((await recall.relevant(ada, { text: "zzz", similarTo: "our pet" })).map((h) => h.id)).toEqual(["old"]);
  });

  it("marks a message the provider refuses, so no later step asks for it again", async () => {
    await createMemory(db());
    const inner = new FakeEmbeddings(64, CONCEPTS);
    const asked: string[][] = [];
    const picky: EmbeddingsInterface = {
      embedDocuments: async (texts) => {
        asked.push(texts);
        if (texts.some((t) => t.includes("POISON"))) throw new Error("input too long");
        return inner.embedDocuments(texts);
      },
      embedQuery: (text) => inner.embedQuery(text),
    };
    await new RecallStore(db()).append(ada, "t1", [new HumanMessage({ id: "bad", content: "POISON" }), new HumanMessage({ id: "ok", content: "a kitten" })]);
    const errors: unknown[] = [];
    const recall = new RecallStore(db(), { embeddings: picky, onEmbeddingError: (err) => errors.push(err) });
    await recall.append(ada, "t1", [new HumanMessage({ id: "n1", content: "one" })]);
    await recall.append(ada, "t1", [new HumanMessage({ id: "n2", content: "two" })]);
    expect(asked.filter((batch) => batch.includes("POISON"))).toHaveLength(2);
    expect(errors).toEqual([]);
    const { rows } = await db().pool.query<{ id: string; dims: number | null; bits: string | null }>(
      "SELECT message_id AS id, cardinality(embedding) AS dims, embedding_sketch::text AS bits FROM memory_messages ORDER BY message_id",
    );
    expect(rows.map((r) => [r.id, r.dims, r.bits?.length])).toEqual([["bad", null, 0], ["n1", 64, 64], ["n2", 64, 64], ["ok", 64, 64]]);
  });

  it("warns once per outage of the provider when no handler is given", async () => {
    await createMemory(db());
    const flaky = new FlakyEmbeddings(new FakeEmbeddings(64, CONCEPTS));
    const recall = new RecallStore(db(), { embeddings: flaky });
    const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      await recall.append(ada, "t1", [new HumanMessage({ id: "a", content: "one" })]);
      await recall.relevant(ada, { text: "one", similarTo: "one" });
      expect(warnings).toHaveBeenCalledTimes(1);
      expect(String(warnings.mock.calls[0]![0])).toMatch(/embeddings provider failed \(embeddings service unavailable\)/);
      flaky.down = false;
      await recall.append(ada, "t1", [new HumanMessage({ id: "b", content: "two" })]);
      flaky.down = true;
      await recall.append(ada, "t1", [new HumanMessage({ id: "c", content: "three" })]);
      expect(warnings).toHaveBeenCalledTimes(2);
    } finally {
      warnings.mockRestore();
    }
  });

  it("gives a changed message a new embedding", async () => {
    await createMemory(db());
    const recall = new RecallStore(db(), { embeddings: new FakeEmbeddings(256, CONCEPTS) });
    await recall.append(ada, "t1", [new AIMessage({ id: "x", content: "Porto weather" })]);
    await recall.append(ada, "t1", [new AIMessage({ id: "x", content: "a kitten" })]);
    expect((await recall.relevant(ada, { text: "zzz", similarTo: "pet" })).map((h) => h.id)).toEqual(["x"]);
    const { rows } = await db().pool.query<{ content: string }>("SELECT content FROM memory_messages");
    expect(rows).toEqual([{ content: "a kitten" }]);
  });

  it.runIf(backend === "pglite")("ranks the same through pgvector and the exact fallback", async () => {
    const embeddings = new FakeEmbeddings(256, CONCEPTS);
    const viaPgvector = await createMemory(db(), { embeddings, vector: "pgvector" });
    await fill(viaPgvector.recall);
    const exact = new RecallStore(db(), { embeddings, vectorMode: "exact" });
    const query = { text: "name porto", similarTo: "the pet's name and the trip", limit: 6 };
    const a = await viaPgvector.recall.relevant(ada, query);
    const b = await exact.relevant(ada, query);
    expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
    expect(a.length).toBeGreaterThanOrEqual(4);
  });

  it("puts what the question means into the context, as hybrid assembles it", async () => {
    await createMemory(db());
    const recall = new RecallStore(db(), { embeddings: new FakeEmbeddings(256, CONCEPTS) });
    await fill(recall);
    const context = await assembleContext({
      systemPrompt: "You are helpful.",
      messages: [new HumanMessage({ id: "q", content: "Anything about the little creature in our household?" })],
      scope: ada,
      threadId: "t2",
      recall,
      counter: createTokenCounter("gpt-4o"),
      options: { ...DEFAULT_CONTEXT_OPTIONS, strategy: "hybrid" },
    });
    expect(context.includedIds).toContain("m0");
    const words = await assembleContext({
      systemPrompt: "You are helpful.",
      messages: [new HumanMessage({ id: "q", content: "Anything about the little creature in our household?" })],
      scope: ada,
      threadId: "t2",
      recall: new RecallStore(db()),
      counter: createTokenCounter("gpt-4o"),
      options: { ...DEFAULT_CONTEXT_OPTIONS, strategy: "hybrid" },
    });
    expect(words.includedIds).not.toContain("m0");
  });
});
