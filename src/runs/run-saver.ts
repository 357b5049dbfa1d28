import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  WRITES_IDX_MAP,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";

interface Latest {
  config: RunnableConfig;
  parentConfig?: RunnableConfig;
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  /** Writes made against it, by task and index, as the saver keeps them. */
  writes: Map<string, { taskPath: string; taskId: string; idx: number; channel: string; value: unknown }>;
}

/**
 * The saver one run's graph writes through: everything goes to the shared
 * saver, and the run's newest checkpoint of its thread's root namespace is
 * remembered with the writes made against it, so the state the run leaves
 * is read without asking the database again. Sound because a run holds its
 * thread: nothing else writes checkpoints to it while the run executes.
 * `latest()` answers only once every write it saw has settled and none
 * failed; the run's end reads the database otherwise.
 */
export class RunSaver extends BaseCheckpointSaver {
  private latestWritten: Latest | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private failed = false;

  /**
   * `start`, when given, is the thread's latest root checkpoint as this
   * process holds it from the run before (its caller has checked that the
   * thread's latest checkpoint is still that one): the run starts from it
   * without a read. It becomes the run's own, which may change it.
   */
  constructor(
    private readonly inner: BaseCheckpointSaver,
    private readonly threadId: string,
    private readonly start?: CheckpointTuple,
  ) {
    super(inner.serde);
  }

  /**
   * The thread's newest checkpoint as this run wrote it, once its writes
   * have settled; undefined when the run wrote none, a write failed, or
   * `forget` was called (the run's checkpoints were deleted).
   */
  async latest(): Promise<CheckpointTuple | undefined> {
    await Promise.allSettled([...this.inFlight]);
    const latest = this.latestWritten;
    if (!latest || this.failed) return undefined;
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const pendingWrites: CheckpointPendingWrite[] = [...latest.writes.values()]
      .sort((a, b) => compare(a.taskPath, b.taskPath) || compare(a.taskId, b.taskId) || a.idx - b.idx)
      .map((w) => [w.taskId, w.channel, w.value]);
    return {
      config: latest.config,
      checkpoint: latest.checkpoint,
      metadata: latest.metadata,
      pendingWrites,
      ...(latest.parentConfig ? { parentConfig: latest.parentConfig } : {}),
    };
  }

  forget(): void {
    this.latestWritten = undefined;
    this.failed = true;
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id: threadId, checkpoint_ns: ns = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    if (threadId === this.threadId && ns === "" && !checkpointId) {
      if (!this.latestWritten && this.start && !this.failed) return this.start;
      const latest = await this.latest();
      if (latest) return latest;
    }
    return this.inner.getTuple(config);
  }

  override list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(config, options);
  }

  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const { thread_id: threadId, checkpoint_ns: ns = "", checkpoint_id: parentId } = config.configurable ?? {};
    // Taken as the newest before it is stored: writes against it may come while it is (a failure voids `latest` anyway).
    if (threadId === this.threadId && ns === "" && (!this.latestWritten || checkpoint.id > this.latestWritten.checkpoint.id)) {
      this.latestWritten = {
        config: { configurable: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: checkpoint.id } },
        checkpoint,
        metadata,
        writes: new Map(),
        ...(parentId ? { parentConfig: { configurable: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: parentId } } } : {}),
      };
    }
    return this.track(this.inner.put(config, checkpoint, metadata, newVersions));
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    const { thread_id: threadId, checkpoint_ns: ns = "", checkpoint_id: checkpointId } = config.configurable ?? {};
    const latest = this.latestWritten;
    if (latest && threadId === this.threadId && ns === "" && checkpointId === latest.checkpoint.id) {
      // As the saver merges them: special channels replace what the task wrote before, others keep the first.
      const upsert = writes.every(([channel]) => channel in WRITES_IDX_MAP);
      for (const [i, [channel, value]] of writes.entries()) {
        const idx = WRITES_IDX_MAP[channel] ?? i;
        const key = `${taskId}\u0000${idx}`;
        if (upsert || !latest.writes.has(key)) latest.writes.set(key, { taskPath, taskId, idx, channel, value });
      }
    }
    return this.track(this.inner.putWrites(config, writes, taskId, taskPath));
  }

  override deleteThread(threadId: string): Promise<void> {
    if (threadId === this.threadId) this.forget();
    return this.inner.deleteThread(threadId);
  }

  override getNextVersion(current: number | undefined): number {
    return this.inner.getNextVersion(current);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise.then(
      () => this.inFlight.delete(promise),
      () => {
        this.failed = true;
        this.inFlight.delete(promise);
      },
    );
    return promise;
  }
}
