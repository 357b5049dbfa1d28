/**
 * Context assembly benchmark: what one model call's context costs over a
 * user with a long memory. Fills recall memory with `--messages` messages
 * (default 100,000) of one user over many threads, then times, per call, the
 * system prompt's compile from memory, the recall search and the selection
 * of the window (`hybrid`, the default strategy), against the same call with
 * `window` (no recall search) as the floor. PGlite in memory by default;
 * DATABASE_URL selects a Postgres server (in a fresh schema, dropped after).
 *
 *   npm run bench:context -- [--messages 100000] [--calls 100] [--json out.json]
 */
import { writeFileSync } from "node:fs";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { openDatabase } from "../../src/db/open.js";
import { createMemory, type MemoryScope } from "../../src/memory/index.js";
import { assembleContext, createTokenCounter, parseContextOptions } from "../../src/window/index.js";
import { percentile } from "./server-measure.js";
import { StatementCounter, median } from "./stats.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = Number(i >= 0 ? process.argv[i + 1] : fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}
const MESSAGES = arg("--messages", 100_000);
const CALLS = arg("--calls", 100);
const jsonAt = process.argv.indexOf("--json");
const TARGET_MS = 20;

// A seeded generator of everyday chat: a Zipf-like vocabulary, so some words are in most messages and most in few.
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const COMMON = "today really think about going work home week weekend time friend family good great little maybe".split(" ");
const TOPICS = Array.from({ length: 4000 }, (_, i) => `topic${i.toString(36)}`);
const word = () => (random() < 0.55 ? COMMON[Math.floor(random() * COMMON.length)]! : TOPICS[Math.floor(TOPICS.length * random() ** 2.5)]!);
const sentence = (n: number) => Array.from({ length: n }, word).join(" ");

const url = process.env.DATABASE_URL;
const schema = `bench_context_${process.pid}`;
const db = url ? await openDatabase({ url, schema }) : await openDatabase({ dataDir: "memory://" });
try {
  const memory = await createMemory(db);
  const scope: MemoryScope = { assistantId: "bench", userId: "long-memory" };
  const started = performance.now();
  const threads = Math.max(1, Math.round(MESSAGES / 500));
  const start = Date.UTC(2025, 0, 1);
  for (let written = 0; written < MESSAGES; ) {
    const n = Math.min(1000, MESSAGES - written);
    const threadId = `thread-${written % threads}`;
    const batch = Array.from({ length: n }, (_, i) => {
      const id = `m${written + i}`;
      return (written + i) % 2 === 0 ? new HumanMessage({ id, content: sentence(12 + Math.floor(random() * 20)) }) : new AIMessage({ id, content: sentence(8 + Math.floor(random() * 30)) });
    });
    await memory.recall.append(scope, threadId, batch, { createdAt: new Date(start + written * 60_000) });
    written += n;
  }
  // The planner's statistics, as autovacuum keeps them on a database in use (a fresh bulk load has none).
  await db.pool.query("ANALYZE memory_messages");
  console.error(`recall filled: ${MESSAGES} messages over ${threads} threads in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The thread of the call: forty recent turns, then a question about an old topic.
  const recent: BaseMessage[] = Array.from({ length: 40 }, (_, i) => (i % 2 ? new AIMessage({ id: `r${i}`, content: sentence(20) }) : new HumanMessage({ id: `r${i}`, content: sentence(15) })));
  const counter = createTokenCounter("gpt-4o");
  const counting = new StatementCounter();
  counting.install();
  const measure = async (strategy: "hybrid" | "window") => {
    const options = parseContextOptions({ strategy });
    const times: number[] = [];
    let statements = 0;
    for (let call = 0; call < CALLS + 5; call++) {
      const question = new HumanMessage({ id: `q${call}`, content: `Remember what I said about ${TOPICS[50 + call * 7]} and ${TOPICS[900 + call * 3]} back then?` });
      counting.reset();
      const t0 = performance.now();
      const systemPrompt = await memory.compile(scope, "You are a helpful assistant.");
      await assembleContext({ systemPrompt, messages: [...recent, question], scope, threadId: "current", recall: memory.recall, counter, options });
      const ms = performance.now() - t0;
      // The first calls warm the JIT and the database's plans.
      if (call >= 5) {
        times.push(ms);
        statements += counting.statements + counting.transactionControl;
      }
    }
    return { median_ms: median(times), p99_ms: percentile(times, 99), statements_per_call: statements / CALLS };
  };
  const hybrid = await measure("hybrid");
  const floor = await measure("window");
  counting.uninstall();
  const where = url ? `postgres ${db.location}, schema ${schema}` : "pglite in memory";
  console.log(`\nContext assembly for one model call over ${MESSAGES.toLocaleString("en")} recall messages (${where}), ${CALLS} calls each:`);
  console.log("| strategy | median | p99 | statements per call | target |");
  console.log("|---|---|---|---|---|");
  console.log(`| hybrid (compile + recall search + selection) | ${hybrid.median_ms.toFixed(2)} ms | ${hybrid.p99_ms.toFixed(2)} ms | ${hybrid.statements_per_call.toFixed(1)} | ≤${TARGET_MS} ms median: ${hybrid.median_ms <= TARGET_MS ? "met" : "MISSED"} |`);
  console.log(`| window (compile + selection, no search) | ${floor.median_ms.toFixed(2)} ms | ${floor.p99_ms.toFixed(2)} ms | ${floor.statements_per_call.toFixed(1)} | |`);
  if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1]!, `${JSON.stringify({ messages: MESSAGES, calls: CALLS, where, hybrid, window: floor }, null, 2)}\n`);
} finally {
  if (url) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db.close();
}
