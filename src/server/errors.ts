import type { Context } from "hono";
import { translateDatabaseError } from "../db/errors.js";
import { isThreadlineError, type ErrorCode } from "../errors.js";

/**
 * An error of the HTTP edge itself (a body that is not JSON, a request the
 * schema refuses, an auth handler's refusal). The core never throws these;
 * its typed errors are mapped to statuses in `errorResponse`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The status of each of the core's error codes. */
const STATUS: Record<ErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  database_unavailable: 503,
  configuration: 503,
  corrupt_state: 500,
  locked: 503,
  retry: 503,
  run_failed: 500,
};

/**
 * The JSON error response for anything a route threw: `{ error, message }`
 * (`detail` too, where LangGraph's clients look for it). Unexpected errors
 * are a 500 whose message says so, logged through `log`.
 */
export function errorResponse(c: Context, err: unknown, log: (err: unknown) => void): Response {
  if (err instanceof ApiError) return body(c, err.status, err.status >= 500 ? "internal" : "invalid_request", err.message, err.headers);
  const typed = translateDatabaseError(err);
  if (isThreadlineError(typed)) {
    const status = STATUS[typed.code as ErrorCode] ?? 500;
    if (status >= 500) log(typed);
    return body(c, status, typed.code, typed.message, typed.code === "retry" || typed.code === "database_unavailable" ? { "Retry-After": "1" } : {});
  }
  log(err);
  return body(c, 500, "internal", `unexpected error: ${((err as Error)?.message ?? String(err)).split("\n")[0]}`);
}

function body(c: Context, status: number, error: string, message: string, headers: Record<string, string> = {}): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ error, message, detail: message }, status as 400);
}
