import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type { TtlPolicy } from "./ttl.js";

/** Options of ThreadlineSaver; what is left out takes the backend's default (`resolveSaverOptions`). */
export interface ThreadlineSaverOptions {
  serde?: SerializerProtocol;
  /** TTL given to every thread on its first checkpoint (none by default). */
  defaultTtl?: TtlPolicy;
  /** Checkpoints fetched per query by list(). Default 100. */
  pageSize?: number;
  /** Threads whose latest states are kept in memory. Default 1000. */
  cachedThreads?: number;
  /** Deserialised list items (messages) kept for later reads. Default 20000. */
  itemCacheSize?: number;
  /**
   * Wait for each checkpoint to reach disk before put() returns. Default
   * false on Postgres: each put commits with `synchronous_commit = off`, so
   * it is committed (visible to every worker, kept if this process dies)
   * and the server writes it to disk a moment later. Only a crash of the
   * database server itself can lose those last few hundred milliseconds of
   * steps, and LangGraph then resumes from the checkpoint before, as after
   * any crash mid-step. `flush()` makes everything committed so far
   * durable; the runtime calls it when a run ends, so a finished run is
   * always on disk. On a PGlite data folder every commit reaches the
   * operating system at once (PGlite lives in this process, so a commit
   * kept only in its memory would die with it) and this option decides
   * whether each one also waits for the disk, or only `flush()` does.
   */
  synchronousCommit?: boolean;
  /**
   * How long putWrites() waits for the checkpoint that follows its writes,
   * to share its statement. Default 5 ms; 0 sends writes at once.
   */
  holdWritesMs?: number;
  /**
   * Prepare the write statements once per connection instead of planning
   * them on every call. Default: on for Postgres; off for PGlite, whose one
   * session outlives the clients that would track what it has prepared.
   */
  preparedStatements?: boolean;
  /**
   * Write statements running at once before further calls are grouped into
   * shared statements. Default 2 on Postgres (fewer, larger groups cost the
   * process less CPU under load than more connections would save), 1 on
   * PGlite (one session).
   */
  maxConcurrentWrites?: number;
  /**
   * Times a statement (a step's write, or a read) is sent again after a
   * transient fault (a connection lost, a server restarting), waiting 0.1 s,
   * then twice as long before each further try: the default 5 ride out
   * about 3 s.
   */
  retries?: number;
}

/** Options of `ThreadlineSaver.create`, which also brings the tables up to date. */
export interface ThreadlineSaverCreateOptions extends ThreadlineSaverOptions {
  /**
   * Apply `checkpointMigrations` first. Default true; false when the
   * application runs them with its own migrations (the runtime does not need
   * to: both follow one protocol, see migrate.ts).
   */
  migrate?: boolean;
}

/** Every option with its value in effect, the serialiser aside. */
export type ResolvedSaverOptions = Required<Omit<ThreadlineSaverOptions, "serde" | "defaultTtl">> & {
  defaultTtl: TtlPolicy | undefined;
};

/**
 * The options in effect on a backend: the one place defaults are chosen, for
 * the constructor and `create` alike. On PGlite commits are always
 * synchronous, so `synchronousCommit` there only says whether each one also
 * waits for the disk.
 */
export function resolveSaverOptions(kind: "postgres" | "pglite", options: ThreadlineSaverOptions): ResolvedSaverOptions {
  const postgres = kind === "postgres";
  return {
    defaultTtl: options.defaultTtl,
    pageSize: Math.max(1, Math.floor(options.pageSize ?? 100)),
    cachedThreads: options.cachedThreads ?? 1_000,
    itemCacheSize: options.itemCacheSize ?? 20_000,
    synchronousCommit: options.synchronousCommit ?? false,
    holdWritesMs: options.holdWritesMs ?? 5,
    preparedStatements: options.preparedStatements ?? postgres,
    maxConcurrentWrites: options.maxConcurrentWrites ?? (postgres ? 2 : 1),
    retries: options.retries ?? 5,
  };
}
