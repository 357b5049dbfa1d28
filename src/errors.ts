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
  | "locked";

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
  constructor(message: string) {
    super("conflict", message);
  }
}

export class DatabaseUnavailableError extends ThreadlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("database_unavailable", message, options);
  }
}

export class ConfigurationError extends ThreadlineError {
  constructor(message: string) {
    super("configuration", message);
  }
}

export function isThreadlineError(err: unknown): err is ThreadlineError {
  return err instanceof ThreadlineError;
}
