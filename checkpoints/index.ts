export { ThreadlineSaver, type ThreadlineSaverOptions } from "./saver.js";
export { CorruptCheckpointError, type CheckpointLocation } from "./errors.js";
export { LOST_PARENT_KEY } from "./encode.js";
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
