import { beforeEach, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { ConfigurationError, InvalidInputError } from "../../src/errors.js";
import { ThreadlineStore, storeMigrations } from "../../src/store/index.js";
import { describeBackends } from "../helpers/db.js";

describeBackends("ThreadlineStore", (db) => {
  let store: ThreadlineStore;

  beforeEach(async () => {
    await migrate(db(), [storeMigrations]);
    store = new ThreadlineStore(db());
  });

  async function rows() {
    const { rows } = await db().pool.query<{ namespace: string; key: string }>(
      "SELECT namespace, key FROM store_items ORDER BY namespace, key",
    );
    return rows.map((r) => `${r.namespace}/${r.key}`);
  }

  it("puts, gets, overwrites and deletes an item", async () => {
    expect(await store.get(["users", "ada"], "prefs")).toBeNull();
    await store.put(["users", "ada"], "prefs", { theme: "dark" });
    const first = await store.get(["users", "ada"], "prefs");
    expect(first).toMatchObject({ namespace: ["users", "ada"], key: "prefs", value: { theme: "dark" } });
    expect(first!.createdAt).toBeInstanceOf(Date);
    await store.put(["users", "ada"], "prefs", { theme: "light" });
    const second = await store.get(["users", "ada"], "prefs");
    expect(second!.value).toEqual({ theme: "light" });
    expect(second!.createdAt).toEqual(first!.createdAt);
    expect(second!.updatedAt.getTime()).toBeGreaterThanOrEqual(first!.updatedAt.getTime());
    expect(await rows()).toEqual(["users.ada/prefs"]);
    await store.delete(["users", "ada"], "prefs");
    expect(await store.get(["users", "ada"], "prefs")).toBeNull();
    expect(await rows()).toEqual([]);
    await store.delete(["users", "ada"], "never-there");
  });

  it("round-trips nested JSON and unicode exactly", async () => {
    const value = {
      text: "Zoë 🙂 — 東京 «quotes» \"double\" 'single' back\\slash\nnew line",
      nested: { list: [1, 2.5, -3e-7, true, false, null, { deep: ["x", { deeper: [] }] }], empty: {} },
      big: 12345678901234567890,
    };
    await store.put(["docs", "ünïcödé"], "kéy ✓", value);
    const got = await store.get(["docs", "ünïcödé"], "kéy ✓");
    expect(got!.value).toEqual(value);
    expect(got!.namespace).toEqual(["docs", "ünïcödé"]);
  });

  it("in one batch: reads see the store before its writes, the last write to an item wins", async () => {
    await store.put(["b"], "k", { v: 0 });
    const results = await store.batch([
      { namespace: ["b"], key: "k", value: { v: 1 } },
      { namespace: ["b"], key: "k" },
      { namespace: ["b"], key: "k", value: { v: 2 } },
      { namespace: ["b"], key: "gone", value: null },
      { namespacePrefix: ["b"], limit: 10, offset: 0 },
    ]);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toMatchObject({ value: { v: 0 } });
    expect((results[4] as unknown as { value: unknown }[]).map((i) => i.value)).toEqual([{ v: 0 }]);
    expect((await store.get(["b"], "k"))!.value).toEqual({ v: 2 });
  });

  it("searches under a namespace prefix, not beside it", async () => {
    await store.put(["docs"], "root", { n: 0 });
    await store.put(["docs", "a"], "1", { n: 1 });
    await store.put(["docs", "a", "deep"], "2", { n: 2 });
    await store.put(["docs", "ab"], "3", { n: 3 });
    await store.put(["docsx"], "4", { n: 4 });
    const keys = async (prefix: string[]) => (await store.search(prefix, { limit: 50 })).map((i) => i.key).sort();
    expect(await keys(["docs", "a"])).toEqual(["1", "2"]);
    expect(await keys(["docs"])).toEqual(["1", "2", "3", "root"]);
    expect(await keys([])).toEqual(["1", "2", "3", "4", "root"]);
  });

  it("filters by containment and by $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin", async () => {
    await store.put(["f"], "a", { color: "red", score: 4.5, tags: ["x", "y"], meta: { lang: "en", v: 1 }, name: "alpha" });
    await store.put(["f"], "b", { color: "blue", score: 5, tags: ["y"], meta: { lang: "de" }, name: "beta" });
    await store.put(["f"], "c", { color: "red", score: 3, name: "gamma" });
    await store.put(["f"], "d", { color: "green", score: "5", name: "delta" });
    const keys = async (filter: Record<string, unknown>) => (await store.search(["f"], { filter })).map((i) => i.key).sort();
    expect(await keys({ color: "red" })).toEqual(["a", "c"]);
    expect(await keys({ color: "red", score: 3 })).toEqual(["c"]);
    expect(await keys({ tags: ["y"] })).toEqual(["a", "b"]);
    expect(await keys({ meta: { lang: "en" } })).toEqual(["a"]);
    expect(await keys({ score: { $eq: 5 } })).toEqual(["b"]);
    expect(await keys({ score: { $ne: 5 } })).toEqual(["a", "c", "d"]);
    expect(await keys({ score: { $gt: 4.5 } })).toEqual(["b"]);
    expect(await keys({ score: { $gte: 4.5 } })).toEqual(["a", "b"]);
    expect(await keys({ score: { $lt: 4.5 } })).toEqual(["c"]);
    expect(await keys({ score: { $lte: 4.5, $gt: 3 } })).toEqual(["a"]);
    expect(await keys({ name: { $gt: "beta" } })).toEqual(["c", "d"]);
    expect(await keys({ color: { $in: ["green", "blue"] } })).toEqual(["b", "d"]);
    expect(await keys({ color: { $nin: ["red"] } })).toEqual(["b", "d"]);
    expect(await keys({ missing: { $ne: 1 } })).toEqual(["a", "b", "c", "d"]);
    expect(await keys({ missing: 1 })).toEqual([]);
  });

  it("refuses a filter it cannot run, before any SQL", async () => {
    await expect(store.search(["f"], { filter: { score: { $gt: 1, $regex: "x" } } })).rejects.toThrow(InvalidInputError);
    await expect(store.search(["f"], { filter: { $or: [] } })).rejects.toThrow(/operators go inside it/);
    await expect(store.search(["f"], { filter: { score: { $gt: { a: 1 } } } })).rejects.toThrow(/compares numbers or strings/);
    await expect(store.search(["f"], { filter: { color: { $in: "red" } } })).rejects.toThrow(/takes a list/);
    // Key names reach SQL only as parameters.
    await store.put(["f"], "q", { "it's": "x'); DROP TABLE store_items; --" });
    expect((await store.search(["f"], { filter: { "it's": "x'); DROP TABLE store_items; --" } })).map((i) => i.key)).toEqual(["q"]);
  });

  it("pages through results, most recently updated first", async () => {
    for (let i = 0; i < 7; i++) await store.put(["p"], `k${i}`, { i });
    await store.put(["p"], "k0", { i: 0, touched: true });
    const all = await store.search(["p"], { limit: 50 });
    expect(all.map((i) => i.key).sort()).toEqual(["k0", "k1", "k2", "k3", "k4", "k5", "k6"]);
    expect(all[0]!.key).toBe("k0");
    const times = all.map((i) => i.updatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const page = async (limit: number, offset: number) => (await store.search(["p"], { limit, offset })).map((i) => i.key);
    const pages = [await page(3, 0), await page(3, 3), await page(3, 6), await page(3, 9)];
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1, 0]);
    expect(pages.flat()).toEqual(all.map((i) => i.key));
    expect(await store.search(["p"])).toHaveLength(7);
    await expect(store.search(["p"], { limit: -1 })).rejects.toThrow(/limit must be a non-negative integer/);
  });

  it("ranks a text query over the value's text, with a score", async () => {
    await store.put(["m"], "peanuts", { text: "Ada is allergic to peanuts", kind: "health" });
    await store.put(["m"], "cello", { text: "Ada signed up for cello lessons" });
    await store.put(["m"], "both", { note: { body: "peanut butter before cello practice" } });
    await store.put(["m"], "none", { text: "nothing relevant" });
    // Every word matches the first; the second shares one.
    const hits = await store.search(["m"], { query: "allergic to peanuts" });
    expect(hits.map((h) => h.key)).toEqual(["peanuts", "both"]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score!);
    const filtered = await store.search(["m"], { query: "cello", filter: { text: { $ne: "x" } } });
    expect(filtered.map((h) => h.key).sort()).toEqual(["both", "cello"]);
    expect((await store.search(["m"], { filter: { kind: "health" } }))[0]!.score).toBeUndefined();
  });

  it("lists namespaces with prefix, suffix, wildcards, maxDepth and pages", async () => {
    for (const ns of [["a", "b", "c"], ["a", "b", "d"], ["a", "e"], ["x", "b", "c"], ["x"], ["a", "b", "c", "v1"]]) {
      await store.put(ns, "k", { ns });
    }
    expect(await store.listNamespaces()).toEqual([["a", "b", "c"], ["a", "b", "c", "v1"], ["a", "b", "d"], ["a", "e"], ["x"], ["x", "b", "c"]]);
    expect(await store.listNamespaces({ prefix: ["a", "b"] })).toEqual([["a", "b", "c"], ["a", "b", "c", "v1"], ["a", "b", "d"]]);
    expect(await store.listNamespaces({ suffix: ["b", "c"] })).toEqual([["a", "b", "c"], ["x", "b", "c"]]);
    expect(await store.listNamespaces({ prefix: ["*", "b"] })).toEqual([["a", "b", "c"], ["a", "b", "c", "v1"], ["a", "b", "d"], ["x", "b", "c"]]);
    expect(await store.listNamespaces({ prefix: ["a"], suffix: ["*", "c"] })).toEqual([["a", "b", "c"]]);
    expect(await store.listNamespaces({ maxDepth: 2 })).toEqual([["a", "b"], ["a", "e"], ["x"], ["x", "b"]]);
    expect(await store.listNamespaces({ prefix: ["a"], maxDepth: 1 })).toEqual([["a"]]);
    expect(await store.listNamespaces({ limit: 2, offset: 1 })).toEqual([["a", "b", "c", "v1"], ["a", "b", "d"]]);
    expect(await store.listNamespaces({ prefix: ["nope"] })).toEqual([]);
  });

  it("refuses namespaces, keys and values it cannot store", async () => {
    await expect(store.put([], "k", { a: 1 })).rejects.toThrow();
    await expect(store.batch([{ namespace: ["a.b"], key: "k", value: { a: 1 } }])).rejects.toThrow(InvalidInputError);
    await expect(store.batch([{ namespace: ["a"], key: "", value: { a: 1 } }])).rejects.toThrow(/non-empty string/);
    await expect(store.batch([{ namespace: ["a"], key: "k", value: [1] as never }])).rejects.toThrow(/must be an object/);
    expect(await rows()).toEqual([]);
  });

  it("without its migration, says how to apply it", async () => {
    await db().pool.query("DROP TABLE store_items");
    await expect(store.get(["a"], "k")).rejects.toThrow(ConfigurationError);
    await expect(store.get(["a"], "k")).rejects.toThrow(/apply storeMigrations at start-up/);
  });
});
