import { resolve } from "node:path";
import { expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { loadProject } from "../../src/graph/project.js";
import { ThreadlineStore, storeMigrations } from "../../src/store/index.js";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { ownSaver, ownStore } from "../fixtures/graphs/store/graph.js";
import { describeBackends } from "../helpers/db.js";

const project = await loadProject(resolve(import.meta.dirname, "../fixtures/graphs/store/langgraph.json"));

describeBackends("a graph compiled with InMemoryStore, run with ThreadlineStore", (db) => {
  it("gets our store through instantiate and remembers across runs and threads", async () => {
    await migrate(db(), [storeMigrations]);
    const checkpointer = await ThreadlineSaver.create(db());
    const loaded = await project.load("memory");

    const first = { configurable: { thread_id: "t1" }, durability: "sync" as const };
    const g1 = await loaded.instantiate(first, { checkpointer, store: new ThreadlineStore(db()) });
    expect(await g1.invoke({ user: "ada", fact: "likes tea" }, first)).toMatchObject({ known: ["likes tea"] });

    // Another run, another thread, a new store object: what the first wrote is in the database.
    const second = { configurable: { thread_id: "t2" }, durability: "sync" as const };
    const g2 = await loaded.instantiate(second, { checkpointer, store: new ThreadlineStore(db()) });
    expect(await g2.invoke({ user: "ada", fact: "allergic to peanuts" }, second)).toMatchObject({
      known: ["allergic to peanuts", "likes tea"],
    });
    await checkpointer.flush();

    const { rows } = await db().pool.query("SELECT namespace, value->>'text' AS text FROM store_items ORDER BY text");
    expect(rows).toEqual([
      { namespace: "facts.ada", text: "allergic to peanuts" },
      { namespace: "facts.ada", text: "likes tea" },
    ]);
    expect((await checkpointer.getTuple(second))?.checkpoint.channel_values).toMatchObject({ known: ["allergic to peanuts", "likes tea"] });
    // The store and saver the module compiled in were never used.
    expect(await ownStore.search(["facts"])).toEqual([]);
    expect(await ownSaver.getTuple(first)).toBeUndefined();
  });
});
