import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { buildGraph, inputFor } from "./graph.js";
import { type StatementCounter, median, timeIt } from "./stats.js";

export const SIZES = [50, 100, 200, 400] as const;

export interface SaverMetrics {
  /** Median of the interleaved rounds' medians (roundsOfSteps). */
  ms_per_step: number;
  ms_per_step_rounds: number[];
  /** The same median taken once, over the steps that grew the measured thread in four invocations. */
  ms_per_step_growth: number;
  steps_measured: number;
  /** Between consecutive steps (the steady state): put() + putWrites(). */
  statements_per_step: number;
  /** Everything, including the read at the start of each invocation. */
  statements_per_step_overall: number;
  transaction_control_per_step: number;
  bytes_at: Record<string, number>;
  payload_bytes_at: Record<string, number>;
  get_state_ms_400: number;
  get_state_cold_ms_400: number;
  history_all_ms_400: number | null;
  history_all_checkpoints: number;
  history_all_cold_ms_400: number | null;
  history_10_ms_400: number;
}

export interface MeasureOptions {
  counter: StatementCounter;
  /** Total bytes of the saver's tables (heap, TOAST and indexes). */
  sizeOf: () => Promise<number>;
  /** Uncompressed bytes of every stored value of the saver's tables. */
  payloadOf: () => Promise<number>;
  /** A new instance on the same tables with nothing cached, as a new process has. */
  fresh: () => BaseCheckpointSaver;
  historyAllReps: number;
  log: (line: string) => void;
}

const SYNC = "sync" as const;

type WriteMetrics = Pick<SaverMetrics,
  "ms_per_step_growth" | "steps_measured" | "statements_per_step" | "statements_per_step_overall" | "transaction_control_per_step" | "bytes_at" | "payload_bytes_at">;
type ReadMetrics = Omit<SaverMetrics, keyof WriteMetrics | "ms_per_step" | "ms_per_step_rounds">;

/**
 * Grows one thread to 400 messages in four invocations (50/100/200/400),
 * timing every step and taking the tables' size at each size. Returns the
 * thread (for measureReads) and the figures.
 */
export async function measureWrites(name: string, saver: BaseCheckpointSaver, options: MeasureOptions): Promise<{ threadId: string; metrics: WriteMetrics }> {
  const { counter, log } = options;
  const graph = buildGraph(saver);
  const threadId = `bench-${name}-${Date.now()}`;
  const deltas: number[] = [];
  const bytesAt: Record<string, number> = {};
  const payloadAt: Record<string, number> = {};
  let steps = 0;
  let statements = 0;
  let control = 0;
  let steady = 0;
  for (const [i, target] of SIZES.entries()) {
    counter.reset();
    const stream = await graph.stream(inputFor(i === 0), {
      configurable: { thread_id: threadId, target },
      durability: SYNC,
      recursionLimit: 10_000,
      streamMode: "updates",
    });
    let last: number | undefined;
    let first = 0;
    let latest = 0;
    for await (const _chunk of stream) {
      const now = performance.now();
      if (last !== undefined) deltas.push(now - last);
      else first = counter.statements + counter.transactionControl;
      latest = counter.statements + counter.transactionControl;
      last = now;
      steps++;
    }
    steady += latest - first;
    statements += counter.statements;
    control += counter.transactionControl;
    bytesAt[String(target)] = await options.sizeOf();
    payloadAt[String(target)] = await options.payloadOf();
    log(`  ${name}: ${target} messages, ${bytesAt[String(target)]} bytes on disk, ${payloadAt[String(target)]} payload bytes`);
  }
  return {
    threadId,
    metrics: {
      ms_per_step_growth: median(deltas),
      steps_measured: deltas.length,
      statements_per_step: steady / deltas.length,
      statements_per_step_overall: statements / steps,
      transaction_control_per_step: control / steps,
      bytes_at: bytesAt,
      payload_bytes_at: payloadAt,
    },
  };
}

/** getState and history of the thread measureWrites grew, warm and with a fresh saver. */
export async function measureReads(name: string, saver: BaseCheckpointSaver, threadId: string, options: MeasureOptions): Promise<ReadMetrics> {
  const { log } = options;
  const graph = buildGraph(saver);
  const thread = { configurable: { thread_id: threadId } };
  await graph.getState(thread);
  const getState: number[] = [];
  for (let i = 0; i < 10; i++) getState.push((await timeIt(() => graph.getState(thread)))[0]);

  const history = async (limit?: number) => {
    let count = 0;
    for await (const _snapshot of graph.getStateHistory(thread, limit === undefined ? undefined : { limit })) count++;
    return count;
  };
  await history(10);
  const history10: number[] = [];
  for (let i = 0; i < 10; i++) history10.push((await timeIt(() => history(10)))[0]);
  log(`  ${name}: getState ${median(getState).toFixed(2)} ms, history(10) ${median(history10).toFixed(2)} ms`);

  const historyAll: number[] = [];
  let historyCount = 0;
  for (let i = 0; i < options.historyAllReps; i++) {
    const [ms, count] = await timeIt(() => history());
    historyAll.push(ms);
    historyCount = count;
  }
  log(`  ${name}: whole history ${historyAll.length ? median(historyAll).toFixed(1) : "skipped"} ms (${historyCount} checkpoints)`);

  const coldState: number[] = [];
  for (let i = 0; i < 5; i++) coldState.push((await timeIt(() => buildGraph(options.fresh()).getState(thread)))[0]);
  const coldHistory: number[] = [];
  for (let i = 0; i < Math.min(options.historyAllReps, 3); i++) {
    const cold = buildGraph(options.fresh());
    coldHistory.push((await timeIt(async () => {
      for await (const _snapshot of cold.getStateHistory(thread)) void _snapshot;
    }))[0]);
  }
  log(`  ${name}: cold getState ${median(coldState).toFixed(2)} ms, cold history ${coldHistory.length ? median(coldHistory).toFixed(1) : "skipped"} ms`);
  return {
    get_state_ms_400: median(getState),
    get_state_cold_ms_400: median(coldState),
    history_all_ms_400: historyAll.length ? median(historyAll) : null,
    history_all_checkpoints: historyCount,
    history_all_cold_ms_400: coldHistory.length ? median(coldHistory) : null,
    history_10_ms_400: median(history10),
  };
}

/**
 * Milliseconds per step of each saver (undefined: no checkpointer), in
 * `rounds` rounds where the savers take turns, each turn one new thread run
 * straight to 400 messages. Returns every saver's per-round medians. Taking
 * turns matters as much here as for concurrency: the machine drifts by tens
 * of percent within a minute, and one pass per saver, minutes apart, put that
 * drift into the ratio.
 */
export async function roundsOfSteps(savers: Record<string, BaseCheckpointSaver | undefined>, rounds: number, log: (line: string) => void): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(savers).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, saver] of Object.entries(savers)) out[name]!.push((await measureFloor(saver)).ms);
  }
  for (const [name, values] of Object.entries(out)) {
    log(`  ${name}: ${median(values).toFixed(3)} ms/step (rounds: ${values.map((v) => v.toFixed(3)).join(", ")})`);
  }
  return out;
}

/**
 * Steps per second of each saver running 50 threads × 20 steps at once: the
 * median of five rounds after one warm-up round each (whose code paths, such
 * as grouped statements, nothing before has run). The savers take turns
 * round by round, so a change in the machine's load during the run (it moves
 * single rounds by ±10% here) falls on all of them alike.
 */
export async function medianConcurrent(savers: Record<string, BaseCheckpointSaver | undefined>, log: (line: string) => void): Promise<Record<string, number>> {
  for (const [name, saver] of Object.entries(savers)) await measureConcurrent(`${name}-warm`, saver);
  const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(savers).map((name) => [name, []]));
  for (let i = 0; i < 5; i++) {
    for (const [name, saver] of Object.entries(savers)) rounds[name]!.push(await measureConcurrent(`${name}-${i}`, saver));
  }
  const medians: Record<string, number> = {};
  for (const [name, values] of Object.entries(rounds)) {
    medians[name] = median(values);
    log(`  ${name}: ${medians[name]!.toFixed(0)} concurrent steps/s (rounds: ${values.map((v) => v.toFixed(0)).join(", ")})`);
  }
  return medians;
}

/** 50 threads × 20 steps at once (saver undefined: no checkpointer); returns steps per second of wall time. */
export async function measureConcurrent(name: string, saver: BaseCheckpointSaver | undefined, threads = 50, stepsPerThread = 20): Promise<number> {
  const graph = buildGraph(saver);
  const stamp = Date.now();
  const [ms, steps] = await timeIt(async () => {
    const counts = await Promise.all(
      Array.from({ length: threads }, async (_, t) => {
        let count = 0;
        const stream = await graph.stream(inputFor(true), {
          // The human input counts as one message, so target = steps + 1.
          configurable: { thread_id: `bench-${name}-c${stamp}-${t}`, target: stepsPerThread + 1 },
          durability: SYNC,
          recursionLimit: 10_000,
          streamMode: "updates",
        });
        for await (const _chunk of stream) count++;
        return count;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  });
  return steps / (ms / 1000);
}

let floorRuns = 0;

/** Median step time of the graph run straight to 400 messages (no resumes). */
export async function measureFloor(saver: BaseCheckpointSaver | undefined, counter?: StatementCounter): Promise<{ ms: number; statements: number }> {
  counter?.reset();
  const graph = buildGraph(saver);
  const deltas: number[] = [];
  let last: number | undefined;
  const stream = await graph.stream(inputFor(true), {
    configurable: { thread_id: `bench-floor-${Date.now()}-${++floorRuns}`, target: 400 },
    durability: SYNC,
    recursionLimit: 10_000,
    streamMode: "updates",
  });
  let first = 0;
  let latest = 0;
  for await (const _chunk of stream) {
    const now = performance.now();
    if (last !== undefined) deltas.push(now - last);
    else first = counter ? counter.statements + counter.transactionControl : 0;
    latest = counter ? counter.statements + counter.transactionControl : 0;
    last = now;
  }
  return { ms: median(deltas), statements: (latest - first) / deltas.length };
}
