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
  type SerializerProtocol,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import type { Database } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { InvalidInputError } from "../src/errors.js";
import { type CheckpointRow, ItemIndex, decodeRow } from "./decode.js";
import { packRecord, packValue } from "./compress.js";
import { dumps, encodeChannels, toBuffer } from "./encode.js";
import { type CopyResult, type DeleteResult, copyThread, deleteRun, deleteThreads, pruneThread } from "./lifecycle.js";
import { BoundedMap, type KnownNodes, ListCache } from "./list-cache.js";
import { checkpointMigrations } from "./migrations.js";
import { WriteBatcher } from "./batch.js";
import { SELECT_CHECKPOINTS } from "./sql.js";
import { type SweepOptions, type SweepResult, type ThreadTtl, type TtlPolicy, clearThreadTtl, getThreadTtl, setThreadTtl, sweepExpired } from "./ttl.js";
import { nextChannelVersion } from "./versions.js";

export interface ThreadlineSaverOptions {
  serde?: SerializerProtocol;
  /** TTL given to every thread on its first checkpoint (none by default). */
  defaultTtl?: TtlPolicy;
  /** Checkpoints fetched per query by list(). Default 100. */
  pageSize?: number;
  /** Channels whose stored list items are remembered. Default 2000. */
  listCacheSize?: number;
  /** Deserialised list items kept for later reads. Default 20000. */
  itemCacheSize?: number;
  /**
   * Prepare the write statements once per connection instead of planning
   * them on every call. Default: on for Postgres; off for PGlite, whose one
   * session outlives the clients that would track what it has prepared.
   */
  preparedStatements?: boolean;
  /**
   * Write statements running at once before further calls are grouped into
   * shared statements. Default 4 on Postgres, 1 on PGlite (one session).
   */
  maxConcurrentWrites?: number;
}

/**
 * The runtime's LangGraph checkpointer, on Postgres or PGlite. One round trip
 * per put() and per putWrites() (calls that queue behind busy write slots
 * share one statement); list values (message histories) are stored
 * one item at a time and shared between checkpoints, so a thread's storage
 * grows with its messages, not with messages × steps; a checkpoint, or a page
 * of history, is read back in one statement.
 *
 * @example
 * const saver = await ThreadlineSaver.create(db);
 * const graph = builder.compile({ checkpointer: saver });
 * await graph.invoke(input, { configurable: { thread_id: "t1" } });
 * await saver.prune("t1", { keepLatest: 20 });
 */
export class ThreadlineSaver extends BaseCheckpointSaver {
  private readonly cache: ListCache;
  private readonly pageSize: number;
  private readonly defaultTtl: TtlPolicy | undefined;
  private readonly decoded: BoundedMap<string, Promise<unknown>>;
  private readonly prepared: boolean;
  private readonly batcher: WriteBatcher;

  constructor(
    readonly db: Pick<Database, "pool">,
    options: ThreadlineSaverOptions = {},
  ) {
    super(options.serde);
    this.cache = new ListCache(options.listCacheSize);
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 100));
    this.defaultTtl = options.defaultTtl;
    this.decoded = new BoundedMap(options.itemCacheSize ?? 20_000);
    this.prepared = options.preparedStatements ?? false;
    this.batcher = new WriteBatcher((text, values) => this.write(text, values), this.defaultTtl, options.maxConcurrentWrites ?? 1);
  }

  /** Brings the tables up to date (under the migration lock) and returns a saver. */
  static async create(db: Database, options: ThreadlineSaverOptions = {}): Promise<ThreadlineSaver> {
    await migrate(db, [checkpointMigrations]);
    const postgres = db.kind === "postgres";
    return new ThreadlineSaver(db, { preparedStatements: postgres, maxConcurrentWrites: postgres ? 4 : 1, ...options });
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    if (!threadId) return undefined;
    const known = this.cache.known(threadId);
    const { rows } = await this.db.pool.query<CheckpointRow>(SELECT_CHECKPOINTS, [
      threadId, checkpointNs, checkpointId ?? null, null, null, null, null, null, 1, knownNodes(known),
    ]);
    const row = rows[0];
    if (!row) return undefined;
    const items = new ItemIndex(this.serde, this.decoded);
    items.addRows(row);
    const { tuple, lists } = await decodeRow(this.serde, row, items, () => this.getNextVersion(undefined), known);
    for (const [channel, list] of lists) {
      this.cache.set(row.threadId, row.checkpointNs, channel, { items: list.items.slice(), nodes: list.nodes });
    }
    return tuple;
  }

  override async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { filter, before, limit } = options;
    const configurable = config.configurable ?? {};
    const params = [
      configurable.thread_id ?? null,
      configurable.checkpoint_ns ?? null,
      configurable.checkpoint_id ?? null,
      filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : null,
      before?.configurable?.checkpoint_id ?? null,
    ];
    const items = new ItemIndex(this.serde, this.decoded);
    const known = configurable.thread_id ? this.cache.known(configurable.thread_id) : new Map();
    const knownParam = knownNodes(known);
    let remaining = limit === undefined ? Number.POSITIVE_INFINITY : Math.floor(limit);
    let cursor: unknown[] = [null, null, null];
    while (remaining > 0) {
      const size = Math.min(remaining, this.pageSize);
      const { rows } = await this.db.pool.query<CheckpointRow>(SELECT_CHECKPOINTS, [...params, ...cursor, size, knownParam]);
      for (const row of rows) items.addRows(row);
      const decoded = await Promise.all(
        rows.map((row) => decodeRow(this.serde, row, items, () => this.getNextVersion(undefined), known)),
      );
      for (const { tuple } of decoded) yield tuple;
      const last = rows[rows.length - 1];
      if (!last || rows.length < size) return;
      remaining -= rows.length;
      cursor = [last.checkpointId, last.threadId, last.checkpointNs];
    }
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new InvalidInputError('put() needs a "configurable" field in its config');
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: parentId } = config.configurable;
    if (!threadId) throw new InvalidInputError('put() needs "thread_id" in config.configurable');
    const { channel_values: values, id: _id, v, channel_versions: channelVersions, ...record } = checkpoint;
    const [, metadataBytes] = await this.serde.dumpsTyped(metadata);
    const job = {
      threadId,
      checkpointNs,
      checkpointId: checkpoint.id,
      parentId: parentId ?? null,
      checkpoint: JSON.stringify({ v, channel_versions: channelVersions }),
      record: packRecord(record),
      metadata: toBuffer(metadataBytes).toString("utf8"),
      runId: runIdOf(config, metadata),
    };
    let encoded = await encodeChannels(this.serde, this.cache, threadId, checkpointNs, values, newVersions);
    if (!(await this.batcher.put({ ...job, encoded }))) {
      // Items the cache believed stored are gone (the thread was pruned or
      // deleted elsewhere): send the lists whole.
      this.cache.forgetThread(threadId);
      encoded = await encodeChannels(this.serde, undefined, threadId, checkpointNs, values, newVersions);
      if (!(await this.batcher.put({ ...job, encoded }))) {
        throw new Error(`checkpoint ${checkpoint.id} of thread ${threadId} was not stored`);
      }
    }
    for (const [channel, list] of encoded.lists) this.cache.set(threadId, checkpointNs, channel, list);
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    if (!threadId) throw new InvalidInputError('putWrites() needs "thread_id" in config.configurable');
    if (!checkpointId) throw new InvalidInputError('putWrites() needs "checkpoint_id" in config.configurable');
    if (writes.length === 0) return;
    // Special channels (error, interrupt, resume...) have fixed negative
    // indexes and replace what the task wrote before; other writes keep the
    // first attempt's result.
    const upsert = writes.every(([channel]) => channel in WRITES_IDX_MAP);
    const byIdx = new Map<number, [number, string, string, Buffer]>();
    for (const [i, [channel, value]] of writes.entries()) {
      const idx = WRITES_IDX_MAP[channel] ?? i;
      if (!upsert && byIdx.has(idx)) continue;
      const [type, bytes] = packValue(...(await dumps(this.serde, value)));
      byIdx.set(idx, [idx, channel, type, bytes]);
    }
    await this.batcher.writes({
      threadId,
      checkpointNs,
      checkpointId,
      taskId,
      taskPath,
      runId: runIdOf(config),
      upsert,
      rows: [...byIdx.values()],
    });
  }

  private write(text: string, values: unknown[]) {
    if (!this.prepared) return this.db.pool.query(text, values);
    return this.db.pool.query({ name: statementName(text), text, values });
  }

  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }

  override async deleteThread(threadId: string): Promise<void> {
    this.cache.forgetThread(threadId);
    await deleteThreads(this.db, [threadId]);
  }

  /** Copies every checkpoint and write of `from` to the new thread `to`. */
  async copyThread(from: string, to: string): Promise<CopyResult> {
    return copyThread(this.db, from, to);
  }

  /** Keeps the newest `keepLatest` checkpoints of each namespace of a thread. */
  async prune(threadId: string, options: { keepLatest: number }): Promise<DeleteResult> {
    this.cache.forgetThread(threadId);
    return pruneThread(this.db, threadId, options.keepLatest);
  }

  /** Deletes what run `runId` checkpointed on a thread, e.g. to roll back a cancelled run. */
  async deleteRun(threadId: string, runId: string): Promise<DeleteResult> {
    this.cache.forgetThread(threadId);
    return deleteRun(this.db, threadId, runId);
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

  /** Deletes expired threads in bounded batches. */
  async sweep(options: SweepOptions = {}): Promise<SweepResult> {
    const result = await sweepExpired(this.db, options);
    for (const threadId of result.threadIds) this.cache.forgetThread(threadId);
    return result;
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

function knownNodes(known: KnownNodes): Buffer[] {
  return [...known.values()].map(({ list, index }) => list.nodes[index]!);
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
