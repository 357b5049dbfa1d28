/**
 * What making embedded PGlite reach the disk costs, on a data folder, for
 * stock PGlite (fsync off, so nothing is ever fsynced), Threadline's default
 * (WAL fsyncs deferred to one flush at the end of each run) and synchronous
 * mode (an fsync per commit): milliseconds per commit of a small INSERT,
 * then milliseconds per step of the checkpoint benchmark's graph run by
 * ThreadlineSaver (a new thread to `--messages` messages per run, then the
 * flush a run ends with). Rounds are interleaved; figures are medians over
 * rounds.
 *
 *   npm run bench:pglite-durability -- [--dir <parent folder>] [--commits-per-run n] [--rounds n] [--bytes n] [--messages n]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { DurableNodeFS, durablePgliteOptions } from "../../src/db/pglite-fs.js";
import { buildGraph, inputFor } from "./graph.js";
import { median } from "./stats.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const parent = arg("--dir") ?? tmpdir();
const commitsPerRun = Number(arg("--commits-per-run") ?? 20);
const rounds = Number(arg("--rounds") ?? 30);
const payload = "x".repeat(Number(arg("--bytes") ?? 100));
const messages = Number(arg("--messages") ?? 40);

interface Mode {
  name: string;
  pglite: PGlite;
  fs?: DurableNodeFS;
  dir: string;
  perCommit: number[];
  walFsyncsPerRun: number[];
}

async function open(name: string, kind: "stock" | "deferred" | "synchronous"): Promise<Mode> {
  const dir = mkdtempSync(join(parent, "threadline-durability-"));
  const fs = kind === "stock" ? undefined : new DurableNodeFS(dir);
  const pglite = await PGlite.create(fs ? { dataDir: dir, ...durablePgliteOptions(fs) } : { dataDir: dir });
  if (fs) fs.eachCommit = kind === "synchronous";
  await pglite.exec("CREATE TABLE bench (id bigserial PRIMARY KEY, body text NOT NULL)");
  return { name, pglite, fs, dir, perCommit: [], walFsyncsPerRun: [] };
}

async function run(mode: Mode, record: boolean): Promise<void> {
  const walBefore = mode.fs?.fsyncs.wal ?? 0;
  const start = performance.now();
  for (let i = 0; i < commitsPerRun; i++) await mode.pglite.query("INSERT INTO bench (body) VALUES ($1)", [payload]);
  // What ThreadlineSaver.flush() adds at the end of a run.
  await mode.fs?.flush();
  if (!record) return;
  mode.perCommit.push((performance.now() - start) / commitsPerRun);
  mode.walFsyncsPerRun.push((mode.fs?.fsyncs.wal ?? 0) - walBefore);
}

/** One unrecorded warm-up run each, then `rounds` rounds in a rotating order, so no mode always runs right after another. */
async function interleaved<M>(modes: M[], run: (mode: M, record: boolean) => Promise<void>): Promise<void> {
  for (const mode of modes) await run(mode, false);
  for (let r = 0; r < rounds; r++) for (let k = 0; k < modes.length; k++) await run(modes[(r + k) % modes.length]!, true);
}

async function main(): Promise<void> {
  console.log(`data folders under ${parent}; ${rounds} rounds of ${commitsPerRun} commits of a ${payload.length}-byte INSERT each`);
  const modes = [
    await open("stock PGlite (-F, no fsync)", "stock"),
    await open("ours, default (deferred, flush per run)", "deferred"),
    await open("ours, synchronous (fsync per commit)", "synchronous"),
  ];
  try {
    await interleaved(modes, run);
    const stock = median(modes[0]!.perCommit);
    for (const mode of modes) {
      const ms = median(mode.perCommit);
      const fsyncs = mode.fs ? `, WAL fsyncs per run ${median(mode.walFsyncsPerRun)}` : "";
      console.log(`${mode.name.padEnd(42)} ${ms.toFixed(3)} ms/commit  (×${(ms / stock).toFixed(2)} stock${fsyncs})`);
    }
  } finally {
    for (const mode of modes) {
      await mode.pglite.close();
      rmSync(mode.dir, { recursive: true, force: true });
    }
  }
}

interface GraphMode {
  name: string;
  db: Database;
  saver: ThreadlineSaver;
  close: () => Promise<void>;
  dir: string;
  perStep: number[];
  threads: number;
}

async function openGraph(name: string, kind: "stock" | "deferred" | "synchronous"): Promise<GraphMode> {
  const dir = join(mkdtempSync(join(parent, "threadline-durability-graph-")), "data");
  if (kind === "stock") {
    const pglite = await PGlite.create({ dataDir: dir });
    const db = await openDatabase({ pglite });
    const saver = await ThreadlineSaver.create(db);
    return { name, db, saver, dir, perStep: [], threads: 0, close: async () => (await db.close(), await pglite.close()) };
  }
  const db = await openDatabase({ dataDir: dir });
  const saver = await ThreadlineSaver.create(db, { synchronousCommit: kind === "synchronous" });
  return { name, db, saver, dir, perStep: [], threads: 0, close: () => db.close() };
}

async function runGraph(mode: GraphMode, record: boolean): Promise<void> {
  const graph = buildGraph(mode.saver);
  const start = performance.now();
  await graph.invoke(inputFor(true), {
    configurable: { thread_id: `t${mode.threads++}`, target: messages },
    durability: "sync",
    recursionLimit: messages + 10,
  });
  await mode.saver.flush();
  if (record) mode.perStep.push((performance.now() - start) / (messages - 1));
}

async function graphs(): Promise<void> {
  console.log(`\nthe checkpoint benchmark's graph: ${rounds} rounds of one new thread to ${messages} messages, then a flush`);
  const modes = [
    await openGraph("stock PGlite (-F, no fsync)", "stock"),
    await openGraph("ours, default (flush per run)", "deferred"),
    await openGraph("ours, synchronous (fsync per step)", "synchronous"),
  ];
  try {
    await interleaved(modes, runGraph);
    const stock = median(modes[0]!.perStep);
    for (const mode of modes) {
      const ms = median(mode.perStep);
      console.log(`${mode.name.padEnd(42)} ${ms.toFixed(3)} ms/step    (×${(ms / stock).toFixed(2)} stock)`);
    }
  } finally {
    for (const mode of modes) {
      await mode.close();
      rmSync(join(mode.dir, ".."), { recursive: true, force: true });
    }
  }
}

await main();
await graphs();
