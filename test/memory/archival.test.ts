import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OpenAIEmbeddings } from "@langchain/openai";
import { afterEach, expect, it } from "vitest";
import { ConfigurationError, InvalidInputError } from "../../src/errors.js";
import { createMemory, type MemoryScope } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";
import { FakeEmbeddings } from "./fake-embeddings.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

// "automobile" and "car" share a dimension: a meaning without a shared word.
const synonyms = { automobile: "car", vehicle: "car", sedan: "car" };

const corpus = [
  { content: "Ada's flight to Lisbon leaves on 3 May at 9:40", tags: ["travel"] },
  { content: "Ada drives a red sedan she bought in 2021", tags: ["car", "family"] },
  { content: "The quarterly budget review is due at the end of June", tags: ["work"] },
  { content: "Ada prefers window seats on long flights", tags: ["travel", "preferences"] },
  { content: "Her brother Tom repairs old motorbikes in Porto", tags: ["family"] },
];

describeBackends("archival memory", (db, backend) => {
  it("stores passages with normalised tags and finds them by text, tags and dates", async () => {
    const memory = await createMemory(db());
    for (const [i, p] of corpus.entries()) {
      await memory.archival.insert(ada, p.content, { tags: [...p.tags, " Travel "], createdAt: new Date(Date.UTC(2025, 0, i + 1)) });
    }
    await memory.archival.insert(bob, "Bob's flight to Oslo", { tags: ["travel"] });
    expect(await memory.archival.count(ada)).toBe(5);

    const flights = await memory.archival.search(ada, { query: "flight" });
    expect(flights.map((h) => h.content)).toEqual([corpus[3]!.content, corpus[0]!.content]);
    expect(flights[0]!.tags).toEqual(["travel", "preferences"]);
    expect(flights[0]!.score).toBeGreaterThan(0);

    const family = await memory.archival.search(ada, { query: "Ada OR Tom", tags: ["FAMILY"] });
    expect(family.map((h) => h.content).sort()).toEqual([corpus[1]!.content, corpus[4]!.content].sort());
    const both = await memory.archival.search(ada, { query: "Ada OR Tom", tags: ["family", "car"], tagMatch: "all" });
    expect(both.map((h) => h.content)).toEqual([corpus[1]!.content]);
    const january2 = await memory.archival.search(ada, {
      query: "Ada",
      startDate: new Date("2025-01-02T00:00:00Z"),
      endDate: new Date("2025-01-02T23:59:59Z"),
    });
    expect(january2.map((h) => h.content)).toEqual([corpus[1]!.content]);
    expect((await memory.archival.search(bob, { query: "flight" })).map((h) => h.content)).toEqual(["Bob's flight to Oslo"]);
  });

  it("with embeddings, finds a passage by meaning and fuses vector and text rank", async () => {
    const embeddings = new FakeEmbeddings(64, synonyms);
    const memory = await createMemory(db(), { embeddings });
    for (const p of corpus) await memory.archival.insert(ada, p.content, { tags: p.tags });
    expect(await memory.archival.search(ada, { query: "automobile" }).then((h) => h.length)).toBeGreaterThan(0);
    const [best] = await memory.archival.search(ada, { query: "what automobile", topK: 1 });
    expect(best!.content).toBe(corpus[1]!.content);
    // Text alone knows no "automobile": only the vector path could find it.
    const textOnly = await createMemory(db());
    expect(await textOnly.archival.search(ada, { query: "automobile" })).toEqual([]);
    const fused = await memory.archival.search(ada, { query: "Lisbon flight", topK: 3 });
    expect(fused[0]!.content).toBe(corpus[0]!.content);
    expect(fused[0]!.score).toBeCloseTo(2 / 61, 6);
    expect(fused).toHaveLength(3);
  });

  it("uses pgvector where the extension exists and the exact fallback elsewhere", async () => {
    const memory = await createMemory(db());
    const { rows } = await db().pool.query("SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'");
    expect(memory.archival.vectorMode).toBe(rows[0].n > 0 ? "pgvector" : "exact");
    if (backend === "pglite") expect(memory.archival.vectorMode).toBe("pgvector");
    if (memory.archival.vectorMode === "exact") {
      await expect(createMemory(db(), { vector: "pgvector" })).rejects.toBeInstanceOf(ConfigurationError);
    }
  });

  it.runIf(backend === "pglite")("returns the same results through pgvector and the exact fallback", async () => {
    const embeddings = new FakeEmbeddings(32, synonyms);
    const viaPgvector = await createMemory(db(), { embeddings, vector: "pgvector" });
    const viaExact = await createMemory(db(), { embeddings, vector: "exact", migrate: false });
    expect([viaPgvector.archival.vectorMode, viaExact.archival.vectorMode]).toEqual(["pgvector", "exact"]);
    const words = ["car", "flight", "budget", "sister", "porto", "lisbon", "tea", "coffee", "window", "seat", "red", "june"];
    for (let i = 0; i < 60; i++) {
      const text = Array.from({ length: 2 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" ");
      await viaPgvector.archival.insert(ada, `${text} ${i}`, {
        tags: [words[i % 4]!],
        createdAt: new Date(Date.UTC(2025, 0, 1 + (i % 28))),
      });
    }
    const queries = [
      { query: "car flight", topK: 10 },
      { query: "automobile seat", topK: 25 },
      { query: "coffee OR tea", topK: 50 },
      { query: "budget june", tags: ["car", "flight"], topK: 8 },
      { query: "sister porto", startDate: new Date("2025-01-05T00:00:00Z"), endDate: new Date("2025-01-20T00:00:00Z") },
    ];
    for (const q of queries) {
      const a = await viaPgvector.archival.search(ada, q);
      const b = await viaExact.archival.search(ada, q);
      expect(a.length).toBeGreaterThan(0);
      expect(a.map((h) => [h.id, h.score])).toEqual(b.map((h) => [h.id, h.score]));
    }
  });

  it("stores a passage whose embedding has no direction without one, still found by text", async () => {
    const memory = await createMemory(db(), { embeddings: new FakeEmbeddings(16) });
    const passage = await memory.archival.insert(ada, "!!!");
    const { rows } = await db().pool.query("SELECT embedding FROM memory_passages WHERE id = $1", [passage.id]);
    expect(rows[0].embedding).toBeNull();
    await memory.archival.insert(ada, "plain words here");
    expect((await memory.archival.search(ada, { query: "words" })).map((h) => h.content)).toEqual(["plain words here"]);
  });

  it("rejects empty content and queries, and bad top_k", async () => {
    const memory = await createMemory(db());
    await expect(memory.archival.insert(ada, "  ")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(memory.archival.search(ada, { query: "" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(memory.archival.search(ada, { query: "x", topK: 51 })).rejects.toThrow(/top_k/);
  });

  describeOpenAI(db);
});

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A stand-in for OpenAI's `POST /v1/embeddings`, answering in its format (float or base64). */
async function startEmbeddingsServer(fake: FakeEmbeddings, seen: unknown[]): Promise<string> {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const request = JSON.parse(body) as { input: string | string[]; model: string; encoding_format?: string };
      seen.push({ path: req.url, auth: req.headers.authorization, ...request });
      const inputs = Array.isArray(request.input) ? request.input : [request.input];
      const data = inputs.map((text, index) => {
        const vector = fake.vector(text);
        const embedding =
          request.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding", index, embedding };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data, model: request.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`;
}

function describeOpenAI(db: () => import("../helpers/db.js").TestDatabase) {
  it("works with OpenAIEmbeddings against an OpenAI-compatible endpoint", async () => {
    const seen: Record<string, unknown>[] = [];
    const baseURL = await startEmbeddingsServer(new FakeEmbeddings(48, synonyms), seen);
    const embeddings = new OpenAIEmbeddings({ model: "text-embedding-3-small", apiKey: "test", configuration: { baseURL } });
    const memory = await createMemory(db(), { embeddings });
    for (const p of corpus) await memory.archival.insert(ada, p.content, { tags: p.tags });
    const [best] = await memory.archival.search(ada, { query: "which vehicle", topK: 1 });
    expect(best!.content).toBe(corpus[1]!.content);
    expect(seen).toHaveLength(corpus.length + 1);
    expect(seen[0]).toMatchObject({ path: "/v1/embeddings", auth: "Bearer test", model: "text-embedding-3-small" });
    const { rows } = await db().pool.query("SELECT cardinality(embedding) AS n FROM memory_passages LIMIT 1");
    expect(rows[0].n).toBe(48);
  });
}
