import { toPlain } from "../runtime/plain.js";
import type { RunOutcome, ThreadView } from "../runtime/runtime.js";
import type { ThreadRow } from "../threads/store.js";

const json = (value: unknown) => JSON.stringify(value);

/** How to answer a pending interrupt, as a command the user can paste. */
export function resumeCommand(graphId: string, threadId: string): string {
  return `threadline run ${graphId} --thread ${threadId} --resume <value>`;
}

export function formatOutcome(out: RunOutcome): string {
  const lines = [`thread ${out.threadId} · ${out.graphId} · ${out.status}`];
  if (out.status === "interrupted") {
    for (const i of out.interrupts) lines.push(`  waiting for: ${json(i.value)}`);
    lines.push(`  resume with: ${resumeCommand(out.graphId, out.threadId)}`);
  } else {
    lines.push(JSON.stringify(toPlain(out.values), null, 2));
  }
  return lines.join("\n");
}

export function formatThreadList(rows: ThreadRow[]): string {
  if (rows.length === 0) return "no threads";
  const header = ["THREAD", "GRAPH", "USER", "UPDATED", "CREATED"];
  const body = rows.map((r) => [r.threadId, r.graphId, r.userId ?? "-", r.updatedAt.toISOString(), r.createdAt.toISOString()]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  return [header, ...body].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export function formatThread(view: ThreadView): string {
  const status = view.interrupts.length ? "interrupted" : view.next.length ? "unfinished" : "idle";
  const lines = [
    `thread ${view.thread.threadId} · ${view.thread.graphId} · ${status}`,
    `created ${view.thread.createdAt.toISOString()} · updated ${view.thread.updatedAt.toISOString()}`,
    `checkpoint ${view.checkpointId ?? "none"}`,
  ];
  if (view.next.length) lines.push(`next: ${view.next.join(", ")}`);
  for (const i of view.interrupts) lines.push(`waiting for: ${json(i.value)}`);
  if (view.interrupts.length) lines.push(`resume with: ${resumeCommand(view.thread.graphId, view.thread.threadId)}`);
  else if (view.next.length) lines.push(`continue with: threadline run ${view.thread.graphId} --thread ${view.thread.threadId}`);
  lines.push("state:", JSON.stringify(toPlain(view.values), null, 2), `history (${view.history.length}, newest first):`);
  for (const h of view.history) {
    const next = h.next.length ? ` → ${h.next.join(", ")}` : "";
    lines.push(`  step ${String(h.step).padStart(3)}  ${h.source.padEnd(6)}  ${h.checkpointId}  ${h.createdAt ?? ""}${next}`);
    if (h.missingParentCheckpointId) {
      lines.push(`  ⋯ gap: the steps before were lost (parent checkpoint ${h.missingParentCheckpointId} is missing); this one was saved whole`);
    }
  }
  return lines.join("\n");
}
