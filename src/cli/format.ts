import { toPlain } from "../graph/plain.js";
import type { RunOutcome, ThreadView } from "../runtime/runtime.js";
import type { ThreadRow } from "../threads/store.js";

const json = (value: unknown) => JSON.stringify(value);

/** The thread a command drives, as its flags name it. */
export interface RunTarget {
  graphId: string;
  threadId: string;
  userId?: string | null;
}

// A thread with an owner is unknown to every other user, so a command to
// paste names the owner.
const userFlag = (t: RunTarget) => (t.userId ? ` --user ${t.userId}` : "");

/** Continues a run cut off between steps, as a command the user can paste. */
export function continueCommand(t: RunTarget): string {
  return `threadline run ${t.graphId} --thread ${t.threadId}${userFlag(t)}`;
}

/** Answers the thread's pending interrupt, as a command the user can paste. */
export function resumeCommand(t: RunTarget): string {
  return `${continueCommand(t)} --resume <value>`;
}

/** Where `threadline threads show` tells how the thread stands. */
export function showCommand(t: RunTarget): string {
  return `threadline threads show ${t.threadId}${userFlag(t)}`;
}

export function formatOutcome(out: RunOutcome, userId?: string): string {
  const lines = [`thread ${out.threadId} · ${out.graphId} · ${out.status}`];
  if (out.status === "interrupted") {
    for (const i of out.interrupts) lines.push(`  waiting for: ${json(i.value)}`);
    lines.push(`  resume with: ${resumeCommand({ ...out, userId })}`);
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
  if (view.interrupts.length) lines.push(`resume with: ${resumeCommand(view.thread)}`);
  else if (view.next.length) lines.push(`continue with: ${continueCommand(view.thread)}`);
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
