import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { serverPerTest } from "./helpers.js";

describeBackends("server: the store through the SDK", (db) => {
  const start = serverPerTest(db);

  it("puts, gets, searches, lists namespaces and deletes items", async () => {
    const s = await start();
    const { store } = s.client;
    await store.putItem(["users", "ada", "prefs"], "food", { likes: "tea", rating: 5 });
    await store.putItem(["users", "ada", "prefs"], "travel", { likes: "trains", rating: 3 });
    await store.putItem(["users", "bob", "prefs"], "food", { likes: "coffee", rating: 4 });
    const item = await store.getItem(["users", "ada", "prefs"], "food");
    expect(item).toMatchObject({ namespace: ["users", "ada", "prefs"], key: "food", value: { likes: "tea", rating: 5 } });
    expect(item!.createdAt).toMatch(/^\d{4}-/);
    expect(await store.getItem(["users", "ada", "prefs"], "nope")).toBeNull();
    expect((await store.searchItems(["users", "ada"])).items.map((i) => i.key).sort()).toEqual(["food", "travel"]);
    expect((await store.searchItems(["users"], { filter: { rating: { $gte: 4 } } })).items.map((i) => i.value.likes).sort()).toEqual(["coffee", "tea"]);
    expect((await store.searchItems(["users"], { query: "trains" })).items.map((i) => i.key)).toEqual(["travel"]);
    expect((await store.searchItems(["users"], { limit: 1, offset: 1 })).items).toHaveLength(1);
    expect((await store.listNamespaces({ prefix: ["users"] })).namespaces).toEqual([["users", "ada", "prefs"], ["users", "bob", "prefs"]]);
    expect((await store.listNamespaces({ suffix: ["prefs"], maxDepth: 2 })).namespaces).toEqual([["users", "ada"], ["users", "bob"]]);
    await store.deleteItem(["users", "ada", "prefs"], "food");
    expect(await store.getItem(["users", "ada", "prefs"], "food")).toBeNull();
    const bad = await fetch(`${s.url}/store/items`, { method: "PUT", body: JSON.stringify({ namespace: ["a.b"], key: "k", value: {} }) });
    expect(bad.status).toBe(422);
  });

  it("expires an item put with a TTL, reads refresh it, and the sweep deletes it", async () => {
    const s = await start();
    const { store } = s.client;
    // 0.01 minutes: 600 ms.
    await store.putItem(["tmp"], "short", { v: 1 }, { ttl: 0.01 });
    await store.putItem(["tmp"], "kept", { v: 2 });
    await new Promise((r) => setTimeout(r, 350));
    expect((await store.getItem(["tmp"], "short"))!.value).toEqual({ v: 1 });
    await new Promise((r) => setTimeout(r, 350));
    // The read above started the TTL again: 700 ms after the put it is still there.
    expect(await store.getItem(["tmp"], "short", { refreshTtl: false })).not.toBeNull();
    await new Promise((r) => setTimeout(r, 700));
    expect(await store.getItem(["tmp"], "short")).toBeNull();
    expect((await store.searchItems(["tmp"])).items.map((i) => i.key)).toEqual(["kept"]);
    expect(await s.core.store.sweepExpired()).toBe(1);
    const { rows } = await s.core.db.pool.query("SELECT key FROM store_items WHERE namespace = 'tmp'");
    expect(rows.map((r) => r.key)).toEqual(["kept"]);
  });
});
