import type { Pregel, StateSnapshot } from "@langchain/langgraph";
import { LOST_PARENT_KEY } from "../../checkpoints/index.js";
import { toJson } from "../stream/serialize.js";
import type { ThreadInterrupt, ThreadStatus } from "./sql.js";

export interface CheckpointRef {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
}

export interface StateTask {
  id: string;
  name: string;
  error: unknown;
  interrupts: ThreadInterrupt[];
  /** A subgraph's own state, when asked for with `subgraphs`. */
  state?: ThreadStateView;
  /** Where a subgraph task keeps its own checkpoints (its namespace), when its state was not asked for. */
  checkpoint?: { thread_id: string; checkpoint_ns: string; checkpoint_id: string | null; checkpoint_map: unknown };
}

/** A thread's state at one checkpoint, as plain JSON. */
export interface ThreadStateView {
  values: Record<string, unknown>;
  /** Nodes that run next; non-empty while the thread is interrupted or a run was cut off. */
  next: string[];
  tasks: StateTask[];
  checkpoint: CheckpointRef | null;
  parentCheckpoint: CheckpointRef | null;
  metadata: Record<string, unknown>;
  createdAt: string | null;
  /** Pending interrupts, by the task that raised them. */
  interrupts: Record<string, ThreadInterrupt[]>;
  /**
   * Set when this checkpoint was stored whole because its parent was lost
   * (e.g. in a crash of the database server): the steps between are gone.
   */
  missingParentCheckpointId?: string;
}

export function stateView(snap: StateSnapshot): ThreadStateView {
  const interrupts: Record<string, ThreadInterrupt[]> = {};
  const tasks = snap.tasks.map((task) => {
    const own = (task.interrupts ?? []).map((i: { id?: string; value?: unknown }) => ({
      ...(i.id ? { id: i.id } : {}),
      value: toJson(i.value),
    }));
    if (own.length) interrupts[task.id] = own;
    const nested = task.state && "values" in task.state ? stateView(task.state as StateSnapshot) : undefined;
    const at = !nested && task.state && "configurable" in task.state ? (task.state.configurable as Record<string, unknown> | undefined) : undefined;
    const checkpoint = typeof at?.checkpoint_ns === "string"
      ? { thread_id: String(at.thread_id), checkpoint_ns: at.checkpoint_ns, checkpoint_id: typeof at.checkpoint_id === "string" ? at.checkpoint_id : null, checkpoint_map: at.checkpoint_map ?? null }
      : undefined;
    return {
      id: task.id,
      name: task.name,
      error: task.error ? String((task.error as Error).message ?? task.error) : null,
      interrupts: own,
      ...(nested ? { state: nested } : {}),
      ...(checkpoint ? { checkpoint } : {}),
    };
  });
  const metadata = (toJson(snap.metadata ?? {}) ?? {}) as Record<string, unknown>;
  const lostParent = metadata[LOST_PARENT_KEY];
  return {
    values: (toJson(snap.values ?? {}) ?? {}) as Record<string, unknown>,
    next: [...snap.next],
    tasks,
    checkpoint: ref(snap.config?.configurable),
    parentCheckpoint: ref(snap.parentConfig?.configurable),
    metadata,
    createdAt: snap.createdAt ?? null,
    interrupts,
    ...(typeof lostParent === "string" ? { missingParentCheckpointId: lostParent } : {}),
  };
}

function ref(configurable: Record<string, unknown> | undefined): CheckpointRef | null {
  const checkpointId = configurable?.checkpoint_id;
  if (typeof checkpointId !== "string") return null;
  return {
    threadId: String(configurable!.thread_id),
    checkpointNs: typeof configurable!.checkpoint_ns === "string" ? configurable!.checkpoint_ns : "",
    checkpointId,
  };
}

/** The status a thread is left in by its state (error is set by a failed run, not by state). */
export function statusOf(view: Pick<ThreadStateView, "next" | "interrupts">): ThreadStatus {
  return Object.keys(view.interrupts).length > 0 || view.next.length > 0 ? "interrupted" : "idle";
}

/** The state at `checkpointId` (or the latest), read through the graph so channels reduce as they ran. */
export async function readState(graph: Pregel<any, any, any, any, any>, threadId: string, options: { checkpointId?: string; subgraphs?: boolean } = {}) {
  const config = { configurable: { thread_id: threadId, ...(options.checkpointId ? { checkpoint_id: options.checkpointId } : {}) } };
  return stateView(await graph.getState(config, { subgraphs: options.subgraphs ?? false }));
}

export interface HistoryQuery {
  limit?: number;
  /** Only checkpoints older than this one. */
  before?: string;
  /** Only checkpoints whose metadata contains these fields. */
  metadata?: Record<string, unknown>;
  /** Start from this checkpoint (newest first from there). */
  checkpointId?: string;
}

export async function readHistory(graph: Pregel<any, any, any, any, any>, threadId: string, query: HistoryQuery & { limit: number }) {
  const config = { configurable: { thread_id: threadId, ...(query.checkpointId ? { checkpoint_id: query.checkpointId } : {}) } };
  const before = query.before ? { configurable: { thread_id: threadId, checkpoint_id: query.before } } : undefined;
  const out: ThreadStateView[] = [];
  for await (const snap of graph.getStateHistory(config, { limit: query.limit, ...(before ? { before } : {}), ...(query.metadata ? { filter: query.metadata } : {}) })) {
    out.push(stateView(snap));
  }
  return out;
}
