/**
 * Client-side measurements of one server through @langchain/langgraph-sdk's
 * Client, the same code for Threadline and the stock server. Every figure is
 * a round trip as an application sees it: from the call until the answer
 * (or event) is in hand.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Client } from "@langchain/langgraph-sdk";
import { GRAPH_ID } from "./server-targets.js";

export const INPUT = { value: "go" };

export function client(url: string): Client {
  // No retries: a retried request would hide a failure inside a slow sample.
  return new Client({ apiUrl: url, callerOptions: { maxRetries: 0 } });
}

/** Nearest-rank percentile (p in 0..100); with fewer than 100 samples p99 is the slowest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Samples {
  /** Client round trips, ms. */
  rtt: number[];
  /** rtt minus the graph's own time measured in the same round. */
  overhead: number[];
}

/** The graph module's compiled graph as imported here: the same module both servers run, without a checkpointer. */
export async function importGraph(projectDir: string): Promise<{ invoke(input: unknown): Promise<unknown> }> {
  const mod = (await import(pathToFileURL(`${projectDir}/graph.mjs`).href)) as { graph: { invoke(input: unknown): Promise<unknown> } };
  return mod.graph;
}

/**
 * The graph's own execution time: `invoke` of the compiled graph, no
 * checkpointer, no server, in this process. Everything a server adds on top
 * (HTTP, the run record, checkpoints, the queue) is its overhead.
 */
export async function graphTimes(graph: { invoke(input: unknown): Promise<unknown> }, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await graph.invoke(INPUT);
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * `n` GET /ok, one after another: the HTTP round trip with nothing behind
 * it, the floor under every figure (and a gauge of how busy the machine is).
 */
export async function httpFloor(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const response = await fetch(`${url}/ok`);
    await response.text();
    out.push(performance.now() - start);
  }
  return out;
}

/** `n` runs.wait, one after another, on one existing thread (the steady state of a conversation). */
export async function waitsOnThread(c: Client, threadId: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const result = (await c.runs.wait(threadId, GRAPH_ID, { input: INPUT })) as { value?: string } | null;
    out.push(performance.now() - start);
    if (result?.value !== "done") throw new Error(`runs.wait answered ${JSON.stringify(result)}`);
  }
  return out;
}

/**
 * `n` runs.wait, each on a thread of its own created by the same request
 * (`if_not_exists: "create"`): the first turn of a new conversation, one
 * round trip.
 */
export async function waitsOnNewThreads(c: Client, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const threadId = randomUUID(); // the stock server takes only UUIDs
    const start = performance.now();
    const result = (await c.runs.wait(threadId, GRAPH_ID, { input: INPUT, ifNotExists: "create" })) as { value?: string } | null;
    out.push(performance.now() - start);
    if (result?.value !== "done") throw new Error(`runs.wait answered ${JSON.stringify(result)}`);
  }
  return out;
}

export interface StreamTimes {
  /** Until the first event (`metadata`). */
  first: number[];
  /** Until the first `values` event. */
  firstValues: number[];
  /** Until the stream ended. */
  whole: number[];
}

/** `n` streamed runs (stream mode values) on one thread, each read to the end. */
export async function streams(c: Client, threadId: string, n: number, out: StreamTimes): Promise<void> {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    let first: number | undefined;
    let firstValues: number | undefined;
    for await (const event of c.runs.stream(threadId, GRAPH_ID, { input: INPUT, streamMode: "values" })) {
      const now = performance.now() - start;
      first ??= now;
      if (event.event === "values") firstValues ??= now;
      if (event.event === "error") throw new Error(`the stream sent an error: ${JSON.stringify(event.data)}`);
    }
    const whole = performance.now() - start;
    if (first === undefined || firstValues === undefined) throw new Error("a stream ended without a values event");
    out.first.push(first);
    out.firstValues.push(firstValues);
    out.whole.push(whole);
  }
}

export interface Throughput {
  runs: number;
  errors: number;
  seconds: number;
  runsPerSecond: number;
  firstError?: string;
}

/**
 * `clients` clients at once, each on a thread of its own, each running
 * streamed runs back to back (read to the end) until `seconds` have passed;
 * the rate counts the runs finished over the time until the last client
 * finished its last run.
 */
export async function throughput(url: string, clients: number, seconds: number): Promise<Throughput> {
  const setup = client(url);
  const threads = await Promise.all(Array.from({ length: clients }, () => setup.threads.create()));
  let runs = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    threads.map(async (thread) => {
      const c = client(url);
      while (performance.now() < deadline) {
        try {
          let ended = false;
          for await (const event of c.runs.stream(thread.thread_id, GRAPH_ID, { input: INPUT, streamMode: "values" })) {
            if (event.event === "error") throw new Error(JSON.stringify(event.data));
            if (event.event === "values") ended = true;
          }
          if (!ended) throw new Error("a stream ended without a values event");
          runs++;
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
          // A server refusing at once must not turn this loop into a busy spin.
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { runs, errors, seconds: elapsed, runsPerSecond: runs / elapsed, ...(firstError ? { firstError } : {}) };
}
