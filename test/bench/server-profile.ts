/**
 * The SQL timeline of single runs on Threadline's server: every statement
 * the process sends during one runs.wait (and one streamed run), with when
 * it started and how long it took, relative to the request. Shows where a
 * run's round trip goes.
 *
 *   npx tsx --conditions=threadline-source test/bench/server-profile.ts [--memory]   (DATABASE_URL for Postgres)
 */
import pg from "pg";
import { client, INPUT } from "./server-measure.js";
import { GRAPH_ID, removeProject, repoNodeModules, startThreadline, writeProject } from "./server-targets.js";

interface Entry {
  start: number;
  end: number;
  text: string;
}

// The select lists are long and alike: the head and the FROM/WHERE part tell statements apart.
function label(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= 150) return flat;
  const from = flat.search(/ FROM [a-z_]+ (r )?WHERE /);
  return from > 60 ? `${flat.slice(0, 60)} …${flat.slice(from, from + 90)}` : flat.slice(0, 150);
}
const entries: Entry[] = [];
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const original = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? "");
  const entry: Entry = { start: performance.now(), end: Number.NaN, text: label(text) };
  entries.push(entry);
  const last = args.length - 1;
  if (typeof args[last] === "function") {
    // pg.Pool hands its client a callback, not a promise.
    const callback = args[last] as (...a: unknown[]) => void;
    args[last] = (...a: unknown[]) => {
      entry.end = performance.now();
      callback(...a);
    };
  }
  const result = original.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") {
    (result as Promise<unknown>).then(() => (entry.end = performance.now()), () => (entry.end = performance.now()));
  }
  return result;
};

/** Times calls of `object[name]` as spans in the timeline. */
function span(object: object, name: string, label: string) {
  const o = object as Record<string, (...a: unknown[]) => unknown>;
  const fn = o[name]!;
  o[name] = function (this: unknown, ...a: unknown[]) {
    const entry: Entry = { start: performance.now(), end: Number.NaN, text: `[${label}]` };
    entries.push(entry);
    const result = fn.apply(this, a) as Promise<unknown>;
    const done = () => (entry.end = performance.now());
    if (result && typeof result.then === "function") result.then(done, done);
    else done();
    return result;
  };
}

function print(label: string, t0: number, t1: number) {
  const mine = entries.filter((e) => e.start >= t0 && e.start <= t1);
  const busy = mine.filter((e) => !e.text.startsWith("[")).reduce((sum, e) => sum + (e.end - e.start), 0);
  console.log(`\n${label}: ${(t1 - t0).toFixed(1)} ms round trip, ${mine.filter((e) => !e.text.startsWith("[")).length} statements, ${busy.toFixed(1)} ms inside them`);
  for (const e of mine) console.log(`  +${(e.start - t0).toFixed(1).padStart(6)}  ${(e.end - e.start).toFixed(2).padStart(6)} ms  ${e.text}`);
}

const dir = writeProject(repoNodeModules());
const target = await startThreadline(dir, { url: process.env.DATABASE_URL, memory: process.argv.includes("--memory"), log: console.error });
try {
  const core = target.core;
  span(core.checkpointer, "flush", "checkpointer.flush");
  span(core.checkpointer, "getTuple", "checkpointer.getTuple");
  span(core.checkpointer, "put", "checkpointer.put");
  span(core.checkpointer, "putWrites", "checkpointer.putWrites");
  span(core.threads, "refresh", "threads.refresh");
  span(core.events, "writer", "events.writer");
  if (core.db.durable) span(core.db, "durable", "db.durable");
  const c = client(target.url);
  const thread = (await c.threads.create()).thread_id;
  // Warm: JIT, caches and query plans, as in the benchmark.
  for (let i = 0; i < 30; i++) await c.runs.wait(thread, GRAPH_ID, { input: INPUT });
  entries.length = 0;
  let t0 = performance.now();
  await c.runs.wait(thread, GRAPH_ID, { input: INPUT });
  print(`runs.wait on ${target.where}`, t0, performance.now());
  entries.length = 0;
  t0 = performance.now();
  const marks: string[] = [];
  for await (const e of c.runs.stream(thread, GRAPH_ID, { input: INPUT, streamMode: "values" })) marks.push(`${e.event} +${(performance.now() - t0).toFixed(1)}`);
  print(`runs.stream (${marks.join(", ")})`, t0, performance.now());
} finally {
  await target.close();
  removeProject(dir);
}
