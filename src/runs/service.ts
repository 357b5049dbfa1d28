import { randomUUID } from "node:crypto";
import type { AssistantService } from "../assistants/service.js";
import { ConfigurationError, ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { validateConfig, validateInput } from "../graph/project.js";
import { assertRunId, assertThreadId, graphUserOf, userIdOf } from "../owners.js";
import { pageOffset, pageSize } from "../paging.js";
import type { RunEvent, RunEventLog } from "../stream/log.js";
import { THREAD_SQL } from "../threads/sql.js";
import type { ExecuteDependencies } from "./execute.js";
import { LocalRuns } from "./local.js";
import { cleanUpAbandoned, reconcileThread, withThreadReserved } from "./maintenance.js";
import { withThreadQueue } from "./queue.js";
import { parseRunRequest, type MultitaskStrategy, type RunRequest } from "./request.js";
import { checkInputKeys, checkInputMessages, resolveRequest } from "./resolve.js";
import { RUN_SQL, type RunRow, type RunStatus } from "./sql.js";

export type Run = RunRow;

const TERMINAL = new Set<RunStatus>(["success", "error", "timeout", "interrupted"]);

export interface RunDependencies extends ExecuteDependencies {
  assistants: AssistantService;
  events: RunEventLog;
}

export interface CreateRun {
  /** The thread to run on; null or absent for a stateless run (a temporary thread). */
  threadId?: string | null;
  /** An assistant id, or a graph id (its system assistant). */
  assistantId: string;
  /** The run request (see RunRequestSchema); anything else is refused. */
  request?: unknown;
  /**
   * Executed by any worker (true), or by this process, which must then call
   * `execute` (false, the default): the CLI's way of running a graph.
   */
  background?: boolean;
  /**
   * A background run this process will execute at once if its thread has
   * nothing else to do: it is created already running, held here, and must
   * then be passed to `executeStarted`; otherwise it is queued as usual.
   * Saves the claim a worker would make.
   */
  startHere?: boolean;
}

/**
 * Runs as durable records. At most one run executes per thread, enforced
 * in the database; a run created while its thread is busy follows its
 * multitask strategy: `reject` (ConflictError), `interrupt` or `rollback`
 * (the running one is stopped, its progress kept or deleted), `enqueue`
 * (runs of a thread execute in creation order).
 *
 * @example
 * const run = await runs.create({ threadId: "t1", assistantId: "agent", request: { input } }, "ada");
 * const done = await runs.execute(run.runId); // here, in this process
 */
export class RunService {
  private readonly local: LocalRuns;

  constructor(private readonly deps: RunDependencies) {
    this.local = new LocalRuns(deps);
  }

  async create(options: CreateRun, owner: string): Promise<Run> {
    const request = parseRunRequest(options.request);
    const recent = this.deps.assistants.recent(options.assistantId, owner);
    const assistant = recent ?? (await this.deps.assistants.get(options.assistantId, owner));
    const loaded = await this.deps.project.load(assistant.graphId);
    if (loaded.requiresChatModel && !this.deps.services.chatModel) {
      throw new ConfigurationError(`graph "${assistant.graphId}" calls a chat model and none is configured (OPENAI_API_KEY / OPENAI_BASE_URL / THREADLINE_MODEL)`);
    }
    const resolved = resolveRequest(request, assistant);
    const configurable: Record<string, unknown> = { ...resolved.config?.configurable };
    const named = userIdOf(owner) === undefined && this.deps.anonymousRunsNameUser ? configurable.user_id : undefined;
    const userId = graphUserOf(owner, named);
    delete configurable.user_id;
    // The record keeps a named user only where this server lets the anonymous owner name one: execution trusts it.
    resolved.config = { ...resolved.config, configurable: named === undefined ? configurable : { ...configurable, user_id: userId } };
    validateConfig(loaded, { ...configurable, ...(userId !== undefined ? { user_id: userId } : {}) });
    if (resolved.input !== undefined && resolved.input !== null) resolved.input = validateInput(loaded, resolved.input);
    checkInputKeys(loaded, resolved.input);
    checkInputMessages(resolved.input);
    const stateless = options.threadId === undefined || options.threadId === null;
    if (!stateless && request.onCompletion !== undefined) throw new InvalidInputError("on_completion applies to stateless runs only");
    if (stateless && resolved.checkpointId) throw new InvalidInputError("a stateless run has no checkpoint to start from");
    const threadId = stateless ? randomUUID() : assertThreadId(options.threadId!);
    const runId = randomUUID();
    const background = options.background === true;
    const startHere = background && options.startHere === true && !(request.afterSeconds && request.afterSeconds > 0);
    const strategy: MultitaskStrategy = request.multitaskStrategy ?? "reject";
    const stored = { ...resolved, ...(stateless ? { onCompletion: request.onCompletion ?? "delete" } : {}) };
    if (startHere && !stateless && !resolved.checkpointId && !request.strictResume) {
      const started = await this.startIdle([runId, threadId, assistant.assistantId, assistant.graphId, owner, stored, request.metadata ?? {}, strategy, background, assistant.version]);
      if (started) {
        const { latestCheckpointId, ...run } = started;
        await this.local.started(run, latestCheckpointId);
        return run;
      }
      // Not free, or the assistant changed since this process read it: the long way, with the assistant as it now is.
      if (recent) {
        this.deps.assistants.forget(options.assistantId, owner);
        return this.create(options, owner);
      }
    }
    if (stateless) {
      await this.deps.threads.create({ threadId, graphId: assistant.graphId, metadata: { stateless: true } }, owner);
    } else if (!(await this.deps.threads.find(threadId, owner))) {
      if (request.ifNotExists !== "create") throw new NotFoundError(`unknown thread "${threadId}"`);
      await this.deps.threads.create({ threadId, ifExists: "do_nothing" }, owner).catch((err: unknown) => {
        // Another owner's thread: as unknown here as everywhere else.
        throw err instanceof ConflictError ? new NotFoundError(`unknown thread "${threadId}"`) : err;
      });
    }
    // Throws NotFoundError for a checkpoint the thread does not have.
    if (resolved.checkpointId) await this.deps.threads.state(threadId, owner, { checkpointId: resolved.checkpointId });
    // Held before the row exists, so no other process ever sees it unowned.
    if ((!background || startHere) && !(await this.local.take(runId))) throw new Error(`could not take the lock of a new run ${runId}`);
    try {
      const { result, abandoned } = await withThreadQueue(this.deps.db, threadId, async (client, queue) => {
        if (queue.thread.graphId && queue.thread.graphId !== assistant.graphId) {
          throw new InvalidInputError(`thread "${threadId}" belongs to graph "${queue.thread.graphId}", not "${assistant.graphId}"`);
        }
        if (request.strictResume && request.command?.resume !== undefined && queue.thread.status !== "interrupted" && !queue.active.length) {
          throw new ConflictError(`thread "${threadId}" is not waiting on an interrupt; there is nothing to resume`);
        }
        const reserved = queue.active.find((r) => "reserved" in r.request);
        if (reserved) throw new ConflictError(`thread "${threadId}" is being changed (${String(reserved.request.reserved)}); try again in a moment`);
        if (queue.active.length && strategy === "reject") {
          throw new ConflictError(`thread "${threadId}" is busy with run ${queue.active[0]!.runId}; wait for it, or send the run with another multitask strategy (interrupt, rollback, enqueue)`);
        }
        const stop: string[] = [];
        if (strategy === "interrupt" || strategy === "rollback") {
          for (const run of queue.active) {
            if (run.status === "pending") await client.query(RUN_SQL.cancelPending, [run.runId, strategy]);
            else if ((await client.query(RUN_SQL.requestCancel, [run.runId, strategy])).rowCount) stop.push(run.runId);
          }
        }
        const { rows } = await client.query<Run>(startHere && !queue.active.length ? RUN_SQL.insertRunning : RUN_SQL.insert, [
          runId,
          threadId,
          assistant.assistantId,
          assistant.graphId,
          owner,
          stored,
          request.metadata ?? {},
          strategy,
          background,
          request.afterSeconds ?? 0,
        ]);
        // Busy from now until its runs are done, so every caller sees the queue.
        await client.query(THREAD_SQL.startRun, [threadId, assistant.graphId, assistant.assistantId]);
        return { run: rows[0]!, stop };
      });
      for (const id of result.stop) this.local.stop(id, strategy);
      await cleanUpAbandoned(this.deps, abandoned);
      // Queued after all (its thread was busy): any worker takes it when due.
      if (startHere && result.run.status === "pending") await this.local.letGo(runId);
      else if (startHere) await this.local.started(result.run);
      return result.run;
    } catch (err) {
      if (!background || startHere) await this.local.letGo(runId);
      if (stateless) await this.deps.threads.purge(threadId).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Creates a run already running and held here in one statement
   * (RUN_SQL.startIdle), when its thread is free; undefined otherwise, and
   * whenever that statement fails, as the long way then tells why.
   */
  private async startIdle(values: unknown[]): Promise<(Run & { latestCheckpointId: string | null }) | undefined> {
    let run: (Run & { latestCheckpointId: string | null }) | undefined;
    const runId = values[0] as string;
    const taken = await this.local
      .take(runId, async (query, schema) => {
        run = (await query<Run & { latestCheckpointId: string | null }>(RUN_SQL.startIdle, [...values, schema])).rows[0];
        return run !== undefined;
      })
      .catch(() => false);
    return taken ? run : undefined;
  }

  /**
   * Executes a run this process created (background false): waits until it
   * is the thread's next run, then runs it to the end. Returns the run as
   * it ended. `signal` cancels it (as an interrupt) from this process.
   */
  execute(runId: string, options: { signal?: AbortSignal } = {}): Promise<Run> {
    return this.local.execute(runId, options.signal);
  }

  /** Executes a run `create` started here (`startHere`, status running) to its end. */
  executeStarted(run: Run, options: { signal?: AbortSignal } = {}): Promise<Run> {
    return this.local.executeStarted(run, options.signal);
  }

  /** Gives back to the queue a run started here that never began to execute (a worker shutting down). */
  handBack(run: Run): Promise<void> {
    return this.local.handBack(run);
  }

  /**
   * Executes the oldest due background run whose thread is free, as a
   * worker does; undefined when there is none. Any number of processes may
   * call this on one database: each run goes to one of them. `onClaimed`
   * is called once it has claimed one, before executing it; `preferred`
   * (a background run just created) is tried before the queue is read.
   */
  executeNext(options: { signal?: AbortSignal; onClaimed?: () => void; preferred?: Run } = {}): Promise<Run | undefined> {
    return this.local.executeNext(options.signal, options.onClaimed, options.preferred);
  }

  /**
   * Whether a run executed here ended while runs waited for its thread
   * (the queue then has work at once), since the last time this was asked.
   */
  takeQueuedAfterEnd(): boolean {
    return this.local.takeQueuedAfterEnd();
  }

  async get(runId: string, owner: string, threadId?: string): Promise<Run> {
    const id = assertRunId(runId);
    const run = (await this.deps.db.pool.query<Run>(RUN_SQL.get, [id, owner])).rows[0];
    if (!run || (threadId !== undefined && run.threadId !== threadId)) throw new NotFoundError(`unknown run "${runId}"`);
    return run;
  }

  async list(threadId: string, owner: string, query: { status?: RunStatus; limit?: number; offset?: number } = {}): Promise<Run[]> {
    await this.deps.threads.get(threadId, owner);
    const { rows } = await this.deps.db.pool.query<Run>(RUN_SQL.list, [threadId, owner, query.status ?? null, pageSize(query.limit, 10), pageOffset(query.offset)]);
    return rows;
  }

  /**
   * Cancels a run: a pending one at once, a running one by asking the
   * process that executes it (at once in this process, within a fraction
   * of a second in another); one whose process died is ended as such.
   * `rollback` also deletes what it checkpointed. With `wait`, returns once
   * it has stopped.
   */
  async cancel(runId: string, owner: string, options: { action?: "interrupt" | "rollback"; wait?: boolean; threadId?: string } = {}): Promise<Run> {
    const action = options.action ?? "interrupt";
    if (action !== "interrupt" && action !== "rollback") throw new InvalidInputError(`cancel action must be interrupt or rollback, got "${String(action)}"`);
    let run = await this.get(runId, owner, options.threadId);
    if (!TERMINAL.has(run.status)) {
      await reconcileThread(this.deps, run.threadId);
      run = (await this.find(run.runId)) ?? run;
    }
    if (TERMINAL.has(run.status)) throw new ConflictError(`run ${run.runId} has already ended (${run.status})`);
    const pending = await this.deps.db.pool.query(RUN_SQL.cancelPending, [run.runId, action]);
    if (pending.rowCount) {
      if (action === "rollback") await this.deps.db.pool.query(RUN_SQL.delete, [run.runId]);
      this.local.wake();
      await this.local.settle(run.threadId, run.owner);
    } else {
      await this.deps.db.pool.query(RUN_SQL.requestCancel, [run.runId, action]);
      this.local.stop(run.runId, action);
    }
    if (!options.wait) return (await this.find(run.runId)) ?? { ...run, status: "interrupted", cancel: action };
    return this.join(run.runId, owner).catch((err: unknown) => {
      if (err instanceof NotFoundError) return { ...run, status: "interrupted" as const, cancel: action };
      throw err;
    });
  }

  /**
   * Takes the thread back to where it was before its latest run: deletes
   * what that run checkpointed and the run itself. Only the latest run that
   * started can go, as later ones stand on what it wrote, and only while
   * nothing runs on the thread.
   */
  async rollback(threadId: string, owner: string, options: { runId?: string } = {}): Promise<Run> {
    await this.deps.threads.get(threadId, owner);
    return withThreadReserved(this.deps, threadId, "rollback", async (reservation) => {
      const latest = (await this.deps.db.pool.query<Run>(RUN_SQL.latest, [threadId])).rows[0];
      if (!latest) throw new NotFoundError(`thread "${threadId}" has no run to roll back`);
      if (options.runId !== undefined && assertRunId(options.runId) !== latest.runId) {
        await this.get(options.runId, owner, threadId);
        throw new ConflictError(`run ${options.runId} is not the latest run of thread "${threadId}"; roll back ${latest.runId} first`);
      }
      // A state update or fork written after the run stands on it (one
      // written before a run that saved no step of its own is refused too).
      if ((await this.deps.checkpointer.lastRunOf(threadId)) === null) {
        throw new ConflictError(`thread "${threadId}" was changed after run ${latest.runId} (a state update or a fork); fork it from an earlier checkpoint instead`);
      }
      await this.deps.checkpointer.deleteRun(threadId, latest.runId);
      await this.deps.db.pool.query(RUN_SQL.deleteRolledBack, [latest.runId]);
      const loaded = await this.deps.project.load(latest.graphId);
      const graph = await loaded.instantiate({ configurable: { thread_id: threadId } }, { checkpointer: this.deps.checkpointer });
      await this.deps.threads.refresh(threadId, graph, { exceptRun: reservation });
      return latest;
    });
  }

  /** Deletes a finished or pending run with its events; a running one must be cancelled first. */
  async delete(runId: string, owner: string, threadId?: string): Promise<void> {
    const run = await this.get(runId, owner, threadId);
    const { rowCount } = await this.deps.db.pool.query(RUN_SQL.delete, [run.runId]);
    if (!rowCount) throw new ConflictError(`run ${run.runId} is running; cancel it first`);
    this.local.wake();
    await this.local.settle(run.threadId, run.owner);
  }

  /** Waits until the run (by id, or as the caller got it as `owner`) has ended and returns it. */
  async join(target: string | Run, owner: string, options: { signal?: AbortSignal; threadId?: string } = {}): Promise<Run> {
    let run = typeof target === "string" ? await this.getOrEnded(target, owner, options.threadId) : target;
    let delay = 20;
    let checked = Date.now();
    // A stateless run executed here is done once its temporary thread is gone too.
    const settled = (r: Run) => TERMINAL.has(r.status) && !((r.request as RunRequest).onCompletion === "delete" && this.local.holdsRun(r.runId));
    while (!settled(run)) {
      if (options.signal?.aborted) return run;
      await this.local.sleep(delay, options.signal);
      delay = Math.min(delay * 2, 500);
      // A run whose process died would never end by itself.
      if (run.status === "running" && Date.now() - checked > 1000 && !this.local.holdsRun(run.runId)) {
        checked = Date.now();
        await reconcileThread(this.deps, run.threadId);
      }
      const next = this.local.endedRun(run.runId) ?? (await this.find(run.runId));
      if (!next) throw new NotFoundError(`run ${run.runId} was rolled back`);
      run = next;
    }
    return run;
  }

  /** The run's events after `after` (stored, then live until the run ends); the run by id, or as the caller got it. */
  events(run: string | Run, owner: string, options: { after?: number; signal?: AbortSignal; threadId?: string } = {}): AsyncGenerator<RunEvent> {
    const runId = typeof run === "string" ? run : run.runId;
    const id = assertRunId(runId);
    // Listening starts now, before the run is looked up: a fast run may end meanwhile.
    const follow = this.deps.events.stream(id, {
      ...(options.after !== undefined ? { after: options.after } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ended: async () => {
        const now = await this.find(id);
        return !now || (TERMINAL.has(now.status) && !this.local.holdsRun(id));
      },
    });
    // A run the caller has already looked up (or created) as `owner` needs no second look.
    const found = typeof run === "string" ? this.getOrEnded(runId, owner, options.threadId) : Promise.resolve(run);
    // Reported when the stream is read; not an unhandled rejection before then.
    found.catch(() => undefined);
    return (async function* () {
      try {
        await found;
        yield* follow;
      } finally {
        await follow.return(undefined);
      }
    })();
  }

  /** The run, or how it ended when its record went as it did (a stateless run, shortly after). */
  private async getOrEnded(runId: string, owner: string, threadId?: string): Promise<Run> {
    try {
      return await this.get(runId, owner, threadId);
    } catch (err) {
      const ended = err instanceof NotFoundError ? this.local.endedRun(assertRunId(runId)) : undefined;
      if (ended && ended.owner === owner && (threadId === undefined || ended.threadId === threadId)) return ended;
      throw err;
    }
  }

  /** Ends the thread's runs whose process died. */
  reconcile(threadId: string): Promise<void> {
    return reconcileThread(this.deps, threadId);
  }

  /** Runs `fn` while no run can start on the thread (see withThreadReserved). */
  reserve<T>(threadId: string, what: string, fn: (reservation: string) => Promise<T>, options: { allowPending?: boolean } = {}): Promise<T> {
    return withThreadReserved(this.deps, threadId, what, fn, options);
  }

  /**
   * Stops the runs this process executes (as interrupts), waits for them
   * to stop (up to 10 s), and lets go of every run it holds.
   */
  close(): Promise<void> {
    return this.local.close();
  }

  private async find(runId: string): Promise<Run | undefined> {
    return (await this.deps.db.pool.query<Run>(RUN_SQL.getAny, [runId])).rows[0];
  }


}
