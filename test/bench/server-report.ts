/** The server benchmark's figures (also its JSON) and the table printed on stdout. */

export interface Spread {
  median: number;
  p99: number;
  n: number;
}

export interface WaitFigures {
  /** Client round trip of runs.wait. */
  round_trip_ms: Spread;
  /** Round trip minus the graph's own time (median of the same round). */
  overhead_ms: Spread;
}

export interface ServerFigures {
  where: string;
  /** invoke() of the same compiled graph without checkpointer or server, in the benchmark's process. */
  graph_ms: Spread;
  /** GET /ok: the HTTP round trip with nothing behind it. */
  http_ok_ms: Spread;
  wait_existing_thread: WaitFigures;
  wait_new_thread: WaitFigures;
  first_event_ms: Spread;
  first_values_ms: Spread;
  stream_whole_ms: Spread;
  /** Median over the rounds; each round `clients` clients for `seconds`. */
  streamed_runs_per_s: number;
  streamed_runs_per_s_rounds: number[];
  throughput_errors: number;
  throughput_first_error?: string;
  /** SQL statements (BEGIN/COMMIT included) the process sent per run, background polling included; Threadline only. */
  sql_per_run?: { wait_existing_thread: number; wait_new_thread: number; stream: number; throughput: number };
}

export interface Settings {
  database: string;
  node: string;
  cpus: number;
  loadavg_start: number[];
  loadavg_end?: number[];
  runs: number;
  stock_runs: number;
  rounds: number;
  clients: number;
  throughput_seconds: number;
  throughput_rounds: number;
  langgraph: string;
  sdk: string;
  stock_cli?: string;
  seconds?: number;
}

export interface ServerBenchResult {
  settings: Settings;
  threadline: ServerFigures;
  stock?: ServerFigures;
  /** stock / threadline for every figure (a time: how many times slower stock is; a rate: below 1 when stock is slower). */
  ratios?: Record<string, number>;
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));
const spread = (s: Spread | undefined, digits = 2) => (s ? `${fmt(s.median, digits)} / ${fmt(s.p99, digits)}` : "-");

interface Row {
  metric: string;
  threadline: string;
  stock: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

/** stock / threadline of each headline figure, by name (the JSON's `ratios`). */
export function ratiosOf(t: ServerFigures, s: ServerFigures): Record<string, number> {
  return {
    wait_existing_thread_overhead_median: s.wait_existing_thread.overhead_ms.median / t.wait_existing_thread.overhead_ms.median,
    wait_existing_thread_overhead_p99: s.wait_existing_thread.overhead_ms.p99 / t.wait_existing_thread.overhead_ms.p99,
    wait_new_thread_overhead_median: s.wait_new_thread.overhead_ms.median / t.wait_new_thread.overhead_ms.median,
    wait_new_thread_overhead_p99: s.wait_new_thread.overhead_ms.p99 / t.wait_new_thread.overhead_ms.p99,
    first_event_median: s.first_event_ms.median / t.first_event_ms.median,
    first_values_median: s.first_values_ms.median / t.first_values_ms.median,
    stream_whole_median: s.stream_whole_ms.median / t.stream_whole_ms.median,
    streamed_runs_per_s: s.streamed_runs_per_s / t.streamed_runs_per_s,
  };
}

function rows(r: ServerBenchResult): Row[] {
  const t = r.threadline;
  const s = r.stock;
  const q = r.ratios ?? {};
  const x = (key: string, digits = 1) => (q[key] === undefined ? "-" : `${fmt(q[key], digits)}x`);
  const both = (a: string, b: string) => (a === "-" && b === "-" ? "-" : `${a} / ${b}`);
  const out: Row[] = [];
  const head = t.wait_existing_thread.overhead_ms;
  const vsStock = q.wait_existing_thread_overhead_median;
  out.push({ metric: "runs.wait overhead, existing thread", threadline: spread(head), stock: spread(s?.wait_existing_thread.overhead_ms, 1), ratio: both(x("wait_existing_thread_overhead_median"), x("wait_existing_thread_overhead_p99")), target: "<= 10 ms median", met: head.median <= 10 });
  if (s) out.push({ metric: "  below stock", threadline: "", stock: "", ratio: x("wait_existing_thread_overhead_median"), target: ">= 50x", met: vsStock === undefined ? undefined : vsStock >= 50 });
  out.push({ metric: "  round trip", threadline: spread(t.wait_existing_thread.round_trip_ms), stock: spread(s?.wait_existing_thread.round_trip_ms, 1), ratio: "", target: "", met: undefined });
  out.push({ metric: "runs.wait overhead, new thread each", threadline: spread(t.wait_new_thread.overhead_ms), stock: spread(s?.wait_new_thread.overhead_ms, 1), ratio: both(x("wait_new_thread_overhead_median"), x("wait_new_thread_overhead_p99")), target: "", met: undefined });
  out.push({ metric: "first event (metadata)", threadline: spread(t.first_event_ms), stock: spread(s?.first_event_ms, 1), ratio: x("first_event_median"), target: "", met: undefined });
  out.push({ metric: "first values event", threadline: spread(t.first_values_ms), stock: spread(s?.first_values_ms, 1), ratio: x("first_values_median"), target: "", met: undefined });
  out.push({ metric: "whole streamed run", threadline: spread(t.stream_whole_ms), stock: spread(s?.stream_whole_ms, 1), ratio: x("stream_whole_median"), target: "", met: undefined });
  out.push({ metric: `streamed runs/s, ${r.settings.clients} clients`, threadline: fmt(t.streamed_runs_per_s, 0), stock: s ? fmt(s.streamed_runs_per_s, 1) : "-", ratio: x("streamed_runs_per_s", 3), target: "", met: undefined });
  out.push({ metric: "  rounds", threadline: t.streamed_runs_per_s_rounds.map((v) => fmt(v, 0)).join(", "), stock: s ? s.streamed_runs_per_s_rounds.map((v) => fmt(v, 1)).join(", ") : "-", ratio: "", target: "", met: undefined });
  out.push({ metric: "  failed runs", threadline: String(t.throughput_errors), stock: s ? String(s.throughput_errors) : "-", ratio: "", target: "", met: undefined });
  out.push({ metric: "GET /ok (HTTP floor)", threadline: spread(t.http_ok_ms), stock: spread(s?.http_ok_ms), ratio: "", target: "", met: undefined });
  out.push({ metric: "graph alone (invoke, no server)", threadline: spread(t.graph_ms, 3), stock: spread(s?.graph_ms, 3), ratio: "", target: "", met: undefined });
  const sql = t.sql_per_run;
  if (sql) {
    out.push({ metric: "SQL statements per run: wait", threadline: fmt(sql.wait_existing_thread, 1), stock: "", ratio: "", target: "", met: undefined });
    out.push({ metric: "  wait on a new thread", threadline: fmt(sql.wait_new_thread, 1), stock: "", ratio: "", target: "", met: undefined });
    out.push({ metric: "  stream / under load", threadline: `${fmt(sql.stream, 1)} / ${fmt(sql.throughput, 1)}`, stock: "", ratio: "", target: "", met: undefined });
  }
  return out;
}

export function printServerReport(r: ServerBenchResult): void {
  const st = r.settings;
  console.log(`\nServer benchmark (${fmt(st.seconds, 0)} s): node ${st.node}, ${st.cpus} cpus, load ${st.loadavg_start.map((l) => l.toFixed(2)).join(" ")} at start, ${(st.loadavg_end ?? []).map((l) => l.toFixed(2)).join(" ")} at end`);
  console.log(`  threadline: ${r.threadline.where}`);
  if (r.stock) console.log(`  stock:      ${r.stock.where}`);
  console.log(
    `  runs.wait on an existing thread: ${st.runs} on threadline, ${st.stock_runs} on stock (half as many new-thread waits and streams), in ${st.rounds} alternating rounds; ` +
      `throughput: ${st.clients} clients x ${st.throughput_seconds} s x ${st.throughput_rounds} rounds; @langchain/langgraph ${st.langgraph}, sdk ${st.sdk}`,
  );
  console.log("  times in ms as median / p99 (nearest rank: with < 100 samples p99 is the slowest); ratio = stock / threadline");
  const header = ["metric", "threadline", "stock", "ratio", "target", "met"];
  const cells = rows(r).map((row) => [row.metric, row.threadline, row.stock, row.ratio, row.target, row.met === undefined ? "" : row.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
  for (const [name, f] of Object.entries({ threadline: r.threadline, stock: r.stock })) {
    if (f?.throughput_first_error) console.log(`  ${name}: first failed run under load: ${f.throughput_first_error}`);
  }
}
