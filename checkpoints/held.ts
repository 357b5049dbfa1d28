import type { StoredWrite } from "./body.js";
import { rowKey } from "./keys.js";

/** One putWrites() call waiting to travel with the next checkpoint. */
export interface HeldWrites {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  runId: string | null;
  /** Special channels only: the call replaces what the task wrote before. */
  upsert: boolean;
  writes: StoredWrite[];
  resolve: () => void;
  reject: (err: unknown) => void;
  /** When the entry's hold began (performance.now()). */
  heldAt: number;
}

/**
 * Holds pending writes briefly so they can travel in the statement of the
 * checkpoint that follows them. LangGraph writes a step's task results
 * (putWrites) a fraction of a millisecond before it saves the checkpoint
 * they produce (put) and then waits for both, so a step costs one round
 * trip instead of two, and the written messages are compressed together
 * with the same messages in the new checkpoint. Writes no checkpoint claims
 * within `holdMs` (an interrupt, an error, a sibling task still running) go
 * to the pending-writes table on their own. A putWrites() promise resolves
 * only once its writes are stored either way.
 *
 * LangGraph saves a checkpoint only after its parent's put has finished, so
 * the window of writes made against a checkpoint whose own put is still
 * running (`storing`) opens when that put finishes: under load, when puts
 * queue for a connection, a step's writes would otherwise miss it.
 */
export class WriteHolder {
  private readonly held = new Map<string, HeldWrites[]>();
  private readonly storing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly holdMs: number,
    private readonly store: (held: HeldWrites) => Promise<void>,
  ) {}

  /** Holds one call's writes; `entry` becomes the holder's (its resolve, reject and heldAt are set here). */
  hold(entry: Omit<HeldWrites, "resolve" | "reject" | "heldAt">): Promise<void> {
    return new Promise((resolve, reject) => {
      const held = entry as HeldWrites;
      held.resolve = resolve;
      held.reject = reject;
      held.heldAt = performance.now();
      if (this.holdMs <= 0) {
        void this.store(held);
        return;
      }
      const key = rowKey(held.threadId, held.checkpointNs, held.checkpointId);
      const list = this.held.get(key);
      if (list) list.push(held);
      else this.held.set(key, [held]);
      this.timer ??= setTimeout(() => this.release(), this.holdMs);
    });
  }

  /** A put of this checkpoint has started: hold writes made against it until it ends. */
  storingStarted(key: string): void {
    this.storing.add(key);
  }

  /** The put of this checkpoint has ended: writes held against it have `holdMs` from now. */
  storingEnded(key: string): void {
    if (!this.storing.delete(key)) return;
    const list = this.held.get(key);
    if (!list) return;
    const now = performance.now();
    for (const entry of list) entry.heldAt = now;
    this.timer ??= setTimeout(() => this.release(), this.holdMs);
  }

  /** Takes the writes held against one checkpoint, to send with its child. */
  take(threadId: string, checkpointNs: string, checkpointId: string): HeldWrites[] | undefined {
    const key = rowKey(threadId, checkpointNs, checkpointId);
    const list = this.held.get(key);
    if (list) this.held.delete(key);
    return list;
  }

  /** Stores everything held for a thread now (before a lifecycle operation touches it). */
  async releaseThread(threadId: string): Promise<void> {
    const stored: Promise<void>[] = [];
    for (const [key, list] of this.held) {
      if (list[0]!.threadId !== threadId) continue;
      this.held.delete(key);
      for (const entry of list) stored.push(this.store(entry));
    }
    await Promise.all(stored);
  }

  /** Stores what has waited `holdMs`; what came later waits its own turn. */
  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, list] of this.held) {
      if (this.storing.has(key)) continue;
      const due = list.filter((entry) => now - entry.heldAt >= this.holdMs - 0.5);
      const waiting = list.filter((entry) => !due.includes(entry));
      for (const entry of due) void this.store(entry);
      if (waiting.length > 0) {
        this.held.set(key, waiting);
        next = Math.min(next, ...waiting.map((entry) => entry.heldAt + this.holdMs - now));
      } else this.held.delete(key);
    }
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.release(), Math.max(1, next));
  }
}

/**
 * The writes of several calls against one checkpoint, as stored: special
 * channels (errors, interrupts...) replace earlier writes of the same task
 * and index, other writes keep the first.
 */
export function mergeWrites(calls: readonly HeldWrites[]): StoredWrite[] {
  const merged = new Map<string, StoredWrite>();
  for (const call of calls) {
    for (const write of call.writes) {
      const key = `${write.taskId}\u0000${write.idx}`;
      if (!merged.has(key) || call.upsert) merged.set(key, write);
    }
  }
  return [...merged.values()];
}

