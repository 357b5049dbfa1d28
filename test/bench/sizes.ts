/**
 * Where the saver's bytes go: grows one thread to 400 messages and prints
 * every relation (heap, TOAST, indexes) of the saver's schema.
 *
 *   npx tsx test/bench/sizes.ts [postgres://…] [--keep]
 *
 * PGlite in memory without a URL; --keep leaves the schema for inspection.
 */
import { randomBytes } from "node:crypto";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { openDatabase } from "../../src/db/open.js";
import { buildGraph, inputFor } from "./graph.js";

async function main() {
  const schema = `sizes_${randomBytes(4).toString("hex")}`;
  const url = process.argv.slice(2).find((a) => a.startsWith("postgres"));
  const db = await openDatabase(url ? { url, schema } : { dataDir: "memory://", schema });
  try {
    const graph = buildGraph(await ThreadlineSaver.create(db));
    const threadId = `bench-threadline-${Date.now()}`;
    for (const [i, target] of [50, 100, 200, 400].entries()) {
      const stream = await graph.stream(inputFor(i === 0), {
        configurable: { thread_id: threadId, target }, durability: "sync", recursionLimit: 10_000, streamMode: "updates",
      });
      for await (const _chunk of stream) void _chunk;
    }
    const { rows } = await db.pool.query(
      `SELECT c.relname, c.relkind, pg_relation_size(c.oid) AS bytes, c.reltuples::int AS tuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 OR c.oid IN (
         SELECT reltoastrelid FROM pg_class x JOIN pg_namespace m ON m.oid = x.relnamespace WHERE m.nspname = $1
       ) OR c.oid IN (
         SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         WHERE t.oid IN (SELECT reltoastrelid FROM pg_class x JOIN pg_namespace m ON m.oid = x.relnamespace WHERE m.nspname = $1)
       )
       ORDER BY pg_relation_size(c.oid) DESC`,
      [schema],
    );
    let total = 0;
    for (const r of rows) {
      total += Number(r.bytes);
      console.log(`${String(r.relname).padEnd(40)} ${r.relkind} ${String(r.bytes).padStart(9)} ${r.tuples}`);
    }
    const t = await db.pool.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r'`, [schema]);
    console.log("sum", total, "total_relation_size", t.rows[0].bytes);
    for (const table of ["tl_checkpoints", "tl_checkpoint_writes"]) {
      const r = await db.pool.query(`SELECT count(*)::int AS n, avg(pg_column_size(x.*))::int AS row FROM ${table} x`);
      console.log(table, r.rows[0]);
    }
    const c = await db.pool.query(
      `SELECT flags, count(*)::int AS n, avg(octet_length(body))::int AS body, max(octet_length(body)) AS largest FROM tl_checkpoints GROUP BY flags ORDER BY flags`,
    );
    console.log("rows by flags (1 = whole, 2 = carries the writes that produced it)", c.rows);
  } finally {
    if (!process.argv.includes("--keep")) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    else console.log("kept", schema);
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
