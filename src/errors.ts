import { CheckpointError } from "../checkpoints/errors.js";

/**
 * Typed errors of the core. Each carries a stable `code`; the CLI prints the
 * message on one line and the API maps the code to an HTTP status at the edge,
 * so nothing below the edge knows about transports.
 */
export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "database_unavailable"
  | "configuration"
  | "corrupt_state"
  | "locked"
  | "retry"
  | "run_failed";

export class ThreadlineError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class InvalidInputError extends ThreadlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_input", message, options);
  }
}

export class NotFoundError extends ThreadlineError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class ConflictError extends ThreadlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("conflict", message, options);
  }
}

export interface DatabaseFault {
  /** The driver's one-line account of the fault, e.g. "Connection terminated unexpectedly". */
  reason?: string;
  /**
   * The server gave no answer in time (a paused or overloaded server), as
   * opposed to refusing or dropping the connection: asking it again soon is
   * likely to wait just as long.
   */
  timedOut?: boolean;
  /** The thread whose run the fault cut off, when it happened during a run. */
  threadId?: string;
}

export class DatabaseUnavailableError extends ThreadlineError {
  readonly reason?: string;
  readonly timedOut: boolean;
  readonly threadId?: string;

  constructor(message: string, options?: { cause?: unknown } & DatabaseFault) {
    super("database_unavailable", message, options);
    this.reason = options?.reason;
    this.timedOut = options?.timedOut ?? false;
    this.threadId = options?.threadId;
  }
}

/**
 * The database gave up on a transaction to keep concurrent ones consistent
 * (a serialization failure or a deadlock); running it again may succeed.
 */
export class RetryableError extends ThreadlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("retry", message, options);
  }
}

/** A run ended in an error of the graph's own (a node threw); the message names the node when known. */
export class RunFailedError extends ThreadlineError {
  readonly runId: string;
  readonly node?: string;

  constructor(message: string, options: { runId: string; node?: string }) {
    super("run_failed", message);
    this.runId = options.runId;
    this.node = options.node;
  }
}

export class ConfigurationError extends ThreadlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("configuration", message, options);
  }
}

/**
 * Whether `err` is one of Threadline's typed errors, the checkpointer's
 * included (it has a base class of its own, with the same codes).
 */
export function isThreadlineError(err: unknown): err is ThreadlineError | CheckpointError {
  return err instanceof ThreadlineError || err instanceof CheckpointError;
}
