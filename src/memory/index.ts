/**
 * The memory layer's public API: what the agent, the tools and applications
 * import. Start-up (`prepareMemory`) runs once where an application opens the
 * database; `createMemory` opens the facade.
 *
 * @example
 * await prepareMemory(db);
 * const memory = await createMemory(db, { migrate: false });
 * await memory.core.append({ assistantId: "agent", userId: "ada" }, "human", "Name: Ada.");
 */
export * from "./types.js";
export { ArchivalStore, DEFAULT_TOP_K, MAX_TOP_K, normalizeTags, type ArchivalStoreOptions, type PassageInsertOptions } from "./archival.js";
export { CoreMemory, DEFAULT_BLOCKS, DEFAULT_BLOCK_LIMIT } from "./core.js";
export { BlockLimitError, ReadOnlyBlockError } from "./errors.js";
export { flattenContent, toRecallRecord, type RecallRecord } from "./messages.js";
export { memoryMigrations } from "./migrations.js";
export { compileSystemPrompt, formatDay, formatTime, type CompileInput } from "./prompt.js";
export {
  RecallStore,
  DEFAULT_RECALL_LIMIT,
  MAX_RECALL_LIMIT,
  type RecallStepOptions,
  type RecallStepResult,
} from "./recall.js";
export { charLength } from "./scope.js";
export { createMemory, MemoryService, type MemoryOptions } from "./service.js";
export { checkMemoryReady, prepareMemory, rescopeAssistantMemory, type MemoryStartup, type MemoryStartupOptions } from "./startup.js";
export { ensureVectorSupport, type VectorMode, type VectorPreference } from "./vector.js";
