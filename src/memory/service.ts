import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Database } from "../db/database.js";
import { InvalidInputError } from "../errors.js";
import { ArchivalStore } from "./archival.js";
import { CoreMemory, DEFAULT_BLOCKS } from "./core.js";
import { compileSystemPrompt } from "./prompt.js";
import { RecallStore } from "./recall.js";
import { assertScope } from "./scope.js";
import { ERASURE_SQL, STATS_SQL } from "./sql.js";
import { checkMemoryReady, prepareMemory } from "./startup.js";
import type { CoreBlockDefinition, MemoryErasure, MemoryScope, MemoryStats } from "./types.js";
import type { VectorPreference } from "./vector.js";

export interface MemoryOptions {
  /**
   * Embeddings (e.g. `new OpenAIEmbeddings(...)`) for archival memory and
   * recall search; without them both search by words alone.
   */
  embeddings?: EmbeddingsInterface;
  /** "auto" (default): pgvector when the server has it, else the exact fallback. */
  vector?: VectorPreference;
  /** Blocks every scope starts with. Default: `persona` and `human` (DEFAULT_BLOCKS). */
  defaultBlocks?: readonly CoreBlockDefinition[];
  /**
   * Run the start-up (`prepareMemory`: migrations, pgvector) first. Default
   * true, for an application that opens memory where it starts. `false`
   * creates and alters nothing: it checks, read-only, that the start-up ran
   * (ConfigurationError otherwise) and detects pgvector; graph nodes use this.
   */
  migrate?: boolean;
}

/**
 * The memory of every (assistant, user) scope: core blocks, recall and
 * archival memory, the system prompt compiled from them, and the deletions
 * that cross scopes (a user's erasure, a thread's deletion). Deleting one
 * named item (a block, a message, a passage) through `core`, `recall` or
 * `archival` throws NotFoundError when the scope has no such item; bulk
 * deletions return counts, 0 when there was nothing.
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

  /**
   * Erases everything memory holds of a user, under every assistant: core
   * blocks, recall messages and archival passages, in one statement (all or
   * nothing). Returns what went; a user with nothing stored gets zeros.
   *
   * @example
   * const { blocks, messages, passages } = await memory.deleteUser("ada");
   */
  async deleteUser(userId: string): Promise<MemoryErasure> {
    // The scope check with a placeholder assistant validates the user id alone.
    assertScope({ assistantId: "-", userId });
    const { rows } = await this.db.pool.query<MemoryErasure>(ERASURE_SQL.user, [userId]);
    return rows[0]!;
  }

  /**
   * Deletes every recall message of a thread, in every scope that recorded
   * it: what a thread's deletion or expiry calls. Returns how many went (0 for
   * a thread with none).
   *
   * @example
   * await memory.deleteThreadMessages("t1");
   */
  async deleteThreadMessages(threadId: string): Promise<number> {
    if (typeof threadId !== "string" || threadId === "") throw new InvalidInputError("deleting a thread's messages needs its id");
    return this.recall.deleteThread(threadId);
  }
}

/**
 * Opens the memory layer on a database and returns the facade the agent
 * graph and the memory tools use. By default it first runs the start-up
 * (`prepareMemory`: migrations, pgvector where available), as an application
 * does where it starts; with `migrate: false` it changes nothing and fails
 * with a ConfigurationError when the start-up has not run, which is how
 * graph nodes open it.
 *
 * @example
 * const memory = await createMemory(db, { embeddings: new OpenAIEmbeddings({ model: "text-embedding-3-small" }) });
 * const scope = { assistantId: "agent", userId: "u1" };
 * await memory.recall.append(scope, threadId, [new HumanMessage("I live in Porto")]);
 * const system = await memory.compile(scope, "You are a helpful assistant.");
 */
export async function createMemory(db: Database, options: MemoryOptions = {}): Promise<MemoryService> {
  const startup = options.vector ? { vector: options.vector } : {};
  const vectorMode =
    options.migrate === false ? await checkMemoryReady(db, startup) : (await prepareMemory(db, startup)).vectorMode;
  return new MemoryService(
    db,
    new CoreMemory(db, options.defaultBlocks ?? DEFAULT_BLOCKS),
    new RecallStore(db, { vectorMode, ...(options.embeddings ? { embeddings: options.embeddings } : {}) }),
    new ArchivalStore(db, { vectorMode, ...(options.embeddings ? { embeddings: options.embeddings } : {}) }),
  );
}
