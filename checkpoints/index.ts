export {
  ThreadlineSaver,
  type ResolvedSaverOptions,
  type ThreadlineSaverCreateOptions,
  type ThreadlineSaverOptions,
} from "./saver.js";
export { resolveSaverOptions } from "./options.js";
export {
  CheckpointConflictError,
  CheckpointError,
  CheckpointInputError,
  CheckpointNotFoundError,
  CorruptCheckpointError,
  MigrationMismatchError,
  type CheckpointErrorCode,
  type CheckpointLocation,
} from "./errors.js";
export { type CheckpointDatabase, type PoolHolder, checkOut, withTransaction } from "./database.js";
export { classifyFault, isTransientFault, type Fault, type FaultKind } from "./faults.js";
export { applyMigrations, withMigrationLock, type Migration, type MigrationSet } from "./migrate.js";
export { LOST_PARENT_KEY } from "./encode.js";
export { latestCheckpointIdSql } from "./sql.js";
export { checkpointMigrations } from "./migrations.js";
export { copyThread, deleteRun, deleteThreads, pruneThread, type DeleteResult } from "./lifecycle.js";
export {
  clearThreadTtl,
  getThreadTtl,
  setThreadTtl,
  startTtlSweeper,
  sweepExpired,
  type SweepOptions,
  type SweepResult,
  type ThreadTtl,
  type TtlPolicy,
} from "./ttl.js";
export { nextChannelVersion } from "./versions.js";
export { verifyCheckpoints, type CorruptRow, type VerifyOptions, type VerifyReport } from "./verify.js";
