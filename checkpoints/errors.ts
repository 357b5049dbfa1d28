/**
 * Typed errors of the checkpointer. It stands alone (nothing here knows the
 * runtime), so it has its own base class; the `code` strings are the
 * runtime's own (src/errors.ts), so an edge that maps codes to exit statuses
 * or HTTP statuses treats both alike.
 */
export type CheckpointErrorCode = "invalid_input" | "not_found" | "conflict" | "corrupt_state" | "configuration";

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A call the checkpointer refuses as given (a missing thread id, a bad TTL, ...). */
export class CheckpointInputError extends CheckpointError {
  constructor(message: string) {
    super("invalid_input", message);
  }
}

export class CheckpointNotFoundError extends CheckpointError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class CheckpointConflictError extends CheckpointError {
  constructor(message: string) {
    super("conflict", message);
  }
}

/** The database's migration records do not match this code's list (ahead of it, or an edited list). */
export class MigrationMismatchError extends CheckpointError {
  constructor(message: string) {
    super("configuration", message);
  }
}

/** Where in the store an unreadable value was found. */
export interface CheckpointLocation {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  /** Channel, pending write or metadata that failed to load. */
  part?: string;
}

/**
 * A stored checkpoint that cannot be turned back into state. Raised instead of
 * returning a partial or empty state, so a run never continues from data that
 * silently lost its history.
 *
 * @example
 * try {
 *   await saver.getTuple(config);
 * } catch (err) {
 *   if (err instanceof CorruptCheckpointError) console.error(err.threadId, err.checkpointId);
 * }
 */
export class CorruptCheckpointError extends CheckpointError {
  readonly threadId: string;
  readonly checkpointNs: string;
  readonly checkpointId: string;
  readonly part: string | undefined;

  constructor(location: CheckpointLocation, reason: string, options?: { cause?: unknown }) {
    const ns = location.checkpointNs ? ` (namespace "${location.checkpointNs}")` : "";
    const part = location.part ? `, ${location.part}` : "";
    super(
      "corrupt_state",
      `checkpoint ${location.checkpointId} of thread ${location.threadId}${ns} is corrupt${part}: ${reason}`,
      options,
    );
    this.threadId = location.threadId;
    this.checkpointNs = location.checkpointNs;
    this.checkpointId = location.checkpointId;
    this.part = location.part;
  }
}
