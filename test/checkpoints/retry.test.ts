import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { WriteBatcher } from "../../checkpoints/batch.js";
import { isTransientFault } from "../../checkpoints/faults.js";
import { openDatabase } from "../../src/db/open.js";
import { TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import { buildGraph, inputFor } from "./helpers.js";

const reset = () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });

function batcher(failures: (() => Error)[], attempts = 3) {
  let calls = 0;
  const run = async () => {
    calls++;
    const failure = failures.shift();
    if (failure) throw failure();
    return { rowCount: 1, rows: [] } as unknown as pg.QueryResult;
  };
  const b = new WriteBatcher(run, {
    commit: "off",
    defaultTtl: undefined,
    maxInFlight: 1,
    retry: { attempts, delayMs: 1, isTransient: isTransientFault },
  });
  const put = () =>
    b.put({ threadId: "t", checkpointNs: "", checkpointId: "c1", parentId: null, runId: null, needsParent: false, source: { encode: () => ({ flags: 1, body: Buffer.from("x") }) } });
  return { put, calls: () => calls };
}

describe("a step's write after a transient fault", () => {
  it("is sent again until it passes", async () => {
    const b = batcher([reset, reset]);
    await expect(b.put()).resolves.toBe(true);
    expect(b.calls()).toBe(3);
  });

  it("fails after the bounded number of tries", async () => {
    const b = batcher([reset, reset, reset, reset, reset], 3);
    await expect(b.put()).rejects.toThrow("ECONNRESET");
    expect(b.calls()).toBe(4);
  });

  it("fails every call of a shared statement whose retries ran out, without sending them one by one", async () => {
    let calls = 0;
    const run = async (): Promise<pg.QueryResult> => {
      calls++;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 20));
      throw reset();
    };
    const b = new WriteBatcher(run, { commit: "off", defaultTtl: undefined, maxInFlight: 1, retry: { attempts: 2, delayMs: 1, isTransient: isTransientFault } });
    const job = (id: string) => ({ threadId: "t", checkpointNs: "", checkpointId: id, parentId: null, runId: null, needsParent: false, source: { encode: () => ({ flags: 1, body: Buffer.from(id) }) } });
    // The first goes alone; the two that arrive meanwhile share the next statement.
    const first = b.put(job("c1"));
    const shared = [b.put(job("c2")), b.put(job("c3"))];
    await expect(first).rejects.toThrow("ECONNRESET");
    for (const p of shared) await expect(p).rejects.toThrow("ECONNRESET");
    expect(calls).toBe(6);
  });

  it("is not sent again after a timeout: the wait was as long as allowed already", async () => {
    const b = batcher([() => Object.assign(new Error("Query read timeout"), {})]);
    await expect(b.put()).rejects.toThrow("Query read timeout");
    expect(b.calls()).toBe(1);
  });

  it("is not sent again when the database refused the statement itself", async () => {
    const refused = () => Object.assign(new Error('relation "tl_checkpoints" does not exist'), { code: "42P01" });
    const b = batcher([refused]);
    await expect(b.put()).rejects.toThrow("does not exist");
    expect(b.calls()).toBe(1);
  });
});

describe.skipIf(!TEST_DATABASE_URL)("a run whose connection the server drops [postgres]", () => {
  it("finishes with every step stored", async () => {
    const name = `tl_retry_${randomBytes(4).toString("hex")}`;
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set("application_name", name);
    const schema = uniqueSchema();
    const db = await openDatabase({ url: url.toString(), schema });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const saver = await ThreadlineSaver.create(db);
      const graph = buildGraph(saver);
      const send = vi.spyOn(WriteBatcher.prototype as unknown as { send: () => Promise<unknown> }, "send");
      // Every few steps the server terminates this database's connections, as a restart or a proxy
      // would. The run's only read comes before its first step, so only writes are cut off.
      let terminations = 0;
      await graph.invoke(inputFor(true), { configurable: { thread_id: "t1", target: 2 }, durability: "sync" });
      let lastKill: Promise<unknown> = Promise.resolve();
      const killer = setInterval(() => {
        lastKill = admin
          .query("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1", [name])
          .then(({ rows }) => (terminations += rows[0].n));
      }, 40);
      try {
        await graph.invoke(inputFor(false), { configurable: { thread_id: "t1", target: 60 }, durability: "sync", recursionLimit: 1_000 });
      } finally {
        clearInterval(killer);
        await lastKill;
      }
      // Idle connections the last kill ended must be noticed before the pool hands them out again.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(terminations).toBeGreaterThan(0);
      // Some statement really failed, and the run went on: it was sent again.
      const outcomes = await Promise.allSettled(send.mock.results.map((r) => r.value as Promise<unknown>));
      expect(outcomes.filter((o) => o.status === "rejected").length).toBeGreaterThan(0);
      send.mockRestore();
      const fresh = new ThreadlineSaver(db);
      const latest = await fresh.getTuple({ configurable: { thread_id: "t1" } });
      expect(latest?.checkpoint.channel_values.messages).toHaveLength(60);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await db.close();
    }
  });
});
