import type { Core } from "../core.js";
import { translateDatabaseError } from "../db/errors.js";
import { ConflictError, InvalidInputError, NotFoundError, RunFailedError } from "../errors.js";
import { userIdOf } from "../owners.js";
import type { Run } from "../runs/service.js";
import type { MultitaskStrategy, RunStreamMode } from "../runs/request.js";
import type { RunEvent } from "../stream/log.js";
import { statusOf, type ThreadStateView } from "../threads/state.js";

/** What to do on a thread: start with new input, answer an interrupt, or continue a run that was cut off. */
export type RunAction = { kind: "input"; input: unknown } | { kind: "resume"; value: unknown } | { kind: "continue" };

export interface DriveRequest {
  graphId: string;
  threadId: string;
  owner: string;
  action: RunAction;
  streamModes: RunStreamMode[];
  multitaskStrategy?: MultitaskStrategy;
  /** The run's `config.configurable` (e.g. the agent's `context` options); identity keys are the runtime's. */
  configurable?: Record<string, unknown>;
  /** Each event of the run, as it is emitted. */
  onEvent?: (event: RunEvent) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface RunOutcome {
  runId: string;
  threadId: string;
  graphId: string;
  owner: string;
  /** complete, or interrupted: waiting for input or stopped at a breakpoint. */
  status: "complete" | "interrupted";
  state: ThreadStateView;
}

/**
 * The CLI's one way to run a graph, the same as the server's: create a run
 * record, execute it in this process, hand its events to `onEvent`. Fails
 * with a one-line reason when the thread cannot take the action, and with
 * RunFailedError when the graph fails.
 */
export async function driveRun(core: Core, request: DriveRequest): Promise<RunOutcome> {
  try {
    return await drive(core, request);
  } catch (err) {
    // A database fault names where the database is and the thread, which is
    // what tells the CLI to add the way on (see rethrowRunFault).
    throw translateDatabaseError(err, { location: core.db.location, threadId: request.threadId });
  }
}

async function drive(core: Core, request: DriveRequest): Promise<RunOutcome> {
  await checkAction(core, request);
  const run = await core.runs.create(
    {
      threadId: request.threadId,
      assistantId: request.graphId,
      request: {
        ...(request.action.kind === "input" ? { input: request.action.input } : {}),
        ...(request.action.kind === "resume" ? { command: { resume: request.action.value } } : {}),
        ifNotExists: request.action.kind === "input" ? "create" : "reject",
        streamMode: request.streamModes,
        multitaskStrategy: request.multitaskStrategy ?? "reject",
        ...(request.configurable ? { config: { configurable: request.configurable } } : {}),
      },
    },
    request.owner,
  );
  const events: RunEvent[] = [];
  let delivering = Promise.resolve();
  const unsubscribe = core.events.subscribe(run.runId, (event) => {
    if (!event) return;
    events.push(event);
    delivering = delivering.then(() => request.onEvent?.(event));
  });
  let done: Run;
  try {
    done = await core.runs.execute(run.runId, request.signal ? { signal: request.signal } : {});
  } finally {
    unsubscribe();
    await delivering;
  }
  if (done.status === "error") {
    throw new RunFailedError(`the run on thread ${request.threadId} failed: ${done.error?.message ?? "unknown error"}`, {
      runId: done.runId,
      ...(done.error?.node ? { node: done.error.node } : {}),
    });
  }
  if (done.cancel) {
    const by = done.cancel === "rollback" ? "stopped and rolled back" : "stopped";
    const user = userIdOf(request.owner);
    throw new ConflictError(`the run on thread ${request.threadId} was ${by} by another run or a cancel; see threadline threads show ${request.threadId}${user ? ` --user ${user}` : ""}`);
  }
  const state = await core.threads.state(request.threadId, request.owner);
  return {
    runId: done.runId,
    threadId: request.threadId,
    graphId: request.graphId,
    owner: request.owner,
    status: statusOf(state) === "interrupted" ? "interrupted" : "complete",
    state,
  };
}

// The thread's standing decides which actions make sense; a refusal says
// which command fits instead.
async function checkAction(core: Core, request: DriveRequest): Promise<void> {
  const { threadId, action } = request;
  const thread = await core.threads.find(threadId, request.owner);
  if (!thread) {
    if (action.kind === "input") return;
    throw new NotFoundError(`unknown thread "${threadId}"`);
  }
  if (thread.graphId && thread.graphId !== request.graphId) {
    throw new InvalidInputError(`thread "${threadId}" belongs to graph "${thread.graphId}", not "${request.graphId}"`);
  }
  if (thread.status === "busy") {
    // A run whose process died is ended first; one in progress is the run
    // queue's to settle (the multitask strategy decides).
    await core.runs.reconcile(threadId);
    if ((await core.threads.get(threadId, request.owner)).status === "busy") return;
  }
  const state = await core.threads.state(threadId, request.owner);
  const waiting = Object.keys(state.interrupts).length > 0;
  const unfinished = !waiting && state.next.length > 0;
  switch (action.kind) {
    case "resume":
      if (!waiting) throw new InvalidInputError(`thread "${threadId}" is not waiting for input`);
      return;
    case "continue":
      if (waiting) throw new InvalidInputError(`thread "${threadId}" is waiting for input; answer it with --resume <value>`);
      if (!unfinished) throw new InvalidInputError(`thread "${threadId}" has nothing to continue; send new --input`);
      return;
    case "input":
      if (waiting) throw new InvalidInputError(`thread "${threadId}" is waiting for input; answer it with --resume <value>`);
      if (unfinished) throw new InvalidInputError(`thread "${threadId}" has an unfinished run; continue it first (run without --input)`);
  }
}

/** The pending interrupts of a state, as a flat list. */
export function interruptsOf(state: ThreadStateView): { id?: string; value: unknown }[] {
  return Object.values(state.interrupts).flat();
}
