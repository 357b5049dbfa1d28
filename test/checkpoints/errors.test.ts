import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CheckpointConflictError,
  CheckpointError,
  type CheckpointErrorCode,
  CheckpointInputError,
  CheckpointNotFoundError,
  CorruptCheckpointError,
  MigrationMismatchError,
} from "../../checkpoints/index.js";
import { translateDatabaseError } from "../../src/db/errors.js";
import { type ErrorCode, isThreadlineError } from "../../src/errors.js";

describe("checkpoint errors at the runtime's edge", () => {
  const errors: CheckpointError[] = [
    new CheckpointInputError("keepLatest must be a positive integer, got 0"),
    new CheckpointNotFoundError("thread t1 has no checkpoints"),
    new CheckpointConflictError("thread t2 already has checkpoints"),
    new MigrationMismatchError("checkpoints migration 9 is unknown"),
    new CorruptCheckpointError({ threadId: "t", checkpointNs: "", checkpointId: "c" }, "checksum mismatch"),
  ];

  it("use the runtime's codes", () => {
    expectTypeOf<CheckpointErrorCode>().toExtend<ErrorCode>();
    expect(errors.map((e) => e.code)).toEqual(["invalid_input", "not_found", "conflict", "configuration", "corrupt_state"]);
  });

  it("are typed errors to the runtime, passed through its translation unchanged", () => {
    for (const err of errors) {
      expect(isThreadlineError(err)).toBe(true);
      expect(translateDatabaseError(err)).toBe(err);
      expect(err.message).not.toContain("\n");
      expect(err.name).toBe(err.constructor.name);
    }
  });
});
