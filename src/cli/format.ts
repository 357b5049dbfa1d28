import type { Thread } from "../threads/service.js";
import type { ThreadStateView } from "../threads/state.js";
import { userIdOf } from "../owners.js";
import { interruptsOf, type RunOutcome } from "./drive.js";

const json = (value: unknown) => JSON.stringify(value);

/** The thread a command drives, as its flags name it. */
export interface RunTarget {
  graphId: string;
  threadId: string;
  /** A user id, or an owner (the anonymous owner takes no flag). */
  userId?: string | null;
}

// A thread with an owner is unknown to every other user, so a command to
// paste names the owner.
const userFlag = (t: RunTarget) => {
  const user = t.userId ? userIdOf(t.userId) : undefined;
  return user ? ` --user ${user}` : "";
};

/** Continues a run cut off between steps, as a command the user can paste. */
export function continueCommand(t: RunTarget): string {
  return `threadline run ${t.graphId} --thread ${t.threadId}${userFlag(t)}`;
}

/** Answers the thread's pending interrupt, as a command the user can paste. */
export function resumeCommand(t: RunTarget): string {
  return `${continueCommand(t)} --resume <value>`;
}

/** Where `threadline threads show` tells how the thread stands. */
export function showCommand(t: { threadId: string; userId?: string | null }): string {
  return `threadline threads show ${t.threadId}${userFlag({ graphId: "", ...t })}`;
}

/** What `run --json` prints. */
export function outcomeJson(out: RunOutcome) {
  return {
    runId: out.runId,
    threadId: out.threadId,
    graphId: out.graphId,
    status: out.status,
    values: out.state.values,
    next: out.state.next,
    interrupts: interruptsOf(out.state),
    checkpointId: out.state.checkpoint?.checkpointId ?? null,
  };
}

export function formatOutcome(out: RunOutcome): string {
  const target = { graphId: out.graphId, threadId: out.threadId, userId: out.owner };
  const lines = [`thread ${out.threadId} · ${out.graphId} · ${out.status}`];
  lines.push(...wayOn(out.state, target).map((line) => `  ${line}`));
  if (out.status === "complete") lines.push(formatValues(out.state.values));
  return lines.join("\n");
}

/** A state's values, as a run that completed shows them. */
export function formatValues(values: Record<string, unknown>): string {
  return JSON.stringify(values, null, 2);
}

/**
 * The refusal for a thread the owner does not have. Without --user a
 * command acts for the anonymous owner, so the hint says where a named
 * user's threads are; it comes whether or not such a thread exists, so it
 * tells nothing of other users' threads.
 */
export function unknownThread(threadId: string, userId: string | undefined): string {
  return `unknown thread "${threadId}"${userId === undefined ? " (threads of a named user need --user <id>)" : ""}`;
}

/** What the thread waits for and the command that carries it on. */
function wayOn(state: ThreadStateView, target: RunTarget): string[] {
  const interrupts = interruptsOf(state);
  if (interrupts.length) return [...interrupts.map((i) => `waiting for: ${json(i.value)}`), `resume with: ${resumeCommand(target)}`];
  if (state.next.length) return [`stopped before: ${state.next.join(", ")}`, `continue with: ${continueCommand(target)}`];
  return [];
}

export function formatThreadList(rows: Thread[]): string {
  if (rows.length === 0) return "no threads";
  const header = ["THREAD", "GRAPH", "USER", "STATUS", "UPDATED", "CREATED"];
  const body = rows.map((r) => [r.threadId, r.graphId ?? "-", userIdOf(r.owner) ?? "-", r.status, r.updatedAt.toISOString(), r.createdAt.toISOString()]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  return [header, ...body].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export interface ThreadView {
  thread: Thread;
  state: ThreadStateView;
  history: ThreadStateView[];
}

export function formatThread(view: ThreadView): string {
  const { thread, state } = view;
  const target = { graphId: thread.graphId ?? "<graph>", threadId: thread.threadId, userId: thread.owner };
  const lines = [
    `thread ${thread.threadId} · ${thread.graphId ?? "no graph yet"} · ${thread.status}`,
    `created ${thread.createdAt.toISOString()} · updated ${thread.updatedAt.toISOString()}`,
    `checkpoint ${state.checkpoint?.checkpointId ?? "none"}`,
  ];
  if (state.next.length) lines.push(`next: ${state.next.join(", ")}`);
  lines.push(...wayOn(state, target));
  lines.push("state:", JSON.stringify(state.values, null, 2), `history (${view.history.length}, newest first):`);
  for (const h of view.history) {
    const next = h.next.length ? ` → ${h.next.join(", ")}` : "";
    const step = typeof h.metadata.step === "number" ? h.metadata.step : -1;
    const source = typeof h.metadata.source === "string" ? h.metadata.source : "?";
    lines.push(`  step ${String(step).padStart(3)}  ${source.padEnd(6)}  ${h.checkpoint?.checkpointId}  ${h.createdAt ?? ""}${next}`);
    if (h.missingParentCheckpointId) {
      lines.push(`  ⋯ gap: the steps before were lost (parent checkpoint ${h.missingParentCheckpointId} is missing); this one was saved whole`);
    }
  }
  return lines.join("\n");
}
