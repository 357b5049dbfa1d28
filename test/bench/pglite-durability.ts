/**
 * What making embedded PGlite reach the disk costs: milliseconds per commit
 * of a small INSERT on a data folder, for stock PGlite (fsync off, so
 * nothing is ever fsynced), Threadline's default (WAL fsyncs deferred to one
 * flush at the end of each run of commits) and synchronous mode (an fsync
 * per commit). Rounds are interleaved; figures are medians over rounds.
 *
 *   npm run bench:pglite-durability -- [--dir <parent folder>] [--commits-per-run n] [--rounds n] [--bytes n]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { DurableNodeFS, durablePgliteOptions } from "../../src/db/pglite-fs.js";
import { median } from "./stats.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const parent = arg("--dir") ?? tmpdir();
const commitsPerRun = Number(arg("--commits-per-run") ?? 20);
const rounds = Number(arg("--rounds") ?? 30);
const payload = "x".repeat(Number(arg("--bytes") ?? 100));

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

async function main(): Promise<void> {
  console.log(`data folders under ${parent}; ${rounds} rounds of ${commitsPerRun} commits of a ${payload.length}-byte INSERT each`);
  const modes = [
    await open("stock PGlite (-F, no fsync)", "stock"),
    await open("ours, default (deferred, flush per run)", "deferred"),
    await open("ours, synchronous (fsync per commit)", "synchronous"),
  ];
  try {
    for (const mode of modes) await run(mode, false);
    for (let r = 0; r < rounds; r++) {
      // Rotate the order so no mode always runs right after another.
      for (let k = 0; k < modes.length; k++) await run(modes[(r + k) % modes.length]!, true);
    }
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

await main();
