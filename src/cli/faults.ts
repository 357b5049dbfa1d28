import { translateDatabaseError } from "../db/errors.js";
import { DatabaseUnavailableError } from "../errors.js";
import type { Runtime, ThreadState } from "../runtime/runtime.js";

/** The thread a command drives, as its flags name it. */
export interface RunTarget {
  graphId: string;
  threadId: string;
  userId?: string;
}

const userFlag = (t: RunTarget) => (t.userId !== undefined ? ` --user ${t.userId}` : "");

/** Continues a run cut off between steps (see `Runtime.prepare`, action "continue"). */
export function continueCommand(t: RunTarget): string {
  return `threadline run ${t.graphId} --thread ${t.threadId}${userFlag(t)}`;
}

/** Answers the thread's pending interrupt. */
export function resumeWithCommand(t: RunTarget): string {
  return `threadline run ${t.graphId} --thread ${t.threadId}${userFlag(t)} --resume <value>`;
}

/**
 * Rethrows a database fault of `threadline run` with the way on: the
 * command that carries the thread on from where it stands. Where it stands
 * is read back when the database answers (a single dropped connection, or
 * a server already restarted); when it does not, the run is taken as cut off
 * between steps, which the continue command picks up (and if it was not,
 * the refusal names the command that fits). Other errors pass unchanged.
 */
export async function rethrowRunFault(err: unknown, runtime: Runtime, target: RunTarget): Promise<never> {
  if (!(err instanceof DatabaseUnavailableError) || err.threadId === undefined) throw err;
  // A server that gave no answer in time would make the look-up wait as long again.
  const where = err.timedOut ? undefined : await standing(runtime, target).catch(() => undefined);
  throw new DatabaseUnavailableError(`${err.message}; ${wayOn(where, target)}`, {
    cause: err.cause ?? err,
    reason: err.reason,
    timedOut: err.timedOut,
    threadId: err.threadId,
  });
}

type Standing = "unknown" | "empty" | "waiting" | "unfinished" | "finished";

async function standing(runtime: Runtime, target: RunTarget): Promise<Standing> {
  if (!(await runtime.threads.get(target.threadId))) return "unknown";
  const state: ThreadState = await runtime.state(target.graphId, target.threadId);
  if (state.checkpointId === undefined) return "empty";
  if (state.interrupts.length > 0) return "waiting";
  return state.next.length > 0 ? "unfinished" : "finished";
}

function wayOn(where: Standing | undefined, target: RunTarget): string {
  switch (where) {
    case undefined:
      return `once it is back, continue with: ${continueCommand(target)}`;
    case "unknown":
    case "empty":
      return "nothing of the run was saved: run the same command again";
    case "waiting":
      return `the thread waits for input: answer it with: ${resumeWithCommand(target)}`;
    case "unfinished":
      return `continue with: ${continueCommand(target)}`;
    case "finished":
      // Also what a request sees that failed before it started on a thread
      // that was already done, so it says what is true either way.
      return `nothing is left to run on the thread; see where it stands with: threadline threads show ${target.threadId}${userFlag(target)}`;
  }
}

/**
 * A database fault during `threadline chat`, with the way on: the same chat
 * command, which finishes a run that was cut off and shows a pending
 * question again when it starts.
 */
export function chatFault(err: unknown, location: string, target: Required<RunTarget>): unknown {
  const fault = translateDatabaseError(err, { location, threadId: target.threadId });
  if (!(fault instanceof DatabaseUnavailableError)) return fault;
  const command = `threadline chat ${target.graphId} --thread ${target.threadId} --user ${target.userId}`;
  return new DatabaseUnavailableError(`${fault.message}; once it is back, continue with: ${command}`, {
    cause: fault.cause ?? err,
    reason: fault.reason,
    timedOut: fault.timedOut,
    threadId: target.threadId,
  });
}
