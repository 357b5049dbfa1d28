import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { ConfigurationError } from "../errors.js";
import { ArchivalStore } from "./archival.js";
import { CoreMemory, DEFAULT_BLOCKS } from "./core.js";
import { memoryMigrations } from "./migrations.js";
import { compileSystemPrompt } from "./prompt.js";
import { RecallStore } from "./recall.js";
import { assertScope } from "./scope.js";
import { STATS_SQL } from "./sql.js";
import type { CoreBlockDefinition, MemoryScope, MemoryStats } from "./types.js";
import { ensureVectorSupport, type VectorMode, type VectorPreference } from "./vector.js";

export * from "./types.js";
export { ArchivalStore, normalizeTags, type ArchivalStoreOptions, type PassageInsertOptions } from "./archival.js";
export { CoreMemory, DEFAULT_BLOCKS, DEFAULT_BLOCK_LIMIT } from "./core.js";
export { BlockLimitError, ReadOnlyBlockError } from "./errors.js";
export { flattenContent, toRecallRecord } from "./messages.js";
export { memoryMigrations } from "./migrations.js";
export { compileSystemPrompt, formatTime, type CompileInput } from "./prompt.js";
export { RecallStore } from "./recall.js";
export { ensureVectorSupport, type VectorMode, type VectorPreference } from "./vector.js";

export interface MemoryOptions {
  /** Embeddings for archival memory (e.g. `new OpenAIEmbeddings(...)`); without them archival search is text-only. */
  embeddings?: EmbeddingsInterface;
  /** "auto" (default): pgvector when the server has it, else the exact fallback. */
  vector?: VectorPreference;
  /** Blocks every scope starts with. Default: `persona` and `human` (DEFAULT_BLOCKS). */
  defaultBlocks?: readonly CoreBlockDefinition[];
  /** Apply the memory migrations first (default true; idempotent and cheap). */
  migrate?: boolean;
}

/**
 * The memory of every (assistant, user) scope: core blocks, recall and
 * archival memory, and the system prompt compiled from them.
 */
export class MemoryService {
  constructor(
    private readonly db: Pick<Database, "pool">,
    readonly core: CoreMemory,
    readonly recall: RecallStore,
    readonly archival: ArchivalStore,
  ) {}

  /** Counts and last edit time shown in the prompt's memory metadata. */
  async stats(scope: MemoryScope): Promise<MemoryStats> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<{ recallCount: number; archivalCount: number; lastEditedAt: Date | null }>(
      STATS_SQL.get,
      [scope.assistantId, scope.userId],
    );
    const row = rows[0]!;
    return {
      recallCount: row.recallCount,
      archivalCount: row.archivalCount,
      ...(row.lastEditedAt ? { lastEditedAt: row.lastEditedAt } : {}),
    };
  }

  /**
   * The system prompt for the scope's next model call: `basePrompt` followed
   * by its core blocks (default blocks created on first use) and metadata.
   */
  async compile(scope: MemoryScope, basePrompt: string, options: { now?: Date } = {}): Promise<string> {
    const blocks = await this.core.ensureDefaults(scope);
    const stats = await this.stats(scope);
    return compileSystemPrompt({ basePrompt, blocks, stats, ...(options.now ? { now: options.now } : {}) });
  }
}

/**
 * Opens the memory layer on a database: applies its migrations, sets up
 * vector search (pgvector when available, exact fallback otherwise) and
 * returns the facade the agent graph and the memory tools use.
 *
 * @example
 * const memory = await createMemory(db, { embeddings: new OpenAIEmbeddings({ model: "text-embedding-3-small" }) });
 * const scope = { assistantId: "agent", userId: "u1" };
 * await memory.recall.append(scope, threadId, [new HumanMessage("I live in Porto")]);
 * const system = await memory.compile(scope, "You are a helpful assistant.");
 */
export async function createMemory(db: Database, options: MemoryOptions = {}): Promise<MemoryService> {
  if (options.migrate !== false) await migrate(db, [memoryMigrations]);
  const vectorMode = await resolveVectorMode(db, options.vector ?? "auto");
  return new MemoryService(
    db,
    new CoreMemory(db, options.defaultBlocks ?? DEFAULT_BLOCKS),
    new RecallStore(db),
    new ArchivalStore(db, { vectorMode, ...(options.embeddings ? { embeddings: options.embeddings } : {}) }),
  );
}

async function resolveVectorMode(db: Database, preference: VectorPreference): Promise<VectorMode> {
  if (preference === "exact") return "exact";
  const available = await ensureVectorSupport(db);
  if (preference === "pgvector" && available !== "pgvector") {
    throw new ConfigurationError(`pgvector was required but the database at ${db.location} does not have the vector extension`);
  }
  return available;
}
