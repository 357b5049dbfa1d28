/**
 * Checkpointer benchmark: the stock PostgresSaver against ThreadlineSaver on
 * the same database in one run. PGlite in memory by default; DATABASE_URL
 * selects a Postgres server. `--json <path>` writes the raw numbers.
 *
 *   npm run bench:checkpoint -- [--json out.json] [--stock-history-reps n] [--warm n] [--step-rounds n]
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { MemorySaver } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { type MeasureOptions, type SaverMetrics, measureFloor, measureReads, measureWrites, medianConcurrent, roundsOfSteps } from "./measure.js";
import { StatementCounter, median } from "./stats.js";
import { printReport } from "./report.js";

const STOCK_TABLES = ["checkpoints", "checkpoint_blobs", "checkpoint_writes"];
const THREADLINE_TABLES = ["tl_checkpoints", "tl_checkpoint_writes", "tl_checkpoint_ttl"];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sizeOf(db: Database, schema: string, tables: string[]) {
  return async () => {
    const { rows } = await db.pool.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname = ANY($2::text[])`,
      [schema, tables],
    );
    return Number(rows[0]!.bytes);
  };
}

// Uncompressed size of every value: bytea as stored bytes, everything else as
// text. This is what the stock saver's quadratic growth is about, before
// TOAST compression hides part of it on disk.
function payloadOf(db: Database, schema: string, tables: string[]) {
  return async () => {
    let total = 0;
    for (const table of tables) {
      const { rows: columns } = await db.pool.query<{ expr: string }>(
        `SELECT CASE WHEN data_type = 'bytea' THEN format('coalesce(octet_length(%I), 0)', column_name)
                     ELSE format('coalesce(octet_length(%I::text), 0)', column_name) END AS expr
         FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [schema, table],
      );
      if (columns.length === 0) continue;
      const { rows } = await db.pool.query<{ bytes: string }>(
        `SELECT coalesce(sum(${columns.map((c) => c.expr).join(" + ")}), 0)::bigint AS bytes FROM ${schema}.${table}`,
      );
      total += Number(rows[0]!.bytes);
    }
    return total;
  };
}

async function main() {
  const url = process.env.DATABASE_URL;
  const jsonPath = arg("--json");
  const tag = randomBytes(4).toString("hex");
  const ours = `bench_tl_${tag}`;
  const stockSchema = `bench_stock_${tag}`;
  const db = await openDatabase(url ? { url, schema: ours, maxConnections: 10 } : { dataDir: "memory://", schema: ours });
  const backend = url ? "postgres" : "pglite";
  const log = (line: string) => console.error(line);
  const counter = new StatementCounter();
  counter.install();
  const started = performance.now();
  try {
    log(`benchmark on ${backend} (${db.location})`);
    // --warm n: run the graph 400 × n steps first, so every figure, the floor
    // included, is taken with its code already compiled by the JIT.
    for (let i = 0; i < Number(arg("--warm") ?? 0); i++) await measureFloor(new MemorySaver());
    const memory = (await measureFloor(new MemorySaver())).ms;
    log(`  MemorySaver ${memory.toFixed(3)} ms/step`);

    const stock = new PostgresSaver(db.pool, undefined, { schema: stockSchema });
    await stock.setup();
    const threadline = await ThreadlineSaver.create(db);
    const stockOptions: MeasureOptions = {
      counter,
      sizeOf: sizeOf(db, stockSchema, STOCK_TABLES),
      payloadOf: payloadOf(db, stockSchema, STOCK_TABLES),
      fresh: () => new PostgresSaver(db.pool, undefined, { schema: stockSchema }),
      historyAllReps: Number(arg("--stock-history-reps") ?? 1),
      log,
    };
    const threadlineOptions: MeasureOptions = {
      counter,
      sizeOf: sizeOf(db, ours, THREADLINE_TABLES),
      payloadOf: payloadOf(db, ours, THREADLINE_TABLES),
      fresh: () => new ThreadlineSaver(db),
      historyAllReps: 5,
      log,
    };
    // Every saver's steps are timed before the reads, which leave the heap
    // full of garbage (the stock saver's whole history is ~70 MB).
    const stockWrites = await measureWrites("stock", stock, stockOptions);
    const threadlineWrites = await measureWrites("threadline", threadline, threadlineOptions);

    // The same saver with every put waiting for the disk, so the cost of the
    // default (asynchronous commit, flushed when a run ends) is on record.
    const synchronous = db.kind === "postgres" ? await ThreadlineSaver.create(db, { synchronousCommit: true }) : undefined;
    const savers = { stock, threadline, ...(synchronous ? { "threadline-sync": synchronous } : {}) };
    const steps = await roundsOfSteps({ "no checkpointer": undefined, ...savers }, Number(arg("--step-rounds") ?? 5), log);
    const floor = median(steps["no checkpointer"]!);
    const strictMs = synchronous ? median(steps["threadline-sync"]!) : undefined;

    const stockMetrics: SaverMetrics = {
      ...stockWrites.metrics,
      ms_per_step: median(steps.stock!),
      ms_per_step_rounds: steps.stock!,
      ...(await measureReads("stock", stock, stockWrites.threadId, stockOptions)),
    };
    const threadlineMetrics: SaverMetrics = {
      ...threadlineWrites.metrics,
      ms_per_step: median(steps.threadline!),
      ms_per_step_rounds: steps.threadline!,
      ...(await measureReads("threadline", threadline, threadlineWrites.threadId, threadlineOptions)),
    };

    // The graph without a checkpointer takes its turns too: the most any
    // saver could reach in this process, which puts the ratio in proportion.
    const concurrent = await medianConcurrent({ "no checkpointer": undefined, ...savers }, log);
    const strict =
      strictMs !== undefined ? { ms_per_step: strictMs, concurrent_steps_per_s: concurrent["threadline-sync"]! } : undefined;

    const result = {
      backend,
      no_checkpointer_ms_per_step: floor,
      no_checkpointer_concurrent_steps_per_s: concurrent["no checkpointer"]!,
      memory_saver_ms_per_step: memory,
      stock: { ...stockMetrics, concurrent_steps_per_s: concurrent.stock!, no_checkpointer_ms_per_step: floor },
      threadline: { ...threadlineMetrics, concurrent_steps_per_s: concurrent.threadline!, no_checkpointer_ms_per_step: floor },
      ...(strict ? { threadline_synchronous_commit: strict } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    printReport(result);
    if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    counter.uninstall();
    await db.pool.query(`DROP SCHEMA IF EXISTS ${stockSchema} CASCADE`).catch(() => undefined);
    await db.pool.query(`DROP SCHEMA IF EXISTS ${ours} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
