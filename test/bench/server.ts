/**
 * Server benchmark: what Threadline's LangGraph API adds to a run, against
 * the stock `langgraphjs dev` serving the same one-node graph in the same
 * run, each server in a process of its own. PGlite on disk by default (as
 * `threadline serve`); DATABASE_URL selects a Postgres server (in a fresh
 * schema, dropped afterwards).
 *
 *   npm run bench:server -- [--json out.json] [--runs 200] [--stock-runs 30] [--rounds 4]
 *                           [--clients 50] [--seconds 5] [--tp-rounds 2] [--memory] [--workers 10] [--no-stock]
 *
 * --runs: runs.wait on an existing thread on Threadline (the headline);
 * half as many waits on new threads and streamed runs. --stock-runs: the
 * same on the stock server, whose queue polls (~0.5 s a run), so it gets
 * fewer. --memory: PGlite in memory. --workers: Threadline's runs at once
 * (`threadline serve --workers`; the stock server's default is 10 too).
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { median } from "./stats.js";
import {
  INPUT,
  client,
  graphTimes,
  httpFloor,
  importGraph,
  percentile,
  streams,
  throughput,
  waitsOnNewThreads,
  waitsOnThread,
  type StreamTimes,
} from "./server-measure.js";
import { type ServerBenchResult, type ServerFigures, type Spread, printServerReport, ratiosOf } from "./server-report.js";
import {
  STOCK_CLI_VERSION,
  type Target,
  ensureStockCli,
  removeProject,
  repoNodeModules,
  repoVersions,
  startStock,
  startThreadlineProcess,
  writeProject,
} from "./server-targets.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);
const int = (name: string, fallback: number) => {
  const value = Number(arg(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const spreadOf = (values: number[]): Spread => ({ median: median(values), p99: percentile(values, 99), n: values.length });

/** Everything one server collects over the rounds. */
class Collected {
  graph: number[] = [];
  http: number[] = [];
  waitRtt: number[] = [];
  waitOverhead: number[] = [];
  newRtt: number[] = [];
  newOverhead: number[] = [];
  stream: StreamTimes = { first: [], firstValues: [], whole: [] };
  rates: number[] = [];
  errors = 0;
  firstError: string | undefined;
  sql = { wait: [0, 0], fresh: [0, 0], stream: [0, 0], load: [0, 0] } as Record<"wait" | "fresh" | "stream" | "load", [number, number]>;
}

async function main() {
  const started = performance.now();
  const url = process.env.DATABASE_URL;
  const jsonPath = arg("--json");
  const runs = int("--runs", 200);
  const stockRuns = int("--stock-runs", 30);
  const rounds = int("--rounds", 4);
  const clients = int("--clients", 50);
  const seconds = int("--seconds", 5);
  const tpRounds = int("--tp-rounds", 2);
  const withStock = !flag("--no-stock");
  const log = (line: string) => console.error(line);
  const loadStart = loadavg();
  const versions = repoVersions();

  const cliDir = withStock ? ensureStockCli(log) : undefined;
  const projectDir = writeProject(cliDir ? `${cliDir}/node_modules` : repoNodeModules());
  const serverErrors: unknown[] = [];
  const targets: Target[] = [];
  try {
    const threadline = await startThreadlineProcess(projectDir, { ...(url ? { url } : {}), memory: flag("--memory"), ...(arg("--workers") ? { workers: int("--workers", 10) } : {}) });
    targets.push(threadline);
    log(`threadline at ${threadline.url} (${threadline.where})`);
    if (cliDir) {
      log("starting langgraphjs dev ...");
      const stock = await startStock(cliDir, projectDir);
      targets.push(stock);
      log(`stock at ${stock.url} (${stock.where})`);
    }
    const graph = await importGraph(projectDir);
    const collected = new Map<Target, Collected>(targets.map((t) => [t, new Collected()]));
    const isThreadline = (t: Target) => t === threadline;
    const perRound = (t: Target, total: number) => Math.ceil((isThreadline(t) ? total : Math.min(total, stockRuns)) / rounds);

    // Counts what Threadline sends to the database during `fn`, per run.
    const counted = async <T>(t: Target, key: keyof Collected["sql"], runsOf: (value: T) => number, fn: () => Promise<T>): Promise<T> => {
      if (isThreadline(t)) serverErrors.push(...(await threadline.count()).errors);
      const value = await fn();
      if (isThreadline(t)) {
        const { statements, errors } = await threadline.count();
        serverErrors.push(...errors);
        const slot = collected.get(t)!.sql[key];
        slot[0] += statements;
        slot[1] += runsOf(value);
      }
      return value;
    };

    // One thread per server for the waits, one for the streams: the steady
    // state of a conversation, each run one more turn on it.
    const threads = new Map<Target, { wait: string; stream: string }>();
    for (const t of targets) {
      const c = client(t.url);
      threads.set(t, { wait: (await c.threads.create()).thread_id, stream: (await c.threads.create()).thread_id });
    }

    // Warm-up: every code path once (the JIT, the servers' caches, the
    // database's plans) before anything is timed.
    await graphTimes(graph, 200);
    for (const t of targets) {
      const c = client(t.url);
      const n = isThreadline(t) ? 20 : 3;
      log(`warming up ${t.name} ...`);
      await waitsOnThread(c, threads.get(t)!.wait, n);
      await waitsOnNewThreads(c, n);
      await streams(c, threads.get(t)!.stream, n, { first: [], firstValues: [], whole: [] });
    }

    // The servers take turns round by round (the first one alternating), so
    // the machine's drift (2 shared cores) falls on both alike.
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const c = client(t.url);
        const k = collected.get(t)!;
        const g = await graphTimes(graph, 100);
        k.graph.push(...g);
        const own = median(g);
        k.http.push(...(await httpFloor(t.url, 50)));
        const n = perRound(t, runs);
        const half = Math.ceil(n / 2);
        const rtt = await counted(t, "wait", (v) => v.length, () => waitsOnThread(c, threads.get(t)!.wait, n));
        k.waitRtt.push(...rtt);
        k.waitOverhead.push(...rtt.map((ms) => ms - own));
        const fresh = await counted(t, "fresh", (v) => v.length, () => waitsOnNewThreads(c, half));
        k.newRtt.push(...fresh);
        k.newOverhead.push(...fresh.map((ms) => ms - own));
        await counted(t, "stream", () => half, () => streams(c, threads.get(t)!.stream, half, k.stream));
        log(`round ${round + 1}/${rounds} ${t.name}: wait ${median(rtt).toFixed(2)} ms, new thread ${median(fresh).toFixed(2)} ms, first values ${median(k.stream.firstValues.slice(-half)).toFixed(2)} ms (graph ${own.toFixed(3)} ms)`);
      }
    }

    // Throughput: a short burst each first (the code paths of many runs at
    // once), then the timed rounds, again taking turns.
    for (const t of targets) await throughput(t.url, clients, 1);
    for (let round = 0; round < tpRounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        await sleep(500); // let the previous server's leftovers settle
        const k = collected.get(t)!;
        const tp = await counted(t, "load", (v) => v.runs, () => throughput(t.url, clients, seconds));
        k.rates.push(tp.runsPerSecond);
        k.errors += tp.errors;
        k.firstError ??= tp.firstError;
        log(`throughput round ${round + 1}/${tpRounds} ${t.name}: ${tp.runsPerSecond.toFixed(1)} runs/s (${tp.runs} runs, ${tp.errors} failed, ${tp.seconds.toFixed(1)} s)`);
      }
    }

    const figures = (t: Target): ServerFigures => {
      const k = collected.get(t)!;
      const per = ([statements, n]: [number, number]) => statements / n;
      return {
        where: t.where,
        graph_ms: spreadOf(k.graph),
        http_ok_ms: spreadOf(k.http),
        wait_existing_thread: { round_trip_ms: spreadOf(k.waitRtt), overhead_ms: spreadOf(k.waitOverhead) },
        wait_new_thread: { round_trip_ms: spreadOf(k.newRtt), overhead_ms: spreadOf(k.newOverhead) },
        first_event_ms: spreadOf(k.stream.first),
        first_values_ms: spreadOf(k.stream.firstValues),
        stream_whole_ms: spreadOf(k.stream.whole),
        streamed_runs_per_s: median(k.rates),
        streamed_runs_per_s_rounds: k.rates,
        throughput_errors: k.errors,
        ...(k.firstError ? { throughput_first_error: k.firstError } : {}),
        ...(isThreadline(t)
          ? { sql_per_run: { wait_existing_thread: per(k.sql.wait), wait_new_thread: per(k.sql.fresh), stream: per(k.sql.stream), throughput: per(k.sql.load) } }
          : {}),
      };
    };
    const t = figures(threadline);
    const s = targets[1] ? figures(targets[1]) : undefined;
    const result: ServerBenchResult = {
      settings: {
        database: threadline.where,
        node: process.version,
        cpus: cpus().length,
        loadavg_start: loadStart,
        loadavg_end: loadavg(),
        // As taken: each round takes its share rounded up.
        runs: t.wait_existing_thread.round_trip_ms.n,
        stock_runs: s?.wait_existing_thread.round_trip_ms.n ?? 0,
        rounds,
        clients,
        throughput_seconds: seconds,
        throughput_rounds: tpRounds,
        langgraph: versions.langgraph,
        sdk: versions.sdk,
        ...(withStock ? { stock_cli: STOCK_CLI_VERSION } : {}),
        seconds: (performance.now() - started) / 1000,
      },
      threadline: t,
      ...(s ? { stock: s, ratios: ratiosOf(t, s) } : {}),
    };
    printServerReport(result);
    if (serverErrors.length) console.log(`  threadline logged ${serverErrors.length} error(s); first: ${String((serverErrors[0] as Error)?.stack ?? serverErrors[0])}`);
    if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify({ ...result, input: INPUT, threadline_errors: serverErrors.map(String) }, null, 2)}\n`);
  } finally {
    for (const t of targets.reverse()) await t.close().catch((err) => log(`closing ${t.name}: ${String(err)}`));
    removeProject(projectDir);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
