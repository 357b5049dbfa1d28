/**
 * Threadline's public entry: the runtime and its database layer, the agent's
 * parts to compose into your own graphs, memory, context assembly and the
 * checkpointer. Each area is also importable on its own (see package.json
 * `exports`).
 *
 * @example
 * import { openDatabase, createCheckpointer, createAgentGraph } from "threadline";
 * const db = await openDatabase({ dataDir: ".threadline/data" });
 * const graph = createAgentGraph({ context: { strategy: "hybrid" } }).compile({ checkpointer: await createCheckpointer(db) });
 */
export * from "./errors.js";
export { openDatabase, DEFAULT_DATA_DIR, type DatabaseOptions } from "./db/open.js";
export { withTransaction, type Database } from "./db/database.js";
export { migrate, type Migration, type MigrationSet } from "./db/migrate.js";
export { createCheckpointer } from "./graph/checkpointer.js";
export { databaseOf, chatModelOf, embeddingsOf, type ThreadlineContext } from "./graph/run-context.js";
export { loadProject, type GraphModule, type LoadedGraph, type Project } from "./graph/project.js";
export { openCore, migrateAll, type Core, type CoreOptions } from "./core.js";
export { ANONYMOUS_OWNER, SYSTEM_OWNER, assertThreadId, assertUserId, ownerOf } from "./owners.js";
export * from "./assistants/index.js";
export * from "./threads/index.js";
export * from "./runs/index.js";
export { RunEventLog, type RunEvent } from "./stream/log.js";
export { toJson } from "./stream/serialize.js";
export { ThreadlineStore, storeMigrations } from "./store/index.js";
export * from "./agent/index.js";
export { createMemory, prepareMemory, MemoryService, type MemoryOptions, type MemoryStartup } from "./memory/index.js";
export { createMemoryTools, MEMORY_TOOL_NAMES } from "../tools/index.js";
export { assembleContext, createTokenCounter, parseContextOptions, summariseSafely, DEFAULT_CONTEXT_OPTIONS } from "./window/index.js";
export { createChatModel, readModelEnvironment, DEFAULT_MODEL } from "./models/index.js";
export { ThreadlineSaver, CorruptCheckpointError } from "../checkpoints/index.js";
