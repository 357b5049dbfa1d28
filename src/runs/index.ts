export { RunService, type CreateRun, type Run, type RunDependencies } from "./service.js";
export { parseRunRequest, streamModesOf, MULTITASK_STRATEGIES, STREAM_MODES, type MultitaskStrategy, type RunRequest, type RunStreamMode } from "./request.js";
export type { RunServices } from "./execute.js";
export type { RunStatus } from "./sql.js";
export { startWorker, type Worker, type WorkerOptions } from "./worker.js";
