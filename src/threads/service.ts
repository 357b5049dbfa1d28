import { randomUUID } from "node:crypto";
import type { Pregel } from "@langchain/langgraph";
import type { Database } from "../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError, ThreadlineError, isThreadlineError } from "../errors.js";
import { assertThreadId } from "../owners.js";
import { pageOffset, pageSize, sortOrder } from "../paging.js";
import { toJson } from "../stream/serialize.js";
import { SORT_COLUMNS, THREAD_SQL, type ThreadRow, type ThreadSortBy, type ThreadStatus } from "./sql.js";
import { readHistory, readState, statusOf, type HistoryQuery, type ThreadStateView } from "./state.js";

export type Thread = ThreadRow;

export interface ThreadTtlOption {
  strategy?: "fixed" | "sliding";
  /** Milliseconds until the thread expires (fixed: from now; sliding: from its last run). */
  ttlMs: number;
}

export interface ThreadSearch {
  metadata?: Record<string, unknown>;
  values?: Record<string, unknown>;
  status?: ThreadStatus;
  ids?: string[];
  graphId?: string;
  sortBy?: ThreadSortBy;
  sortOrder?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

/** What a thread's graph and stored data are reached through (the core wires them). */
export interface ThreadDependencies {
  /** The graph `graphId` with the checkpointer attached, for reading and updating state. */
  graph(graphId: string): Promise<Pregel<any, any, any, any, any>>;
  /**
   * Removers of what a thread owns outside the registry (checkpoints and
   * writes, recall memory, ...), each idempotent. Deleting runs them all,
   * then the registry row (its runs and events cascade), so a delete cut
   * off half-way is finished by deleting again.
   */
  removers: readonly ((threadId: string) => Promise<unknown>)[];
  /** Copies the checkpoints of a thread to a new one. */
  copyCheckpoints(from: string, to: string): Promise<unknown>;
  /** Deletes all but the thread's latest checkpoint (and its writes). */
  pruneCheckpoints(threadId: string): Promise<unknown>;
  /**
   * Runs `fn` while no run can start on the thread; refuses (ConflictError)
   * while one runs, or is pending unless `allowPending`.
   */
  reserve<T>(threadId: string, what: string, fn: (reservation: string) => Promise<T>, options?: { allowPending?: boolean }): Promise<T>;
}

const STATUSES = new Set<ThreadStatus>(["idle", "busy", "interrupted", "error"]);

/**
 * Threads as records: created empty, owned, with the status, latest values
 * and pending interrupts the runs keep. A thread is visible only to its
 * owner; to anyone else it is unknown.
 *
 * @example
 * const t = await threads.create({ metadata: { topic: "travel" } }, "ada");
 * const found = await threads.search({ metadata: { topic: "travel" }, status: "idle" }, "ada");
 */
export class ThreadService {
  constructor(
    private readonly db: Database,
    private readonly deps: ThreadDependencies,
  ) {}

  async create(
    options: { threadId?: string; metadata?: Record<string, unknown>; ifExists?: "raise" | "do_nothing"; ttl?: ThreadTtlOption; graphId?: string },
    owner: string,
  ): Promise<Thread> {
    const threadId = assertThreadId(options.threadId ?? randomUUID());
    const ttl = options.ttl ? checkTtl(options.ttl) : undefined;
    const { rows } = await this.db.pool.query<Thread>(THREAD_SQL.insert, [
      threadId,
      options.graphId ?? null,
      checkObject(options.metadata ?? {}, "metadata"),
      owner,
      ttl?.strategy ?? null,
      ttl?.ttlMs ?? null,
    ]);
    if (rows[0]) return rows[0];
    if (options.ifExists === "do_nothing") {
      const existing = await this.find(threadId, owner);
      if (existing) return existing;
    }
    throw new ConflictError(`thread "${threadId}" already exists`);
  }

  /** The thread, or NotFoundError when it does not exist or belongs to someone else. */
  async get(threadId: string, owner: string): Promise<Thread> {
    const thread = await this.find(threadId, owner);
    if (!thread) throw new NotFoundError(`unknown thread "${threadId}"`);
    return thread;
  }

  /** Whether a thread of this id exists for any owner (an id is taken across owners). */
  async exists(threadId: string): Promise<boolean> {
    assertThreadId(threadId);
    return ((await this.db.pool.query(THREAD_SQL.getAny, [threadId])).rowCount ?? 0) > 0;
  }

  async find(threadId: string, owner: string): Promise<Thread | undefined> {
    assertThreadId(threadId);
    const row = (await this.db.pool.query<Thread>(THREAD_SQL.get, [threadId, owner])).rows[0];
    return row ? this.filled(row) : undefined;
  }

  async search(query: ThreadSearch, owner: string): Promise<Thread[]> {
    const key = query.sortBy ?? "updated_at";
    const sortBy = Object.hasOwn(SORT_COLUMNS, key) ? SORT_COLUMNS[key] : undefined;
    if (!sortBy) throw new InvalidInputError(`cannot sort threads by "${query.sortBy}"; use ${Object.keys(SORT_COLUMNS).join(", ")}`);
    const { rows } = await this.db.pool.query<Thread>(THREAD_SQL.search(sortBy, sortOrder(query.sortOrder)), [
      ...filters(query, owner),
      pageSize(query.limit, 10),
      pageOffset(query.offset),
    ]);
    return Promise.all(rows.map((row) => this.filled(row)));
  }

  async count(query: Omit<ThreadSearch, "sortBy" | "sortOrder" | "limit" | "offset">, owner: string): Promise<number> {
    const { rows } = await this.db.pool.query<{ n: number }>(THREAD_SQL.count, filters(query, owner));
    return rows[0]!.n;
  }

  /**
   * Threads newest first in keyset pages (stable while threads are written);
   * without an owner, every owner's (the operator's view).
   */
  async *list(options: { owner?: string; graphId?: string; pageSize?: number } = {}): AsyncGenerator<Thread> {
    const size = pageSize(options.pageSize, 100);
    let after: { cursorAt: string; threadId: string } | undefined;
    for (;;) {
      const { rows } = await this.db.pool.query<Thread & { cursorAt: string }>(THREAD_SQL.page, [
        options.owner ?? null,
        options.graphId ?? null,
        after?.cursorAt ?? null,
        after?.threadId ?? null,
        size,
      ]);
      for (const { cursorAt: _cursor, ...row } of rows) yield row;
      if (rows.length < size) return;
      after = rows.at(-1);
    }
  }

  /** Merges `metadata` into the thread's; sets or clears its TTL when given. */
  async update(threadId: string, changes: { metadata?: Record<string, unknown>; ttl?: ThreadTtlOption | null }, owner: string): Promise<Thread> {
    await this.get(threadId, owner);
    if (changes.ttl !== undefined) {
      const ttl = changes.ttl === null ? null : checkTtl(changes.ttl);
      await this.db.pool.query(THREAD_SQL.setTtl, [threadId, owner, ttl?.strategy ?? null, ttl?.ttlMs ?? null]);
    }
    const { rows } = await this.db.pool.query<Thread>(THREAD_SQL.updateMetadata, [threadId, owner, checkObject(changes.metadata ?? {}, "metadata")]);
    return this.filled(rows[0]!);
  }

  /**
   * Deletes the thread with everything it owns: checkpoints and writes,
   * recall rows, runs and their events. Refused while a run executes on it
   * (cancel the run first); pending runs go with it. Cut off half-way, it
   * is finished by deleting again.
   */
  async delete(threadId: string, owner: string): Promise<void> {
    await this.get(threadId, owner);
    await this.deps.reserve(threadId, "delete", () => this.purge(threadId), { allowPending: true });
  }

  /** Deletes a thread's data whoever owns it (TTL expiry, erasure). */
  async purge(threadId: string): Promise<void> {
    for (const remove of this.deps.removers) await remove(threadId);
    await this.db.pool.query(THREAD_SQL.delete, [threadId]);
  }

  /** Deletes up to `limit` expired threads; returns their ids. */
  async sweepExpired(options: { limit?: number } = {}): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ threadId: string }>(THREAD_SQL.expired, [pageSize(options.limit, 100)]);
    const swept: string[] = [];
    for (const { threadId } of rows) {
      try {
        await this.deps.reserve(threadId, "expire", () => this.purge(threadId), { allowPending: true });
        swept.push(threadId);
      } catch (err) {
        // A thread with a run in progress expires once the run is done.
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return swept;
  }

  /** Keeps only the thread's latest checkpoint; its state and status stay as they are. */
  async prune(threadId: string, owner: string): Promise<void> {
    const thread = await this.get(threadId, owner);
    if (!thread.graphId) return;
    await this.deps.reserve(threadId, "prune", () => this.deps.pruneCheckpoints(threadId));
  }

  /** A new thread with the same owner, metadata, values and checkpoints. */
  async copy(threadId: string, owner: string, options: { to?: string } = {}): Promise<Thread> {
    const source = await this.get(threadId, owner);
    const to = assertThreadId(options.to ?? randomUUID());
    const status = source.status === "busy" ? "idle" : source.status;
    const { rows } = await this.db.pool.query<Thread>(THREAD_SQL.insert, [to, source.graphId, source.metadata, owner, source.ttlStrategy, source.ttlMs]);
    if (!rows[0]) throw new ConflictError(`thread "${to}" already exists`);
    try {
      await this.db.pool.query(THREAD_SQL.record, [to, status, source.values, source.interrupts, null]);
      if (source.graphId) {
        await this.deps.copyCheckpoints(threadId, to).catch((err: unknown) => {
          // The checkpointer's errors have a base class of their own, with the same codes.
          if ((err as { code?: unknown } | null)?.code !== "not_found") throw err;
        });
      }
    } catch (err) {
      await this.purge(to);
      throw err;
    }
    return { ...rows[0], status, values: source.values, interrupts: source.interrupts };
  }

  /**
   * Makes checkpoint `checkpointId` the thread's latest again, as a new
   * checkpoint whose parent it is (the history after it stays, on its own
   * branch); with `to`, on a copy of the thread of that id instead.
   */
  async fork(threadId: string, owner: string, options: { checkpointId: string; to?: string }): Promise<Thread> {
    const source = await this.get(threadId, owner);
    if (!source.graphId) throw new InvalidInputError(`thread "${threadId}" has no checkpoints to fork from`);
    const graph = await this.deps.graph(source.graphId);
    const at = await readState(graph, threadId, { checkpointId: options.checkpointId });
    if (!at.createdAt) throw new NotFoundError(`thread "${threadId}" has no checkpoint "${options.checkpointId}"`);
    const target = options.to === undefined ? threadId : (await this.copy(threadId, owner, { to: options.to })).threadId;
    await this.deps.reserve(target, "fork", async (reservation) => {
      await graph.updateState({ configurable: { thread_id: target, checkpoint_id: options.checkpointId } }, undefined);
      await this.refresh(target, graph, { exceptRun: reservation });
    });
    return this.get(target, owner);
  }

  /** The thread's state, at `checkpointId` when given. */
  async state(threadId: string, owner: string, options: { checkpointId?: string; subgraphs?: boolean } = {}): Promise<ThreadStateView> {
    const thread = await this.get(threadId, owner);
    if (!thread.graphId) return emptyState();
    const view = await readState(await this.deps.graph(thread.graphId), threadId, options).catch((err: unknown) => unreadable(threadId, err));
    if (options.checkpointId && !view.createdAt) throw new NotFoundError(`thread "${threadId}" has no checkpoint "${options.checkpointId}"`);
    return view;
  }

  /** Checkpoints newest first. */
  async history(threadId: string, owner: string, query: HistoryQuery = {}): Promise<ThreadStateView[]> {
    const thread = await this.get(threadId, owner);
    if (!thread.graphId) return [];
    return readHistory(await this.deps.graph(thread.graphId), threadId, { ...query, limit: pageSize(query.limit, 10) }).catch((err: unknown) => unreadable(threadId, err));
  }

  /**
   * Writes `values` as a new checkpoint, as if node `asNode` had returned
   * them (LangGraph's updateState), from the latest checkpoint or
   * `checkpointId` (a fork). Refused while a run executes on the thread.
   */
  async updateState(
    threadId: string,
    owner: string,
    update: { values: unknown; asNode?: string; checkpointId?: string },
  ): Promise<{ checkpoint: ThreadStateView["checkpoint"] }> {
    const thread = await this.get(threadId, owner);
    if (!thread.graphId) throw new InvalidInputError(`thread "${threadId}" has not run a graph yet; its state has no channels to update`);
    const graph = await this.deps.graph(thread.graphId);
    if (update.asNode !== undefined && !(update.asNode in graph.nodes)) {
      throw new InvalidInputError(`graph "${thread.graphId}" has no node "${update.asNode}"; nodes: ${Object.keys(graph.nodes).filter((n) => n !== "__start__").join(", ")}`);
    }
    // Throws NotFoundError for a checkpoint the thread does not have.
    if (update.checkpointId) await this.state(threadId, owner, { checkpointId: update.checkpointId });
    const config = { configurable: { thread_id: threadId, ...(update.checkpointId ? { checkpoint_id: update.checkpointId } : {}) } };
    const unknown = Object.keys((update.values ?? {}) as object).filter((key) => !(key in graph.channels) || key.startsWith("__"));
    if (unknown.length) {
      throw new InvalidInputError(`graph "${thread.graphId}" has no channel ${unknown.map((k) => `"${k}"`).join(", ")}`);
    }
    return this.deps.reserve(threadId, "update state", async (reservation) => {
      let next;
      try {
        next = await graph.updateState(config, update.values, update.asNode);
      } catch (err) {
        throw new InvalidInputError(`cannot update the state of thread "${threadId}": ${(err as Error).message.split("\n")[0]}`, { cause: err });
      }
      await this.refresh(threadId, graph, { exceptRun: reservation });
      const view = await readState(graph, threadId, { checkpointId: next.configurable?.checkpoint_id as string });
      return { checkpoint: view.checkpoint };
    });
  }

  /**
   * Records the thread's latest state (after a run or a state update). The
   * status is `status`, else what the state says, unless a run other than
   * `exceptRun` is running on the thread, which keeps it busy.
   */
  async refresh(threadId: string, graph: Pregel<any, any, any, any, any>, options: { status?: ThreadStatus; exceptRun?: string } = {}): Promise<ThreadStateView> {
    const view = await readState(graph, threadId);
    await this.db.pool.query(THREAD_SQL.record, [threadId, options.status ?? statusOf(view), view.values, view.interrupts, options.exceptRun ?? null]);
    return view;
  }

  /** Sets the thread's status, unless a run other than `exceptRun` is running on it. */
  async setStatus(threadId: string, status: ThreadStatus, exceptRun?: string): Promise<void> {
    await this.db.pool.query(THREAD_SQL.setStatusUnlessBusy, [threadId, status, exceptRun ?? null]);
  }

  /** The ids of every thread of an owner (for verification and erasure). */
  async idsOf(owner: string): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ threadId: string }>(THREAD_SQL.idsOfOwner, [owner]);
    return rows.map((r) => r.threadId);
  }


  // Threads recorded before threads kept their values get them from the
  // checkpoints once.
  private async filled(row: Thread): Promise<Thread> {
    if (row.values !== null || !row.graphId) return row;
    // A graph since removed from the project leaves the thread as it is.
    const graph = await this.deps.graph(row.graphId).catch(() => undefined);
    if (!graph) return row;
    const view = await readState(graph, row.threadId).catch(() => undefined);
    if (!view) return row;
    await this.db.pool.query(THREAD_SQL.fill, [row.threadId, view.values, view.interrupts]);
    return { ...row, values: view.values, interrupts: view.interrupts, status: row.status === "idle" ? statusOf(view) : row.status };
  }
}

/** A state the graph cannot read back (e.g. input it could not take): a typed error with the way out. */
function unreadable(threadId: string, err: unknown): never {
  if (isThreadlineError(err)) throw err;
  const reason = ((err as Error)?.message ?? String(err)).split("\n")[0];
  throw new ThreadlineError("corrupt_state", `the state of thread "${threadId}" cannot be read (${reason}); roll its latest run back (threadline threads rollback ${threadId}) or delete it`);
}

function filters(query: Omit<ThreadSearch, "sortBy" | "sortOrder" | "limit" | "offset">, owner: string): unknown[] {
  if (query.status !== undefined && !STATUSES.has(query.status)) {
    throw new InvalidInputError(`unknown thread status "${query.status}"; use ${[...STATUSES].join(", ")}`);
  }
  return [
    owner,
    query.metadata ? checkObject(query.metadata, "metadata") : null,
    query.values ? toJson(checkObject(query.values, "values")) : null,
    query.status ?? null,
    query.ids ?? null,
    query.graphId ?? null,
  ];
}

function checkObject(value: unknown, name: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError(`${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

function checkTtl(ttl: ThreadTtlOption): Required<ThreadTtlOption> {
  const strategy = ttl.strategy ?? "sliding";
  if (strategy !== "fixed" && strategy !== "sliding") throw new InvalidInputError(`unknown TTL strategy "${String(strategy)}"; use fixed or sliding`);
  if (!Number.isInteger(ttl.ttlMs) || ttl.ttlMs < 1) throw new InvalidInputError(`ttl must be a positive whole number of milliseconds, got ${ttl.ttlMs}`);
  return { strategy, ttlMs: ttl.ttlMs };
}

function emptyState(): ThreadStateView {
  return { values: {}, next: [], tasks: [], checkpoint: null, parentCheckpoint: null, metadata: {}, createdAt: null, interrupts: {} };
}
