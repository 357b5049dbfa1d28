import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Database } from "../db/database.js";
import { createMemory, type CoreBlockDefinition, type MemoryScope, type MemoryService } from "../memory/index.js";
import { chatModelOf, databaseOf, embeddingsOf } from "../graph/run-context.js";

/** Everything a tool factory may use to build the tools of one run. */
export interface ToolContext {
  memory: MemoryService;
  scope: MemoryScope;
  threadId: string;
  config: LangGraphRunnableConfig;
}

/** Fixed tools, or a factory of the tools of one run. */
export type ToolsOption =
  | readonly StructuredToolInterface[]
  | ((context: ToolContext) => readonly StructuredToolInterface[] | Promise<readonly StructuredToolInterface[]>);

export type MemoryResolver = (config: LangGraphRunnableConfig) => Promise<MemoryService>;
export type ModelResolver = (config: LangGraphRunnableConfig) => BaseChatModel;

const memories = new WeakMap<Database, Map<string, Promise<MemoryService>>>();

/**
 * The memory facade of the run's database, opened once per database and set
 * of default blocks. It runs inside graph nodes, so it creates nothing: the
 * memory tables and pgvector come from the start-up (`prepareMemory`, run by
 * the runtime when it opens and by `threadline migrate`), and a database
 * without them fails the run with a ConfigurationError saying so. A failed
 * open is not cached, so the next run after the start-up succeeds.
 */
export function defaultMemoryResolver(defaultBlocks?: readonly CoreBlockDefinition[]): MemoryResolver {
  const key = JSON.stringify(defaultBlocks ?? null);
  return (config) => {
    const db = databaseOf(config);
    let byBlocks = memories.get(db);
    if (!byBlocks) memories.set(db, (byBlocks = new Map()));
    let memory = byBlocks.get(key);
    if (!memory) {
      const embeddings = embeddingsOf(config);
      memory = createMemory(db, {
        migrate: false,
        ...(embeddings ? { embeddings } : {}),
        ...(defaultBlocks ? { defaultBlocks } : {}),
      });
      memory.catch(() => byBlocks.delete(key));
      byBlocks.set(key, memory);
    }
    return memory;
  };
}

/** The chat model of the run context (`ThreadlineContext.chatModel`). */
export const defaultModelResolver: ModelResolver = (config) => chatModelOf(config);

export async function resolveTools(option: ToolsOption, context: ToolContext): Promise<readonly StructuredToolInterface[]> {
  return typeof option === "function" ? option(context) : option;
}
