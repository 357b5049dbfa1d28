import { HumanMessage, AIMessage } from "@langchain/core/messages";
import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { NotFoundError } from "../../src/errors.js";
import { RecallStore } from "../../src/memory/index.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "./helpers.js";

/**
 * Rows that still name the thread (or one of its runs) in any table of the
 * schema: every table with a thread_id or run_id column, found in the
 * catalog, so a table added later is covered without editing this test.
 */
async function rowsLeft(db: TestDatabase, threadId: string, runIds: string[]): Promise<Record<string, number>> {
  const { rows: columns } = await db.pool.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = $1 AND column_name IN ('thread_id', 'run_id')`,
    [db.schema],
  );
  expect(columns.map((c) => c.table)).toEqual(expect.arrayContaining(["threads", "runs", "run_events", "tl_checkpoints", "memory_messages"]));
  const left: Record<string, number> = {};
  for (const { table, column } of columns) {
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${table}" WHERE ${column}::text = ANY($1::text[])`,
      [column === "thread_id" ? [threadId] : runIds],
    );
    if (rows[0].n > 0) left[`${table}.${column}`] = rows[0].n;
  }
  return left;
}

describeBackends("deleting and expiring a thread", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  async function busyThread(threadId: string): Promise<string[]> {
    const runIds: string[] = [];
    for (const label of ["a", "b"]) {
      const run = await core!.runs.create({ threadId, assistantId: "paced", request: pacedRequest(label, { config: {} }) }, ANON);
      await core!.runs.execute(run.runId);
      runIds.push(run.runId);
    }
    // A run that failed half-way leaves pending writes behind.
    const failed = await core!.runs.create({ threadId, assistantId: "paced", request: { input: { label: "c" }, config: { configurable: { fail_at: "s2" } } } }, ANON);
    await core!.runs.execute(failed.runId);
    runIds.push(failed.runId);
    await new RecallStore(db()).append({ assistantId: "paced", userId: "ada" }, threadId, [new HumanMessage({ content: "hi", id: "m1" }), new AIMessage({ content: "hello", id: "m2" })]);
    // Another thread that must survive.
    const other = await core!.runs.create({ threadId: "other", assistantId: "paced", request: pacedRequest("o", { config: {} }) }, ANON);
    await core!.runs.execute(other.runId);
    return runIds;
  }

  it("delete leaves zero rows of the thread in every table, and the other thread whole", async () => {
    core = await openTestCore(db());
    const runIds = await busyThread("doomed");
    expect(Object.keys(await rowsLeft(db(), "doomed", runIds)).length).toBeGreaterThanOrEqual(5);
    await core.threads.delete("doomed", ANON);
    expect(await rowsLeft(db(), "doomed", runIds)).toEqual({});
    await expect(core.threads.get("doomed", ANON)).rejects.toThrow(NotFoundError);
    expect(((await core.threads.get("other", ANON)).values!.log as string[]).length).toBe(6);
    expect((await core.threads.state("other", ANON)).next).toEqual([]);
  });

  it("the TTL sweep leaves zero rows of an expired thread in every table", async () => {
    core = await openTestCore(db());
    const runIds = await busyThread("doomed");
    await core.threads.update("doomed", { ttl: { strategy: "fixed", ttlMs: 1 } }, ANON);
    await new Promise((r) => setTimeout(r, 20));
    expect(await core.threads.sweepExpired()).toEqual(["doomed"]);
    expect(await rowsLeft(db(), "doomed", runIds)).toEqual({});
    expect(((await core.threads.get("other", ANON)).values!.log as string[]).length).toBe(6);
  });

  it("a sliding TTL starts again with every run", async () => {
    core = await openTestCore(db());
    await core.threads.create({ threadId: "slide", ttl: { strategy: "sliding", ttlMs: 60_000 } }, ANON);
    const before = (await core.threads.get("slide", ANON)).expiresAt!;
    await new Promise((r) => setTimeout(r, 30));
    const run = await core.runs.create({ threadId: "slide", assistantId: "paced", request: { input: { label: "x" } } }, ANON);
    await core.runs.execute(run.runId);
    expect((await core.threads.get("slide", ANON)).expiresAt!.getTime()).toBeGreaterThan(before.getTime());
    expect(await core.threads.sweepExpired()).toEqual([]);
  });
});
