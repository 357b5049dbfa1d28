import type { RunRequest } from "../runs/request.js";
import { ApiError } from "./errors.js";
import type { RunCreateBody } from "./schemas/runs.js";

/** What a run body asks of the core, and of the edge (what to do when the client goes). */
export interface ParsedRun {
  assistantId: string;
  request: RunRequest;
  onDisconnect: "cancel" | "continue";
}

/**
 * The core's run request for an API run body. Fields Threadline does not
 * support are refused by name: a webhook, LangSmith feedback keys and
 * tracer, and starting from a subgraph's checkpoint.
 */
export function runRequestOf(body: RunCreateBody): ParsedRun {
  if (body.webhook) throw new ApiError(422, "webhook is not supported: runs are durable records; poll them, join them or stream them instead");
  if (body.feedback_keys?.length) throw new ApiError(422, "feedback_keys is not supported: Threadline does not report to LangSmith");
  if (body.langsmith_tracer) throw new ApiError(422, "langsmith_tracer is not supported: Threadline does not report to LangSmith");
  if (body.checkpoint?.checkpoint_ns) throw new ApiError(422, "starting a run from a subgraph's checkpoint (checkpoint.checkpoint_ns) is not supported");
  if (body.durability && body.checkpoint_during !== undefined && body.checkpoint_during !== null) {
    throw new ApiError(422, "give durability or checkpoint_during, not both");
  }
  const checkpointId = body.checkpoint_id ?? body.checkpoint?.checkpoint_id ?? undefined;
  const durability = body.durability ?? (body.checkpoint_during === false ? "exit" : body.checkpoint_during === true ? "async" : undefined);
  // A resume value of null is still an answer; update and goto of null are not given.
  const command = body.command
    ? { ...definedOnly({ update: body.command.update, goto: body.command.goto }), ...("resume" in body.command ? { resume: body.command.resume } : {}) }
    : undefined;
  const request: RunRequest = definedOnly({
    input: body.input === null ? undefined : body.input,
    ...(command && Object.keys(command).length ? { command } : {}),
    config: body.config ? definedOnly(body.config) : undefined,
    context: body.context ?? undefined,
    metadata: body.metadata ?? undefined,
    streamMode: body.stream_mode ?? undefined,
    streamSubgraphs: body.stream_subgraphs ?? undefined,
    streamResumable: body.stream_resumable ?? undefined,
    interruptBefore: body.interrupt_before ?? undefined,
    interruptAfter: body.interrupt_after ?? undefined,
    multitaskStrategy: body.multitask_strategy ?? undefined,
    onCompletion: body.on_completion ?? undefined,
    afterSeconds: body.after_seconds ?? undefined,
    durability,
    checkpointId,
    ifNotExists: body.if_not_exists ?? undefined,
    strictResume: body.strict_resume ?? undefined,
  }) as RunRequest;
  return { assistantId: body.assistant_id, request, onDisconnect: body.on_disconnect ?? "continue" };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
