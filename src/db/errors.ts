import { ConflictError, DatabaseUnavailableError, RetryableError, ThreadlineError } from "../errors.js";

/**
 * The one place that reads node-postgres and Node socket errors. Everything
 * above the database layer sees typed errors (DatabaseUnavailableError,
 * ConflictError, RetryableError) and never a driver's message or SQLSTATE.
 */

type FaultClass = "connection" | "timeout" | "conflict" | "retry";

interface Classified {
  kind: FaultClass;
  /** The error (itself, or one it wraps) that showed the fault. */
  source: unknown;
}

// Socket errors of a connection that was refused or lost.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

// SQLSTATEs of a server that is going away or not taking connections:
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const SHUTDOWN_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

// node-postgres reports these without a code; its messages are stable API in practice.
const CONNECTION_MESSAGES = [/^Connection terminated/, /is not queryable$/];
const TIMEOUT_MESSAGES = [/^Query read timeout$/, /^Connection terminated due to connection timeout/, /^timeout exceeded when trying to connect$/];

// A name not found resolves no better on a retry; a host that is only
// momentarily unresolvable (EAI_AGAIN) might.
const PERMANENT_CONNECTION_CODES = new Set(["ENOTFOUND"]);

function classifyOne(err: unknown): FaultClass | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return undefined;
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  // Timeouts first: "Connection terminated due to connection timeout" is both.
  if (code === "57014" || code === "ETIMEDOUT" || TIMEOUT_MESSAGES.some((re) => re.test(message))) return "timeout";
  if (CONNECTION_CODES.has(code) || code.startsWith("08") || SHUTDOWN_STATES.has(code)) return "connection";
  if (CONNECTION_MESSAGES.some((re) => re.test(message))) return "connection";
  if (code === "23505") return "conflict";
  if (code === "40001" || code === "40P01") return "retry";
  return undefined;
}

/**
 * Looks at the error and at what it aggregates (a connection tried on every
 * address of a host), never at its `cause`: other clients wrap their own
 * socket errors there (an HTTP client's "fetch failed" caused by
 * ECONNREFUSED), and a model server going away is not the database going
 * away.
 */
function classify(err: unknown): Classified | undefined {
  const kind = classifyOne(err);
  if (kind) return { kind, source: err };
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const found = classify(inner);
      if (found) return found;
    }
  }
  return undefined;
}

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
  const found = classify(err);
  if (!found) return false;
  if (found.kind === "retry") return true;
  if (found.kind !== "connection") return false;
  return !PERMANENT_CONNECTION_CODES.has((found.source as { code?: string }).code ?? "");
}

/** Whether the fault is a server that gave no answer in time (as opposed to one that refused or dropped the connection). */
export function isDatabaseTimeout(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return err.timedOut;
  return classify(err)?.kind === "timeout";
}
