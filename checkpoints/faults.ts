/**
 * Classification of node-postgres and socket errors: the one place that
 * reads their codes and messages. The checkpointer uses it to decide what to
 * send again; the runtime's error translation (src/db/errors.ts) builds its
 * typed errors on it.
 */
export type FaultKind = "connection" | "timeout" | "conflict" | "retry";

export interface Fault {
  kind: FaultKind;
  /** The error (itself, or one it aggregates) that showed the fault. */
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

function classifyOne(err: unknown): FaultKind | undefined {
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
 * The database fault an error shows, if any. Looks at the error and at what
 * it aggregates (a connection tried on every address of a host), never at
 * its `cause`: other clients wrap their own socket errors there (an HTTP
 * client's "fetch failed" caused by ECONNREFUSED), and a model server going
 * away is not the database going away.
 */
export function classifyFault(err: unknown): Fault | undefined {
  const kind = classifyOne(err);
  if (kind) return { kind, source: err };
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const found = classifyFault(inner);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Whether a bounded retry may get past the fault: a connection refused or
 * lost, a server restarting, a serialization failure or deadlock. Timeouts
 * are not: the wait was already as long as allowed, and repeating it only
 * multiplies it.
 */
export function isTransientFault(err: unknown): boolean {
  const found = classifyFault(err);
  if (!found) return false;
  if (found.kind === "retry") return true;
  if (found.kind !== "connection") return false;
  return !PERMANENT_CONNECTION_CODES.has((found.source as { code?: string }).code ?? "");
}
