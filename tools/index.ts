import type { StructuredToolInterface } from "@langchain/core/tools";
import { archivalMemoryInsertTool, archivalMemorySearchTool } from "./archival.js";
import type { MemoryToolsOptions, ToolMemory } from "./common.js";
import { conversationSearchTool } from "./conversation-search.js";
import { coreMemoryAppendTool, coreMemoryReplaceTool, memoryRethinkTool } from "./core-memory.js";

export { archivalMemoryInsertTool, archivalMemorySearchTool } from "./archival.js";
export { parseIsoDate, scopeOf, type MemoryToolsOptions, type ToolMemory } from "./common.js";
export { conversationSearchTool } from "./conversation-search.js";
export { coreMemoryAppendTool, coreMemoryReplaceTool, memoryRethinkTool } from "./core-memory.js";

/** Names of the memory tools, in the order `createMemoryTools` returns them. */
export const MEMORY_TOOL_NAMES = [
  "core_memory_append",
  "core_memory_replace",
  "memory_rethink",
  "conversation_search",
  "archival_memory_insert",
  "archival_memory_search",
] as const;

/**
 * The six MemGPT memory tools, bound to a memory service. Each reads its
 * scope from the run's config at call time (`configurable.user_id`, and
 * `configurable.assistant_id` or else `options.assistantId`), never from its
 * arguments, and returns every error as a result string the model can act on.
 *
 * @example
 * const memory = await createMemory(db);
 * const tools = createMemoryTools(memory, { assistantId: "agent" });
 * const model = chatModel.bindTools(tools);
 * const toolNode = new ToolNode(tools);
 */
export function createMemoryTools(memory: ToolMemory, options: MemoryToolsOptions = {}): StructuredToolInterface[] {
  return [
    coreMemoryAppendTool(memory, options),
    coreMemoryReplaceTool(memory, options),
    memoryRethinkTool(memory, options),
    conversationSearchTool(memory, options),
    archivalMemoryInsertTool(memory, options),
    archivalMemorySearchTool(memory, options),
  ];
}
