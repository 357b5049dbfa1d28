import { translateDatabaseError } from "../db/errors.js";
import { DatabaseUnavailableError } from "../errors.js";
import type { Core } from "../core.js";
import { ownerOf, userIdOf } from "../owners.js";
import { type RunTarget, continueCommand, resumeCommand, showCommand } from "./format.js";

/**
 * Rethrows a database fault of `threadline run` with the way on: the
 * command that carries the thread on from where it stands. Where it stands
 * is read back when the database answers (a single dropped connection, or
 * a server already restarted); when it does not, the run is taken as cut off
 * between steps, which the continue command picks up (and if it was not,
 * the refusal names the command that fits). Other errors pass unchanged.
 */
export async function rethrowRunFault(err: unknown, core: Core, target: RunTarget): Promise<never> {
  if (!(err instanceof DatabaseUnavailableError) || err.threadId === undefined) throw err;
  // A server that gave no answer in time would make the look-up wait as long again.
  const where = err.timedOut ? undefined : await standing(core, target).catch(() => undefined);
  throw new DatabaseUnavailableError(`${err.message}; ${wayOn(where, target)}`, {
    cause: err.cause ?? err,
    reason: err.reason,
    timedOut: err.timedOut,
    threadId: err.threadId,
  });
}

type Standing = "unknown" | "empty" | "waiting" | "unfinished" | "finished";

async function standing(core: Core, target: RunTarget): Promise<Standing> {
  const owner = ownerOf(target.userId);
  if (!(await core.threads.find(target.threadId, owner))) return "unknown";
  const state = await core.threads.state(target.threadId, owner);
  if (!state.checkpoint) return "empty";
  if (Object.keys(state.interrupts).length > 0) return "waiting";
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
      return `the thread waits for input: answer it with: ${resumeCommand(target)}`;
    case "unfinished":
      return `continue with: ${continueCommand(target)}`;
    case "finished":
      // The run may have ended, or failed before it saved its input on a
      // thread that was already done: only the state tells which.
      return `nothing is left to run on the thread; if its state (${showCommand(target)}) does not hold this run's input, run the same command again`;
  }
}

/**
 * A database fault during `threadline chat`, with the way on: the same chat
 * command, which finishes a run that was cut off and shows a pending
 * question again when it starts.
 */
export function chatFault(err: unknown, location: string, target: RunTarget): unknown {
  const fault = translateDatabaseError(err, { location, threadId: target.threadId });
  if (!(fault instanceof DatabaseUnavailableError)) return fault;
  const user = target.userId ? userIdOf(target.userId) : undefined;
  const command = `threadline chat ${target.graphId} --thread ${target.threadId}${user ? ` --user ${user}` : ""}`;
  return new DatabaseUnavailableError(`${fault.message}; once it is back, continue with: ${command}`, {
    cause: fault.cause ?? err,
    reason: fault.reason,
    timedOut: fault.timedOut,
    threadId: target.threadId,
  });
}
