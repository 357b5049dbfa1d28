import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { createMemory, memoryMigrations, RecallStore, rescopeAssistantMemory, type MemoryScope } from "../../src/memory/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

/** The kept statistics, and the same computed from the rows as they are now: they must agree. */
async function statistics(db: TestDatabase) {
  const q = async (sql: string) => (await db.pool.query<{ k: string; n: string }>(sql)).rows.map((r) => `${r.k}=${r.n}`);
  return {
    kept: {
      counts: await q("SELECT assistant_id || '/' || user_id AS k, messages || '/' || passages AS n FROM memory_counts ORDER BY 1"),
      terms: await q("SELECT assistant_id || '/' || user_id || '/' || lexeme AS k, df AS n FROM memory_terms ORDER BY 1"),
    },
    actual: {
      counts: await q(`SELECT k, sum(m) || '/' || sum(p) AS n FROM (
                         SELECT assistant_id || '/' || user_id AS k, count(*) AS m, 0 AS p FROM memory_messages GROUP BY 1
                         UNION ALL SELECT assistant_id || '/' || user_id, 0, count(*) FROM memory_passages GROUP BY 1) c GROUP BY k ORDER BY 1`),
      terms: await q(`SELECT m.assistant_id || '/' || m.user_id || '/' || w AS k, count(*) AS n
                        FROM memory_messages m, unnest(tsvector_to_array(m.tsv)) AS w
                       WHERE m.role IN ('user', 'assistant') GROUP BY 1 ORDER BY 1`),
    },
  };
}

async function expectConsistent(db: TestDatabase): Promise<void> {
  const { kept, actual } = await statistics(db);
  expect(kept).toEqual(actual);
}

describeBackends("memory statistics kept by triggers", (db) => {
  it("agree with the rows through every way memory changes", async () => {
    const memory = await createMemory(db());
    await memory.recall.append(ada, "t1", [
      new SystemMessage({ id: "s", content: "system words are not counted as terms" }),
      new HumanMessage({ id: "h1", content: "My kitten Basil loves the garden" }),
      new AIMessage({ id: "a1", content: "A kitten in a garden!" }),
      new ToolMessage({ id: "t", content: "tool output words", tool_call_id: "c" }),
    ]);
    await memory.recall.append(bob, "t2", [new HumanMessage({ id: "b1", content: "Bob's kitten" })]);
    await expectConsistent(db());
    expect(await memory.recall.count(ada)).toBe(4);
    expect(await memory.stats(ada)).toMatchObject({ recallCount: 4, archivalCount: 0 });

    // A re-run step's reply replaces the abandoned attempt's text.
    await memory.recall.append(ada, "t1", [new AIMessage({ id: "a1", content: "A puppy, then?" })]);
    await memory.recall.recordStep(ada, "t1", [new AIMessage({ id: "a2", content: "garden party" })], { held: [], checkpointId: "c1" });
    await memory.recall.recordStep(ada, "t1", [new AIMessage({ id: "a3", content: "other branch" })], {
      held: [new HumanMessage({ id: "h1", content: "" })],
      checkpointId: "c2",
    });
    await expectConsistent(db());
    await memory.recall.delete(ada, "t1", "h1");
    await memory.archival.insert(ada, "Basil was adopted in May");
    await memory.archival.insert(bob, "Bob's passage");
    await expectConsistent(db());
    expect(await memory.stats(ada)).toMatchObject({ archivalCount: 1 });

    await rescopeAssistantMemory(db(), "agent", "agent-2");
    await expectConsistent(db());
    const moved = { assistantId: "agent-2", userId: "ada" };
    expect(await memory.recall.count(moved)).toBe(4);
    expect(await memory.recall.count(ada)).toBe(0);

    await memory.recall.deleteThread("t2");
    await memory.deleteUser("ada");
    await expectConsistent(db());
    for (const table of ["memory_terms", "memory_counts"]) {
      const { rows } = await db().pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = 'ada'`);
      expect(rows[0].n).toBe(0);
    }
  });

  it("stay right, without deadlocks, when one user's messages are recorded and replaced from many connections at once", async () => {
    const memory = await createMemory(db());
    const words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda sigma".split(" ");
    const some = (seed: number) => words.filter((_, j) => (seed * 7 + j * 3) % 5 < 3).join(" ");
    // Each statement inserts a message and replaces another's text (INSERT and UPDATE triggers), or
    // abandons a row of another branch (DELETE and INSERT).
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 8; i++) {
          await memory.recall.append(ada, `t${w}`, [new HumanMessage({ id: `fixed${i % 2}`, content: some(w + i) }), new AIMessage({ id: `n${i}`, content: some(i) })]);
          await memory.recall.recordStep(ada, `t${w}`, [new AIMessage({ id: `x${i}`, content: some(w * i) })], {
            held: [new HumanMessage({ id: "fixed0", content: "" })],
            checkpointId: `c${i}`,
          });
        }
      }),
    );
    await expectConsistent(db());
  });

  it("are computed from the rows a memory already holds when the migration runs", async () => {
    const before = memoryMigrations.migrations.findIndex((m) => m.name === "memory_statistics");
    await migrate(db(), [{ ...memoryMigrations, migrations: memoryMigrations.migrations.slice(0, before) }]);
    await new RecallStore(db()).append(ada, "t1", [new HumanMessage({ id: "h", content: "an old kitten" }), new AIMessage({ id: "a", content: "old news" })]);
    await db().pool.query("INSERT INTO memory_passages (id, assistant_id, user_id, content) VALUES ('p', 'agent', 'ada', 'a passage')");
    expect(await migrate(db(), [memoryMigrations])).toBe(memoryMigrations.migrations.length - before);
    await expectConsistent(db());
    const memory = await createMemory(db());
    expect(await memory.stats(ada)).toMatchObject({ recallCount: 2, archivalCount: 1 });
  });

  it("are what BM25 reads: the rarer word ranks first across threads", async () => {
    const memory = await createMemory(db());
    for (let i = 0; i < 20; i++) await memory.recall.append(ada, `t${i % 4}`, [new HumanMessage({ id: `c${i}`, content: `weekend chores ${i}` })]);
    await memory.recall.append(ada, "t9", [new HumanMessage({ id: "rare", content: "the saxophone" })]);
    const hits = await memory.recall.relevant(ada, { text: "weekend saxophone", limit: 30 });
    expect(hits[0]!.id).toBe("rare");
    expect(hits).toHaveLength(21);
    const inThread = await memory.recall.relevant(ada, { text: "weekend saxophone", threadId: "t1" });
    expect(inThread.map((h) => h.id)).toEqual(["c17", "c13", "c9", "c5", "c1"]);
  });
});
