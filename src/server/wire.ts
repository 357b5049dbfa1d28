import type { Assistant, AssistantVersion } from "../assistants/service.js";
import type { Run } from "../runs/service.js";
import type { Thread } from "../threads/service.js";
import type { CheckpointRef, StateTask, ThreadStateView } from "../threads/state.js";

/**
 * The core's records as the LangGraph API writes them: snake_case fields,
 * ISO timestamps, the shapes `@langchain/langgraph-sdk` types declare.
 */

export function assistantJson(a: Assistant | AssistantVersion) {
  return {
    assistant_id: a.assistantId,
    graph_id: a.graphId,
    name: a.name,
    description: a.description,
    config: a.config,
    context: a.context,
    metadata: a.metadata,
    version: a.version,
    created_at: iso(a.createdAt),
    ...("updatedAt" in a ? { updated_at: iso(a.updatedAt) } : {}),
  };
}

export function threadJson(t: Thread) {
  return {
    thread_id: t.threadId,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
    state_updated_at: iso(t.updatedAt),
    metadata: t.metadata,
    status: t.status,
    values: t.values,
    interrupts: t.interrupts ?? {},
    config: {},
    error: null,
    ...(t.ttlMs !== null ? { ttl: { strategy: "delete", ttl: t.ttlMs / 60_000, expires_at: t.expiresAt ? iso(t.expiresAt) : null } } : {}),
  };
}

/** A run's request under the API's names (the run's `kwargs`). */
const KWARG_NAMES: Record<string, string> = {
  streamMode: "stream_mode",
  streamSubgraphs: "stream_subgraphs",
  streamResumable: "stream_resumable",
  interruptBefore: "interrupt_before",
  interruptAfter: "interrupt_after",
  multitaskStrategy: "multitask_strategy",
  onCompletion: "on_completion",
  afterSeconds: "after_seconds",
  checkpointId: "checkpoint_id",
  ifNotExists: "if_not_exists",
  strictResume: "strict_resume",
};

export function runJson(r: Run) {
  const kwargs = Object.fromEntries(Object.entries(r.request).map(([key, value]) => [KWARG_NAMES[key] ?? key, value]));
  return {
    run_id: r.runId,
    thread_id: r.threadId,
    assistant_id: r.assistantId,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
    status: r.status,
    metadata: r.metadata,
    multitask_strategy: r.multitaskStrategy,
    kwargs,
    attempt: r.attempt,
    error: r.error,
    ...(r.cancel ? { cancel_reason: r.cancel } : {}),
  };
}

export function checkpointJson(ref: CheckpointRef | null) {
  if (!ref) return null;
  return { thread_id: ref.threadId, checkpoint_ns: ref.checkpointNs, checkpoint_id: ref.checkpointId, checkpoint_map: null };
}

export function stateJson(view: ThreadStateView): Record<string, unknown> {
  return {
    values: view.values,
    next: view.next,
    tasks: view.tasks.map(taskJson),
    metadata: view.metadata,
    created_at: view.createdAt,
    checkpoint: checkpointJson(view.checkpoint),
    parent_checkpoint: checkpointJson(view.parentCheckpoint),
    checkpoint_id: view.checkpoint?.checkpointId ?? null,
    parent_checkpoint_id: view.parentCheckpoint?.checkpointId ?? null,
    interrupts: Object.values(view.interrupts).flat(),
  };
}

function taskJson(task: StateTask): Record<string, unknown> {
  return {
    id: task.id,
    name: task.name,
    error: task.error,
    interrupts: task.interrupts,
    checkpoint: task.checkpoint ?? null,
    state: task.state ? stateJson(task.state) : null,
  };
}

export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
