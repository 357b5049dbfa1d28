import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { DurableNodeFS } from "../../src/db/pglite-fs.js";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { buildGraph, inputFor } from "../bench/graph.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHILD = join(ROOT, "test/fixtures/pglite-durability-child.ts");

// Every DurableNodeFS that openDatabase creates, to read its fsync counts.
const opened: DurableNodeFS[] = [];
const init = DurableNodeFS.prototype.init;
vi.spyOn(DurableNodeFS.prototype, "init").mockImplementation(function (this: DurableNodeFS, ...args) {
  opened.push(this);
  return init.apply(this, args);
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let template: string;
let templateFiles = 0;
let templateFsyncs = 0;

beforeAll(async () => {
  // An initdb takes seconds here, so one folder is made and copied per test.
  template = mkdtempSync(join(tmpdir(), "threadline-durability-template-"));
  const db = await openDatabase({ dataDir: template });
  templateFsyncs = opened.at(-1)!.fsyncs.other;
  await db.close();
  templateFiles = readdirSync(template, { recursive: true }).length;
});

afterAll(() => rmSync(template, { recursive: true, force: true }));

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "threadline-durability-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(template, dir, { recursive: true });
  return dir;
}

async function open(dir: string): Promise<{ db: Database; fs: DurableNodeFS }> {
  const db = await openDatabase({ dataDir: dir });
  let closed = false;
  cleanups.push(() => (closed ? undefined : db.close()));
  const close = db.close.bind(db);
  db.close = async () => {
    closed = true;
    await close();
  };
  return { db, fs: opened.at(-1)! };
}

const insert = (db: Database, n: number) => db.pool.query("INSERT INTO items VALUES ($1, $2)", [n, `item ${n} `.repeat(20)]);

async function items(db: Database): Promise<Array<{ n: number; body: string }>> {
  return (await db.pool.query<{ n: number; body: string }>("SELECT n, body FROM items ORDER BY n")).rows;
}

describe("embedded PGlite on a data folder reaches the disk", () => {
  it("syncs a new folder whole once, and runs Postgres with fsync on and the WAL synced by fsync()", async () => {
    expect(templateFsyncs).toBeGreaterThanOrEqual(templateFiles);
    const { db } = await open(dataFolder());
    const { rows } = await db.pool.query("SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS method");
    expect(rows[0]).toEqual({ fsync: "on", method: "fsync" });
  });

  it("defers WAL fsyncs to durable() by default, and fsyncs the WAL at every commit in synchronous mode", async () => {
    const { db, fs } = await open(dataFolder());
    expect(db.durable).toBeTypeOf("function");
    await db.pool.query("CREATE TABLE items (n integer PRIMARY KEY, body text NOT NULL)");
    await db.durable!();

    const before = fs.fsyncs.wal;
    for (let n = 1; n <= 20; n++) await insert(db, n);
    expect(fs.fsyncs.wal).toBe(before);
    await db.durable!();
    expect(fs.fsyncs.wal).toBeGreaterThanOrEqual(before + 1);
    const afterFlush = fs.fsyncs.wal;
    await db.durable!();
    expect(fs.fsyncs.wal).toBe(afterFlush); // nothing new to sync

    await db.durable!({ eachCommit: true });
    for (let n = 21; n <= 40; n++) {
      const wal = fs.fsyncs.wal;
      await insert(db, n);
      expect(fs.fsyncs.wal).toBeGreaterThan(wal);
    }

    await db.durable!({ eachCommit: false });
    const deferred = fs.fsyncs.wal;
    await insert(db, 41);
    expect(fs.fsyncs.wal).toBe(deferred);
    expect(await items(db)).toHaveLength(41);
  });

  it("keeps everything written across a close and a reopen", async () => {
    const dir = dataFolder();
    const first = await open(dir);
    await first.db.pool.query("CREATE TABLE items (n integer PRIMARY KEY, body text NOT NULL)");
    for (let n = 1; n <= 200; n++) await insert(first.db, n);
    // Large enough to go to TOAST, in other files than the table's.
    await first.db.pool.query("INSERT INTO items VALUES (0, repeat(md5('x'), 4000))");
    const written = await items(first.db);
    await first.db.close();

    const second = await open(dir);
    expect(await items(second.db)).toEqual(written);
  });

  it("runs a CHECKPOINT, fsyncing the data files, and keeps the data across a reopen", async () => {
    const dir = dataFolder();
    const first = await open(dir);
    await first.db.pool.query("CREATE TABLE items (n integer PRIMARY KEY, body text NOT NULL)");
    for (let n = 1; n <= 100; n++) await insert(first.db, n);
    const other = first.fs.fsyncs.other;
    await first.db.pool.query("CHECKPOINT");
    expect(first.fs.fsyncs.other).toBeGreaterThan(other);
    for (let n = 101; n <= 150; n++) await insert(first.db, n);
    await first.db.pool.query("UPDATE items SET body = 'changed' WHERE n % 10 = 0");
    await first.db.pool.query("DELETE FROM items WHERE n % 7 = 0");
    await first.db.pool.query("CHECKPOINT");
    const written = await items(first.db);
    await first.db.close();

    const second = await open(dir);
    expect(await items(second.db)).toEqual(written);
    await second.db.pool.query("CHECKPOINT");
  });

  it("syncs the deferred WAL before any other file reaches the disk", async () => {
    const { db, fs } = await open(dataFolder());
    await db.pool.query("CREATE TABLE items (n integer PRIMARY KEY, body text NOT NULL)");
    await db.durable!();
    // Each fsync as it happens, with how many WAL files were still waiting for theirs.
    const order: { kind: string; waitingWal: number }[] = [];
    const internals = fs as unknown as { fsync(fd: number, kind: string): void; unsynced: Set<number> };
    const fsync = internals.fsync.bind(fs);
    internals.fsync = (fd, kind) => {
      order.push({ kind, waitingWal: kind === "wal" ? 0 : internals.unsynced.size });
      fsync(fd, kind);
    };
    for (let n = 1; n <= 50; n++) await insert(db, n);
    expect(internals.unsynced.size).toBeGreaterThan(0);
    await db.pool.query("CHECKPOINT");
    expect(order[0]?.kind).toBe("wal");
    expect(order.filter((o) => o.kind === "other").length).toBeGreaterThan(0);
    expect(order.filter((o) => o.waitingWal > 0)).toEqual([]);
  });

  it("keeps every acknowledged commit when the process is killed with SIGKILL, without a flush", async () => {
    const dir = dataFolder();
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on("close", (_code, signal) => done(signal)));
    cleanups.push(async () => {
      child.kill("SIGKILL");
      await exited;
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let acked = 0;
    let partial = "";
    await new Promise<void>((done, fail) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop()!;
        for (const line of lines) acked = Number(/^acked (\d+)$/.exec(line)?.[1] ?? acked);
        // A few commits in, and while it is still writing.
        if (acked >= 5 && child.exitCode === null && !child.killed) {
          child.kill("SIGKILL");
          done();
        }
      });
      child.on("close", () => fail(new Error(`the child ended first: ${stderr}`)));
    });
    expect(await exited).toBe("SIGKILL");
    // Whatever was printed before the kill reached us.
    for (const line of partial.split("\n")) acked = Number(/^acked (\d+)$/.exec(line)?.[1] ?? acked);

    const { db } = await open(dir);
    const { rows } = await db.pool.query<{ n: number; body: string }>("SELECT n, body FROM acked ORDER BY n");
    expect(rows.length).toBeGreaterThanOrEqual(acked);
    expect(rows.slice(0, acked)).toEqual(Array.from({ length: acked }, (_, i) => ({ n: i + 1, body: `row ${i + 1}` })));
  });

  it("reaches the disk when a saver's run ends, or at every step in synchronous mode", async () => {
    for (const synchronousCommit of [false, true]) {
      const { db, fs } = await open(dataFolder());
      const saver = await ThreadlineSaver.create(db, { synchronousCommit });
      const graph = buildGraph(saver);
      const before = fs.fsyncs.wal;
      await graph.invoke(inputFor(true), { configurable: { thread_id: "t1", target: 20 }, durability: "sync", recursionLimit: 100 });
      const during = fs.fsyncs.wal - before;
      await saver.flush();
      if (synchronousCommit) expect(during).toBeGreaterThanOrEqual(20);
      else expect(during).toBe(0);
      expect(fs.fsyncs.wal - before - during).toBeGreaterThanOrEqual(synchronousCommit ? 0 : 1);
      await db.close();
    }
  });

  it("leaves an in-memory database without durable()", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    cleanups.push(() => db.close());
    expect(db.durable).toBeUndefined();
  });
});
