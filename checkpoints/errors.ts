import { ThreadlineError } from "../src/errors.js";

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
export class CorruptCheckpointError extends ThreadlineError {
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
