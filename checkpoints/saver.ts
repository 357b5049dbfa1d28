import { createHash } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import type pg from "pg";
import { WriteBatcher } from "./batch.js";
import { WriterConnections } from "./connections.js";
import type { StoredWrite, TypedBytes } from "./body.js";
import { packValue } from "./compress.js";
import { type CheckpointDatabase, asCheckpointDatabase } from "./database.js";
import { type Base, type EncodedRow, PendingRow } from "./encode.js";
import { CheckpointInputError } from "./errors.js";
import { isTransientFault } from "./faults.js";
import { type HeldWrites, WriteHolder, mergeWrites } from "./held.js";
import { convertLegacyTables } from "./legacy/convert.js";
import { type DeleteResult, copyThread, deleteRun, deleteThreads, pruneThread } from "./lifecycle.js";
import { matchesFilter } from "./filter.js";
import { applyMigrations } from "./migrate.js";
import { checkpointMigrations } from "./migrations.js";
import { readPage } from "./read.js";
import { type RetryPolicy, retrying } from "./retry.js";
import { ThreadlineSerializer, serialiseAll } from "./serde.js";
import { ItemCache, StateCache, type State, itemKey } from "./state.js";
import { rowKey } from "./keys.js";
import { FLUSH, LAST_RUN } from "./sql.js";
import { type SweepOptions, type SweepResult, type ThreadTtl, type TtlPolicy, clearThreadTtl, getThreadTtl, setThreadTtl, sweepExpired } from "./ttl.js";
import { type VerifyOptions, type VerifyReport, verifyCheckpoints } from "./verify.js";
import { nextChannelVersion } from "./versions.js";
import { type ResolvedSaverOptions, type ThreadlineSaverCreateOptions, type ThreadlineSaverOptions, resolveSaverOptions } from "./options.js";

export type { ResolvedSaverOptions, ThreadlineSaverCreateOptions, ThreadlineSaverOptions } from "./options.js";

/**
 * The runtime's LangGraph checkpointer, on Postgres or PGlite. Each
 * checkpoint is one row holding only what changed since its parent (a new
 * message, not the whole history again) plus the pending writes that
 * produced it, so a step costs one statement and a thread's storage grows
 * with its messages, not with messages × steps. A checkpoint, or a page of
 * history, is rebuilt from one query that walks the parent chain.
 *
 * @example
 * const saver = await ThreadlineSaver.create(db);
 * const graph = builder.compile({ checkpointer: saver });
 * await graph.invoke(input, { configurable: { thread_id: "t1" }, durability: "sync" });
 * await saver.flush();
 * await saver.prune("t1", { keepLatest: 20 });
 */
export class ThreadlineSaver extends BaseCheckpointSaver {
  readonly db: CheckpointDatabase;
  /** The options in effect, defaults included. */
  readonly options: Readonly<ResolvedSaverOptions>;
  private readonly cache: StateCache;
  private readonly batcher: WriteBatcher;
  private readonly holder: WriteHolder;
  private readonly writers: WriterConnections;
  private readonly items: ItemCache;
  private readonly retry: RetryPolicy;

  /** A saver on tables that exist already; `create` also brings them up to date. */
  constructor(db: pg.Pool | CheckpointDatabase, options: ThreadlineSaverOptions = {}) {
    super(options.serde ?? new ThreadlineSerializer());
    this.db = asCheckpointDatabase(db);
    const kind = this.db.kind ?? "postgres";
    const resolved = resolveSaverOptions(kind, options);
    this.options = Object.freeze(resolved);
    this.cache = new StateCache(resolved.cachedThreads);
    this.items = new ItemCache(resolved.itemCacheSize);
    // PGlite runs in this process, one statement at a time: a connection kept
    // idle there only makes every other statement wait for it.
    this.writers = new WriterConnections(this.db.pool, kind === "pglite" ? 0 : undefined);
    this.retry = { attempts: resolved.retries, delayMs: 100, isTransient: isTransientFault };
    this.batcher = new WriteBatcher((text, values) => this.write(text, values), {
      // PGlite lives in this process: a commit kept only in its memory would die with it.
      commit: resolved.synchronousCommit || kind === "pglite" ? "on" : "off",
      defaultTtl: resolved.defaultTtl,
      maxInFlight: resolved.maxConcurrentWrites,
      retry: this.retry,
    });
    this.holder = new WriteHolder(resolved.holdWritesMs, (held) => this.storeWrites(held));
  }

  /** Brings the tables up to date (under the migration lock) and returns a saver. */
  static async create(db: pg.Pool | CheckpointDatabase, options: ThreadlineSaverCreateOptions = {}): Promise<ThreadlineSaver> {
    const { migrate = true, ...saverOptions } = options;
    const database = asCheckpointDatabase(db);
    if (migrate) await applyMigrations(database, [checkpointMigrations]);
    const saver = new ThreadlineSaver(database, saverOptions);
    // PGlite commits every statement synchronously, to the operating system;
    // what waits for the disk is its file system, each commit or each flush.
    if (saver.options.synchronousCommit) await database.durable?.({ eachCommit: true });
    await convertLegacyTables(database, saver.serde);
    return saver;
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    if (!threadId) return undefined;
    const found = await this.readOne(threadId, checkpointNs, checkpointId);
    if (!found) return undefined;
    const tuple = await found.store.tuple(found.key);
    this.cache.set(threadId, checkpointNs, tuple.checkpoint.id, found.store.stateOf(found.key));
    return tuple;
  }

  override async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { filter, before, limit } = options;
    const configurable = config.configurable ?? {};
    const threadId: string | null = configurable.thread_id ?? null;
    const query = {
      threadId,
      checkpointNs: (configurable.checkpoint_ns as string | undefined) ?? null,
      checkpointId: (configurable.checkpoint_id as string | undefined) ?? null,
      before: (before?.configurable?.checkpoint_id as string | undefined) ?? null,
    };
    const filtered = filter !== undefined && Object.keys(filter).length > 0;
    const known = threadId ? this.cache.knownByKey(threadId) : new Map<string, State>();
    const page = readPage((text, values) => this.read(text, values), this.serde, known, () => this.getNextVersion(undefined), this.items);
    const pageSize = this.options.pageSize;
    let remaining = limit === undefined ? Number.POSITIVE_INFINITY : Math.floor(limit);
    while (remaining > 0) {
      const size = filtered ? pageSize : Math.min(remaining, pageSize);
      const keys = await page.next(query, size);
      page.store.prepare(keys);
      for (const key of keys) {
        const tuple = await page.store.tuple(key);
        if (filtered && !matchesFilter(tuple.metadata, filter)) continue;
        yield tuple;
        if (--remaining <= 0) return;
      }
      page.store.forgetStates();
      if (keys.length < size) return;
    }
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new CheckpointInputError('put() needs a "configurable" field in its config');
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: parentId } = config.configurable;
    if (!threadId) throw new CheckpointInputError('put() needs "thread_id" in config.configurable');
    const location = { threadId, checkpointNs, checkpointId: checkpoint.id };
    const cached = parentId ? this.cache.get(threadId, checkpointNs, parentId) : undefined;
    const base: Base = !parentId
      ? { kind: "root" }
      : cached
        ? { kind: "parent", state: cached }
        : await this.readBase(threadId, checkpointNs, parentId);
    // Writes travel with a later checkpoint only: a reader finds them on the
    // first child whose id sorts after the parent's.
    const held = parentId && checkpoint.id > parentId ? this.holder.take(threadId, checkpointNs, parentId) : undefined;
    const writes = held ? mergeWrites(held) : [];
    const key = rowKey(threadId, checkpointNs, checkpoint.id);
    this.holder.storingStarted(key);
    try {
      const job = { threadId, checkpointNs, checkpointId: checkpoint.id, parentId: parentId ?? null, runId: runIdOf(config, metadata) };
      const source = new PendingRow(this.serde, { location, checkpoint, metadata, newVersions, writes, base });
      // A serialiser that only works through promises encodes here; the
      // batcher's encode must be synchronous.
      const eager = !(this.serde instanceof ThreadlineSerializer);
      if (eager) await source.encodeAhead();
      if (!(await this.batcher.put({ ...job, needsParent: base.kind === "parent", source }))) {
        // The parent was pruned or deleted since this process read it: store the checkpoint whole.
        this.cache.forgetThread(threadId);
        source.rebase({ kind: "orphan", lostParentId: parentId! });
        if (eager) await source.encodeAhead();
        if (!(await this.batcher.put({ ...job, needsParent: false, source }))) {
          throw new Error(`checkpoint ${checkpoint.id} of thread ${threadId} was not stored`);
        }
      }
      const row = source.encoded;
      if (!row) throw new Error(`checkpoint ${checkpoint.id} of thread ${threadId} was stored without being encoded`);
      this.cache.set(threadId, checkpointNs, checkpoint.id, row.state);
      this.remember(key, row);
      for (const h of held ?? []) h.resolve();
    } catch (err) {
      for (const h of held ?? []) h.reject(err);
      throw err;
    } finally {
      this.holder.storingEnded(key);
    }
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  // Not async: the promise returned is the holder's own, which saves every
  // step two promise hops; errors still arrive as a rejected promise.
  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    try {
      return this.holdWrites(config, writes, taskId, taskPath);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private holdWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath: string): Promise<void> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    if (!threadId) throw new CheckpointInputError('putWrites() needs "thread_id" in config.configurable');
    if (!checkpointId) throw new CheckpointInputError('putWrites() needs "checkpoint_id" in config.configurable');
    if (writes.length === 0) return Promise.resolve();
    // Special channels (error, interrupt, resume...) have fixed negative
    // indexes and replace what the task wrote before; other writes keep the
    // first attempt's result.
    const upsert = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    const byIdx = new Map<number, [string, unknown]>();
    for (const [i, [channel, value]] of writes.entries()) {
      const idx = WRITES_IDX_MAP[channel] ?? i;
      if (!upsert && byIdx.has(idx)) continue;
      byIdx.set(idx, [channel, value]);
    }
    // With a synchronous serialiser the writes are held before this call
    // returns, so a put made right after it finds them.
    const hold = (typed: TypedBytes[]) => {
      const stored: StoredWrite[] = [...byIdx].map(([idx, [channel]], i) => ({ taskId, taskPath, idx, channel, value: typed[i]! }));
      return this.holder.hold({ threadId, checkpointNs, checkpointId, runId: runIdOf(config), upsert, writes: stored });
    };
    const serialised = serialiseAll(this.serde, [...byIdx.values()].map(([, value]) => value));
    return serialised instanceof Promise ? serialised.then(hold) : hold(serialised);
  }

  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }

  /** Waits until every checkpoint committed so far is on disk (one round trip; on PGlite, an fsync of its WAL). */
  async flush(): Promise<void> {
    await this.db.pool.query(FLUSH);
    await this.db.durable?.();
  }

  override async deleteThread(threadId: string): Promise<void> {
    await this.holder.releaseThread(threadId);
    this.cache.forgetThread(threadId);
    await deleteThreads(this.db, [threadId]);
  }

  /** Copies every checkpoint and write of `from` to the new thread `to`, in one statement. */
  async copyThread(from: string, to: string): Promise<DeleteResult> {
    await this.holder.releaseThread(from);
    return copyThread(this.db, from, to);
  }

  /**
   * Keeps the newest `keepLatest` checkpoints of each namespace of a thread;
   * the oldest one kept is rewritten whole first, since its ancestors go.
   */
  async prune(threadId: string, options: { keepLatest: number }): Promise<DeleteResult> {
    await this.holder.releaseThread(threadId);
    this.cache.forgetThread(threadId);
    return pruneThread(this.db, this.serde, threadId, options.keepLatest);
  }

  /**
   * The run that wrote the thread's latest checkpoint: null for one written
   * outside a run (a state update, a fork), undefined when it has none.
   */
  async lastRunOf(threadId: string): Promise<string | null | undefined> {
    const { rows } = await this.db.pool.query<{ runId: string | null }>(LAST_RUN, [threadId]);
    return rows[0] ? rows[0].runId : undefined;
  }

  /** Deletes what run `runId` checkpointed on a thread, e.g. to roll back a cancelled run. */
  async deleteRun(threadId: string, runId: string): Promise<DeleteResult> {
    await this.holder.releaseThread(threadId);
    this.cache.forgetThread(threadId);
    return deleteRun(this.db, this.serde, threadId, runId);
  }

  async setThreadTtl(threadId: string, policy: TtlPolicy): Promise<Date> {
    return setThreadTtl(this.db, threadId, policy);
  }

  async getThreadTtl(threadId: string): Promise<ThreadTtl | undefined> {
    return getThreadTtl(this.db, threadId);
  }

  async clearThreadTtl(threadId: string): Promise<void> {
    return clearThreadTtl(this.db, threadId);
  }

  /**
   * Checks the stored rows of some threads (or all) in bounded batches and,
   * with `repair`, gives rows stored before checksums theirs.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifyCheckpoints(this.db, this.serde, options);
  }

  /** Deletes expired threads in bounded batches. */
  async sweep(options: SweepOptions = {}): Promise<SweepResult> {
    const result = await sweepExpired(this.db, options);
    for (const threadId of result.threadIds) this.cache.forgetThread(threadId);
    return result;
  }

  /** The state a put builds on when this process does not hold its parent's: read it, or store the put whole. */
  private async readBase(threadId: string, checkpointNs: string, parentId: string): Promise<Base> {
    const found = await this.readOne(threadId, checkpointNs, parentId);
    if (!found) return { kind: "orphan", lostParentId: parentId };
    const state = found.store.stateOf(found.key);
    this.cache.set(threadId, checkpointNs, parentId, state);
    return { kind: "parent", state };
  }

  /** Fetches one checkpoint (the latest when no id is given) and the rows needed to rebuild it. */
  private async readOne(threadId: string, checkpointNs: string, checkpointId: string | undefined) {
    const known = this.cache.knownByKey(threadId);
    const page = readPage((text, values) => this.read(text, values), this.serde, known, () => this.getNextVersion(undefined), this.items);
    const [key] = await page.next({ threadId, checkpointNs, checkpointId: checkpointId ?? null, before: null }, 1);
    return key === undefined ? undefined : { store: page.store, key };
  }

  /** Keeps the items a stored row added, so reads of this process need not deserialise them. */
  private remember(key: string, row: EncodedRow): void {
    for (const [channel, entry] of row.entries) {
      if (entry.kind !== "list") continue;
      const state = row.state.get(channel);
      if (state?.kind !== "list") continue;
      for (let i = 0; i < entry.items.length; i++) this.items.set(itemKey(key, row.flags, channel, i), state.items[entry.keep + i]);
    }
  }

  private storeWrites(held: HeldWrites): Promise<void> {
    const job = {
      threadId: held.threadId,
      checkpointNs: held.checkpointNs,
      checkpointId: held.checkpointId,
      runId: held.runId,
      upsert: held.upsert,
    };
    // One call per task, as the table is keyed by task.
    const byTask = new Map<string, StoredWrite[]>();
    for (const w of held.writes) byTask.set(w.taskId, [...(byTask.get(w.taskId) ?? []), w]);
    const stored = Promise.all(
      [...byTask].map(([taskId, writes]) =>
        this.batcher.writes({
          ...job,
          taskId,
          taskPath: writes[0]!.taskPath,
          rows: writes.map((w) => [w.idx, w.channel, ...packValue(w.value.type, Buffer.from(w.value.data))]),
        }),
      ),
    ).then(() => undefined);
    stored.then(held.resolve, held.reject);
    return stored.catch(() => undefined);
  }

  private write(text: string, values: unknown[]) {
    return this.writers.query(this.options.preparedStatements ? { name: statementName(text), text, values } : { text, values });
  }

  // Reads are planned once per connection too: planning the recursive read
  // costs about as much as running it.
  // Reads change nothing, so a read cut off by a transient fault is sent again like a write.
  private read(text: string, values: unknown[]) {
    return retrying(this.retry, () => this.db.pool.query(this.options.preparedStatements ? { name: statementName(text), text, values } : { text, values }));
  }
}

const statementNames = new Map<string, string>();

// Named after a digest of the text, so two savers (or versions) never reuse a
// name for different SQL on one connection.
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `tl_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

// A run id lets a cancelled run be rolled back: the server passes it as
// metadata (LangGraph copies config metadata into checkpoint metadata) or
// in configurable.
function runIdOf(config: RunnableConfig, metadata?: CheckpointMetadata): string | null {
  const candidates = [
    (metadata as Record<string, unknown> | undefined)?.run_id,
    config.metadata?.run_id,
    config.configurable?.run_id,
  ];
  const found = candidates.find((c) => typeof c === "string" && c.length > 0);
  return (found as string | undefined) ?? null;
}
