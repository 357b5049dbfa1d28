import type { SaverMetrics } from "./measure.js";

export interface BenchResult {
  backend: string;
  no_checkpointer_ms_per_step: number;
  /** The graph's own throughput at 50 × 20 without a checkpointer: the ceiling for any saver. */
  no_checkpointer_concurrent_steps_per_s: number;
  memory_saver_ms_per_step: number;
  stock: SaverResult;
  threadline: SaverResult;
  /** Threadline with `synchronousCommit: true` (every put waits for the disk); Postgres only. */
  threadline_synchronous_commit?: { ms_per_step: number; concurrent_steps_per_s: number };
  seconds: number;
}

/** One saver's figures in the JSON: its own measurements and the shared concurrency rounds. */
export type SaverResult = SaverMetrics & { concurrent_steps_per_s: number; no_checkpointer_ms_per_step: number };

interface Row {
  metric: string;
  stock: string;
  threadline: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));
const kb = (n: number | undefined) => (n === undefined ? "-" : `${(n / 1024).toFixed(0)} KB`);

/** The table printed on stdout, with the targets (which apply to real Postgres). */
export function rows(r: BenchResult): Row[] {
  const s = r.stock;
  const t = r.threadline;
  const ratio = (a: number | null, b: number | null) => (a && b ? a / b : Number.NaN);
  const out: Row[] = [];
  const speed = ratio(s.ms_per_step, t.ms_per_step);
  out.push({ metric: `ms per step (median of ${t.ms_per_step_rounds.length} rounds)`, stock: fmt(s.ms_per_step, 3), threadline: fmt(t.ms_per_step, 3), ratio: `${fmt(speed, 1)}x`, target: ">= 5x", met: speed >= 5 });
  const [sFast, sSlow] = [Math.min(...s.ms_per_step_rounds), Math.max(...s.ms_per_step_rounds)];
  const [tFast, tSlow] = [Math.min(...t.ms_per_step_rounds), Math.max(...t.ms_per_step_rounds)];
  out.push({ metric: "  fastest / slowest round", stock: `${fmt(sFast, 3)} / ${fmt(sSlow, 3)}`, threadline: `${fmt(tFast, 3)} / ${fmt(tSlow, 3)}`, ratio: `${fmt(ratio(sFast, tFast), 1)}x / ${fmt(ratio(sSlow, tSlow), 1)}x`, target: "", met: undefined });
  const growth = ratio(s.ms_per_step_growth, t.ms_per_step_growth);
  out.push({ metric: "  growing the measured thread", stock: fmt(s.ms_per_step_growth, 3), threadline: fmt(t.ms_per_step_growth, 3), ratio: `${fmt(growth, 1)}x`, target: "", met: undefined });
  const strict = r.threadline_synchronous_commit;
  if (strict) {
    const ratioStrict = ratio(s.ms_per_step, strict.ms_per_step);
    out.push({ metric: "  synchronous commit per put", stock: "", threadline: fmt(strict.ms_per_step, 3), ratio: `${fmt(ratioStrict, 1)}x`, target: "", met: undefined });
  }
  const floor = t.ms_per_step / r.no_checkpointer_ms_per_step;
  out.push({ metric: "  vs no checkpointer", stock: fmt(s.ms_per_step / r.no_checkpointer_ms_per_step, 1) + "x", threadline: `${fmt(floor, 2)}x`, ratio: `floor ${fmt(r.no_checkpointer_ms_per_step, 3)} ms`, target: "<= 2x", met: floor <= 2 });
  out.push({ metric: "statements per step (all)", stock: fmt(s.statements_per_step), threadline: fmt(t.statements_per_step), ratio: "", target: "<= 2", met: t.statements_per_step <= 2 });
  out.push({ metric: "  of which BEGIN/COMMIT", stock: fmt(s.transaction_control_per_step), threadline: fmt(t.transaction_control_per_step), ratio: "", target: "", met: undefined });
  out.push({ metric: "  incl. read per invoke", stock: fmt(s.statements_per_step_overall + s.transaction_control_per_step), threadline: fmt(t.statements_per_step_overall + t.transaction_control_per_step), ratio: "", target: "", met: undefined });
  for (const [label, key] of [["payload bytes", "payload_bytes_at"], ["disk bytes", "bytes_at"]] as const) {
    for (const size of ["50", "100", "200", "400"]) {
      const r400 = ratio(s[key][size] ?? null, t[key][size] ?? null);
      const at400 = size === "400";
      out.push({ metric: `${label} at ${size} msgs`, stock: kb(s[key][size]), threadline: kb(t[key][size]), ratio: `${fmt(r400, 1)}x`, target: at400 ? ">= 25x" : "", met: at400 ? r400 >= 25 : undefined });
    }
    const growth = ratio(t[key]["400"] ?? null, t[key]["200"] ?? null);
    out.push({ metric: `  ${label} 400 / 200`, stock: fmt(ratio(s[key]["400"] ?? null, s[key]["200"] ?? null)), threadline: fmt(growth), ratio: "", target: "<= 2.2", met: growth <= 2.2 });
  }
  const gs = ratio(s.get_state_ms_400, t.get_state_ms_400);
  out.push({ metric: "getState ms (400 msgs)", stock: fmt(s.get_state_ms_400), threadline: fmt(t.get_state_ms_400), ratio: `${fmt(gs, 1)}x`, target: ">= 10x", met: gs >= 10 });
  const ha = ratio(s.history_all_ms_400, t.history_all_ms_400);
  out.push({ metric: `whole history ms (${t.history_all_checkpoints} cps)`, stock: fmt(s.history_all_ms_400, 1), threadline: fmt(t.history_all_ms_400, 1), ratio: `${fmt(ha, 1)}x`, target: ">= 40x", met: Number.isNaN(ha) ? undefined : ha >= 40 });
  const gsc = ratio(s.get_state_cold_ms_400, t.get_state_cold_ms_400);
  out.push({ metric: "  cold (new saver instance)", stock: fmt(s.get_state_cold_ms_400), threadline: fmt(t.get_state_cold_ms_400), ratio: `${fmt(gsc, 1)}x`, target: "", met: undefined });
  const hac = ratio(s.history_all_cold_ms_400, t.history_all_cold_ms_400);
  out.push({ metric: "  whole history, cold", stock: fmt(s.history_all_cold_ms_400, 1), threadline: fmt(t.history_all_cold_ms_400, 1), ratio: `${fmt(hac, 1)}x`, target: "", met: undefined });
  const h10 = ratio(s.history_10_ms_400, t.history_10_ms_400);
  out.push({ metric: "history limit 10 ms", stock: fmt(s.history_10_ms_400), threadline: fmt(t.history_10_ms_400), ratio: `${fmt(h10, 1)}x`, target: "", met: undefined });
  const cc = ratio(t.concurrent_steps_per_s, s.concurrent_steps_per_s);
  out.push({ metric: "50 threads x 20 steps, steps/s", stock: fmt(s.concurrent_steps_per_s, 0), threadline: fmt(t.concurrent_steps_per_s, 0), ratio: `${fmt(cc, 1)}x`, target: ">= 3x", met: cc >= 3 });
  if (strict) {
    const ccStrict = ratio(strict.concurrent_steps_per_s, s.concurrent_steps_per_s);
    out.push({ metric: "  synchronous commit per put", stock: "", threadline: fmt(strict.concurrent_steps_per_s, 0), ratio: `${fmt(ccStrict, 1)}x`, target: "", met: undefined });
  }
  const ceiling = r.no_checkpointer_concurrent_steps_per_s;
  const share = (n: number) => `${fmt((100 * n) / ceiling, 0)}%`;
  out.push({ metric: "  share of no checkpointer", stock: share(s.concurrent_steps_per_s), threadline: share(t.concurrent_steps_per_s), ratio: `ceiling ${fmt(ceiling, 0)}/s = ${fmt(ratio(ceiling, s.concurrent_steps_per_s), 1)}x`, target: "", met: undefined });
  return out;
}

export function printReport(r: BenchResult): void {
  const table = rows(r);
  const header = ["metric", "stock", "threadline", "ratio", "target", "met"];
  const cells = table.map((row) => [row.metric, row.stock, row.threadline, row.ratio, row.target, row.met === undefined ? "" : row.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nCheckpointer benchmark on ${r.backend} (${r.seconds.toFixed(0)} s; MemorySaver ${fmt(r.memory_saver_ms_per_step, 3)} ms/step)`);
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
}
