// The classification lives with the checkpointer, which stands alone and
// needs it to decide what to send again.
import { classifyFault as classify, isTransientFault } from "../../checkpoints/faults.js";
import { ConflictError, DatabaseUnavailableError, RetryableError, ThreadlineError } from "../errors.js";

/**
 * The one place that turns node-postgres and Node socket errors into typed
 * errors. Everything above the database layer sees typed errors (DatabaseUnavailableError,
 * ConflictError, RetryableError) and never a driver's message or SQLSTATE.
 */

/**
 * One line for an error from the driver or a socket: its first message
 * line, with the code when the message does not already say it.
 */
export function oneLineReason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return oneLineReason(err.errors[0]);
  const e = err as { code?: string; message?: string };
  const message = (e?.message || e?.code || String(err)).split("\n")[0]!;
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

export interface FaultContext {
  /** Where the database is (`Database.location`), for the message. */
  location?: string;
  /** The thread whose run the fault cut off. */
  threadId?: string;
}

/**
 * The typed error for a database fault, or `err` itself when it is not one:
 * connection refused, reset or dropped, a server shutting down, and
 * timeouts (connecting, statement_timeout, the client's query_timeout) →
 * DatabaseUnavailableError; a unique violation → ConflictError; a
 * serialization failure or deadlock → RetryableError. With `threadId`, a
 * DatabaseUnavailableError names the run's thread (also one already
 * translated below).
 *
 * @example
 * try { await db.pool.query(sql) } catch (err) { throw translateDatabaseError(err, { location: db.location }) }
 */
export function translateDatabaseError(err: unknown, context: FaultContext = {}): unknown {
  if (err instanceof DatabaseUnavailableError) {
    if (!context.threadId || err.threadId) return err;
    const reason = err.reason ?? err.message;
    return unavailable(reason, err.timedOut, context, err.cause ?? err);
  }
  if (err instanceof ThreadlineError) return err;
  const found = classify(err);
  if (!found) return err;
  const reason = oneLineReason(found.source);
  switch (found.kind) {
    case "connection":
    case "timeout":
      return unavailable(reason, found.kind === "timeout", context, err);
    case "conflict":
      return new ConflictError(`a conflicting row already exists: ${reason}`, { cause: err });
    case "retry":
      return new RetryableError(`the database aborted a transaction that conflicted with another; run it again (${reason})`, {
        cause: err,
      });
  }
}

function unavailable(reason: string, timedOut: boolean, context: FaultContext, cause: unknown): DatabaseUnavailableError {
  const where = context.location ? `the database at ${context.location}` : "the database";
  const what = timedOut ? "stopped answering" : "became unavailable";
  const during = context.threadId ? ` during the run on thread ${context.threadId}` : "";
  return new DatabaseUnavailableError(`${where} ${what}${during} (${reason})`, {
    cause,
    reason,
    timedOut,
    threadId: context.threadId,
  });
}

/**
 * Whether a bounded retry may get past the fault: a connection refused or
 * lost, a server restarting, a serialization failure or deadlock. Timeouts
 * are not: the wait was already as long as allowed, and repeating it only
 * multiplies it.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  if (err instanceof RetryableError) return true;
  if (err instanceof ThreadlineError) return err instanceof DatabaseUnavailableError && !err.timedOut && isTransientDatabaseError(err.cause);
  return isTransientFault(err);
}

/** Whether the fault is a server that gave no answer in time (as opposed to one that refused or dropped the connection). */
export function isDatabaseTimeout(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return err.timedOut;
  return classify(err)?.kind === "timeout";
}

/** Whether the fault is a unique violation (a row that must be one of a kind already exists). */
export function isUniqueViolation(err: unknown): boolean {
  return classify(err)?.kind === "conflict";
}
