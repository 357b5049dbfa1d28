import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { ThreadlineSaver, checkpointMigrations, type ThreadlineSaverOptions } from "../checkpoints/index.js";
import { AssistantService, systemAssistantId } from "./assistants/service.js";
import type { Database } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { coreMigrations } from "./db/migrations.js";
import { adoptLegacyGraphMigrations, projectMigrations } from "./graph/migrations.js";
import { validateAssistantConfig, type Project } from "./graph/project.js";
import { RecallStore, ensureVectorSupport, prepareMemory, rescopeAssistantMemory } from "./memory/index.js";
import { RunService } from "./runs/service.js";
import { ThreadlineStore, storeMigrations, type StoreIndex } from "./store/index.js";
import { RunEventLog } from "./stream/log.js";
import { ThreadService } from "./threads/service.js";

export interface CoreOptions {
  db: Database;
  project: Project;
  /** The chat model nodes get from the run context (`chatModelOf(config)`). */
  chatModel?: BaseChatModel;
  /** Embeddings nodes get from the run context (`embeddingsOf(config)`). */
  embeddings?: EmbeddingsInterface;
  /** Options of the checkpointer. */
  checkpoints?: ThreadlineSaverOptions;
  /** Embeddings for the store's search by meaning (langgraph.json's `store.index`). */
  storeIndex?: StoreIndex;
  /**
   * Runs of the anonymous owner may name the user their graph acts for
   * (`configurable.user_id`, e.g. the agent's memory scope), as LangGraph's
   * server passes it through. For a server without authentication, where
   * anyone may act as anyone; off by default, and an authenticated owner is
   * never replaced.
   */
  anonymousRunsNameUser?: boolean;
}

/** The services every entry point (CLI, server, worker) works through. */
export interface Core {
  readonly db: Database;
  readonly project: Project;
  readonly checkpointer: ThreadlineSaver;
  readonly store: ThreadlineStore;
  readonly assistants: AssistantService;
  readonly threads: ThreadService;
  readonly runs: RunService;
  readonly events: RunEventLog;
  /** Lets go of the runs this process holds and closes the database. */
  close(): Promise<void>;
}

/**
 * Brings the whole schema up to date before anything serves: the core
 * tables, the store, memory (and the vector extension where it can be
 * installed), the checkpointer and every graph module's own migrations.
 * Safe from several processes at once: each set is applied under one
 * advisory lock. Returns how many steps were applied.
 *
 * @example
 * await migrateAll(db, await loadProject("langgraph.json"));
 */
export async function migrateAll(db: Database, project: Project): Promise<number> {
  await adoptLegacyGraphMigrations(db, project);
  const applied = await migrate(db, [coreMigrations, checkpointMigrations, storeMigrations, ...(await projectMigrations(project))]);
  const memory = await prepareMemory(db);
  // Memory is scoped by assistant id, which for a graph's system assistant
  // was the graph id before assistants were records.
  for (const graphId of project.graphIds) await rescopeAssistantMemory(db, graphId, systemAssistantId(graphId));
  return applied + memory.applied;
}

/**
 * Opens the core on a database: migrates everything, creates the system
 * assistant of every graph, and wires assistants, threads, runs and their
 * event log to one checkpointer and one store.
 *
 * @example
 * const core = await openCore({ db, project });
 * const run = await core.runs.create({ threadId: "t1", assistantId: "banking", request: { input: { message: "balance?" }, ifNotExists: "create" } }, ANONYMOUS_OWNER);
 * await core.runs.execute(run.runId);
 */
export async function openCore(options: CoreOptions): Promise<Core> {
  const { db, project } = options;
  await migrateAll(db, project);
  const checkpointer = await ThreadlineSaver.create(db, { ...options.checkpoints, migrate: false });
  const store = new ThreadlineStore(db, { ...(options.storeIndex ? { index: options.storeIndex } : {}), vector: await ensureVectorSupport(db) });
  const recall = new RecallStore(db);
  const assistants = new AssistantService(db, project.graphIds, async (graphId, configurable) =>
    validateAssistantConfig(await project.load(graphId), configurable),
  );
  await assistants.syncSystemAssistants();
  const graph = async (graphId: string) =>
    (await project.load(graphId)).instantiate({ configurable: {} }, { checkpointer, store });
  // Threads are kept still for maintenance by the run queue, which is built
  // on them; the queue exists by the time anything is asked of threads.
  let runs: RunService | undefined;
  const threads = new ThreadService(db, {
    graph,
    removers: [(threadId) => checkpointer.deleteThread(threadId), (threadId) => recall.deleteThread(threadId)],
    copyCheckpoints: (from, to) => checkpointer.copyThread(from, to),
    pruneCheckpoints: (threadId) => checkpointer.prune(threadId, { keepLatest: 1 }),
    reserve: (threadId, what, fn, reserveOptions) => runs!.reserve(threadId, what, fn, reserveOptions),
  });
  const events = new RunEventLog(db);
  runs = new RunService({
    db,
    project,
    checkpointer,
    store,
    threads,
    assistants,
    events,
    services: {
      ...(options.chatModel ? { chatModel: options.chatModel } : {}),
      ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    },
    anonymousRunsNameUser: options.anonymousRunsNameUser === true,
  });
  return {
    db,
    project,
    checkpointer,
    store,
    assistants,
    threads,
    runs,
    events,
    async close() {
      await runs.close();
      await db.close();
    },
  };
}
