export { ThreadService, type Thread, type ThreadDependencies, type ThreadSearch, type ThreadTtlOption } from "./service.js";
export type { ThreadInterrupt, ThreadSortBy, ThreadStatus } from "./sql.js";
export { readState, statusOf, stateView, type CheckpointRef, type HistoryQuery, type StateTask, type ThreadStateView } from "./state.js";
