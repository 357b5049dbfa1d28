import { beforeEach, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { ensureVectorSupport } from "../../src/memory/vector.js";
import { ThreadlineStore, storeMigrations } from "../../src/store/index.js";
import { describeBackends } from "../helpers/db.js";
import { embed } from "../fixtures/server/user/src/embed.js";

const embeddings = { embedDocuments: async (texts: string[]) => embed(texts), embedQuery: async (text: string) => embed([text])[0]! };

describeBackends("ThreadlineStore: search by meaning", (db) => {
  let store: ThreadlineStore;

  beforeEach(async () => {
    await migrate(db(), [storeMigrations]);
    store = new ThreadlineStore(db(), { index: { embeddings, fields: ["text"] }, vector: await ensureVectorSupport(db()) });
  });

  it("ranks items by the meaning of their indexed fields, with filters and pages, pgvector or not alike", async () => {
    await store.put(["notes"], "drink", { text: "Ada likes earl grey tea", topic: "food" });
    await store.put(["notes"], "commute", { text: "She takes the railway to work", topic: "travel" });
    await store.put(["notes"], "pet", { text: "A kitten named Moss", topic: "home" });
    await store.put(["notes"], "private", { text: "tea with the queen" }, false);
    const chai = await store.search(["notes"], { query: "chai" });
    expect(chai[0]!.key).toBe("drink");
    expect(chai[0]!.score).toBeGreaterThan(0.9);
    expect(chai.map((i) => i.key)).not.toContain("private");
    expect((await store.search(["notes"], { query: "locomotive" }))[0]!.key).toBe("commute");
    expect((await store.search(["notes"], { query: "feline", filter: { topic: "travel" } })).map((i) => i.key)).toEqual(["commute"]);
    expect((await store.search(["notes"], { query: "feline", limit: 1, offset: 1 })).map((i) => i.key)).toHaveLength(1);
    // Without a query, search lists as before, indexed or not.
    expect((await store.search(["notes"])).map((i) => i.key).sort()).toEqual(["commute", "drink", "pet", "private"]);
    // An item put again is embedded again.
    await store.put(["notes"], "drink", { text: "Ada takes the train", topic: "food" });
    expect((await store.search(["notes"], { query: "rail", limit: 2 })).map((i) => i.key).sort()).toEqual(["commute", "drink"]);
  });

  it("embeds the whole value by default, and a put's own fields when it names them", async () => {
    const whole = new ThreadlineStore(db(), { index: { embeddings }, vector: await ensureVectorSupport(db()) });
    await whole.put(["w"], "a", { title: "Storm warning", body: "bring an umbrella" });
    await whole.put(["w"], "b", { title: "Tea time", body: "matcha at four" }, ["title"]);
    expect((await whole.search(["w"], { query: "drizzle" }))[0]!.key).toBe("a");
    expect((await whole.search(["w"], { query: "chai" }))[0]!.key).toBe("b");
    const { rows } = await db().pool.query<{ key: string; n: number }>("SELECT key, cardinality(embedding) AS n FROM store_items ORDER BY key");
    expect(rows).toEqual([{ key: "a", n: 5 }, { key: "b", n: 5 }]);
  });
});
