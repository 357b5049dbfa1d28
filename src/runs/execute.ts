import { Command, Send, type Pregel } from "@langchain/langgraph";
import type { BaseStore, CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { ThreadlineSaver } from "../../checkpoints/index.js";
import type { Database } from "../db/database.js";
import { isDatabaseTimeout, translateDatabaseError } from "../db/errors.js";
import { isThreadlineError } from "../errors.js";
import type { Project } from "../graph/project.js";
import type { ThreadlineContext } from "../graph/run-context.js";
import { graphUserOf } from "../owners.js";
import type { EventWriter } from "../stream/log.js";
import type { ThreadService } from "../threads/service.js";
import type { ThreadInterrupt, ThreadStatus } from "../threads/sql.js";
import { readState, statusOf, type ThreadStateView } from "../threads/state.js";
import { streamModesOf, type RunRequest } from "./request.js";
import type { RunHold } from "./lock.js";
import { RunSaver } from "./run-saver.js";
import { streamGraph } from "./stream-graph.js";
import { RUN_SQL, type RunRow, type RunStatus } from "./sql.js";

/** A thread's status, values and interrupts as a run leaves them; null values and interrupts keep the recorded ones. */
export interface ThreadRecord {
  status: ThreadStatus;
  values: Record<string, unknown> | null;
  interrupts: Record<string, ThreadInterrupt[]> | null;
}

/** Services nodes get in their run context besides the database. */
export interface RunServices {
  chatModel?: BaseChatModel;
  embeddings?: EmbeddingsInterface;
}

export interface ExecuteDependencies {
  db: Database;
  project: Project;
  checkpointer: ThreadlineSaver;
  store?: BaseStore;
  threads: ThreadService;
  services: RunServices;
  /** Runs of the anonymous owner may name their graph's user (`configurable.user_id`); see CoreOptions. */
  anonymousRunsNameUser?: boolean;
}

/** How an execution ended. */
export interface Execution {
  status: RunStatus;
  output: unknown;
  error: RunRow["error"];
  /** The run was rolled back: its checkpoints and its record are gone. */
  rolledBack: boolean;
  /**
   * The database stopped answering mid-run: nothing more was asked of it
   * (each question would wait out its own timeout). The run's record still
   * says running; its lock goes with its connection, so the next run on the
   * thread ends it.
   */
  unanswered?: unknown;
  /** The run was handed back (its worker is shutting down): its saved steps stay, and its next attempt continues from them. */
  requeued?: boolean;
  /** What the run leaves on its thread, recorded with its end (absent when it left nothing to record). */
  thread?: ThreadRecord;
  /** The thread's latest root checkpoint as the run wrote it, when it went its whole way (see RunSaver). */
  last?: CheckpointTuple;
  /**
   * The run stopped being this process's (its lock's connection went, or
   * another process ended it as abandoned): it was stopped and nothing of
   * how it ended was recorded, as the record is no longer its to write.
   */
  lost?: boolean;
}

const CANCEL_POLL_MS = 200;

/**
 * Executes a claimed run: streams its graph with the run's stream modes,
 * publishing every chunk to `events`, stops when `cancel` aborts (or the
 * run's cancel flag appears in the database, set by another process), and
 * records how it ended on the run and on its thread.
 */
export async function executeRun(
  deps: ExecuteDependencies,
  run: RunRow,
  events: EventWriter,
  cancel: AbortController,
  hold: RunHold,
  start?: CheckpointTuple,
): Promise<Execution> {
  const request = run.request as RunRequest;
  const watcher = watchRun(deps.db, run, cancel, hold);
  let graph: Pregel<any, any, any, any, any> | undefined;
  let failure: unknown;
  const saver = new RunSaver(deps.checkpointer, run.threadId, start);
  try {
    events.push("metadata", { run_id: run.runId, thread_id: run.threadId, attempt: run.attempt });
    const loaded = await deps.project.load(run.graphId);
    const config = runConfig(deps, run, request, cancel.signal);
    const instance = await loaded.instantiate(config, { checkpointer: saver, ...(deps.store ? { store: deps.store } : {}) });
    graph = instance;
    // A later attempt of a run that saved steps goes on from them; its input was applied already.
    const resumed = run.attempt > 1 && (await deps.checkpointer.lastRunOf(run.threadId)) === run.runId;
    for await (const { event, data } of streamGraph(instance, resumed ? null : inputOf(request), config, streamModesOf(request), request.streamSubgraphs === true)) {
      events.push(event, data);
    }
  } catch (err) {
    failure = err;
  } finally {
    watcher.stop();
  }
  const cancelled = cancel.signal.aborted ? (cancel.signal.reason as string) : undefined;
  // Only a run that went its whole way knows what it left without a read.
  if (failure !== undefined || cancelled) saver.forget();
  if (failure && isDatabaseTimeout(failure)) return { status: "error", output: null, error: null, rolledBack: false, unanswered: failure };
  if (cancelled === LOST || cancelled === REQUEUE || cancelled === "rollback") {
    // The last events are stored while the checkpoints reach the disk (their writer reports a failure itself).
    events.flush().catch(() => undefined);
    await deps.checkpointer.flush().catch(() => undefined);
  }
  if (cancelled === LOST) return { status: "error", output: null, error: null, rolledBack: false, lost: true };
  if (cancelled === REQUEUE) return { status: "pending", output: null, error: null, rolledBack: false, requeued: true };
  if (cancelled === "rollback") {
    // Its events go with it; the ones still being stored must land first.
    await events.flush().catch(() => undefined);
    await deps.checkpointer.deleteRun(run.threadId, run.runId);
    await deps.db.pool.query(RUN_SQL.deleteRolledBack, [run.runId]);
    if (graph) await deps.threads.refresh(run.threadId, graph, { exceptRun: run.runId });
    return { status: "interrupted", output: null, error: null, rolledBack: true };
  }
  // A graph that did not load, or a state it cannot read back: the thread says error.
  const view = graph ? await readState(graph, run.threadId).catch(() => undefined) : undefined;
  const failed = failure !== undefined && !cancelled;
  const thread: ThreadRecord = view
    ? { status: failed ? "error" : statusOf(view), values: view.values, interrupts: view.interrupts }
    : { status: "error", values: null, interrupts: null };
  if (failure && !cancelled) {
    const error = describeFailure(failure, view, run);
    events.push("error", { error: error.name, message: error.message });
    return { status: "error", output: null, error: { message: error.message, name: error.name, ...(error.node ? { node: error.node } : {}) }, rolledBack: false, thread };
  }
  const status: RunStatus = cancelled || (view && statusOf(view) === "interrupted") ? "interrupted" : "success";
  const last = await saver.latest();
  return { status, output: view ? outputOf(view) : null, error: null, rolledBack: false, thread, ...(last ? { last } : {}) };
}

/**
 * What a run gives back, as LangGraph's server gives it: the thread's
 * values, with the interrupts it waits on under `__interrupt__`. Kept on
 * the run, so it holds after a stateless run's thread is gone.
 */
function outputOf(view: ThreadStateView): Record<string, unknown> {
  const interrupts = Object.values(view.interrupts).flat();
  return interrupts.length ? { ...view.values, __interrupt__: interrupts } : view.values;
}

function runConfig(deps: ExecuteDependencies, run: RunRow, request: RunRequest, signal: AbortSignal) {
  const configurable: Record<string, unknown> = { ...request.config?.configurable };
  const userId = graphUserOf(run.owner, deps.anonymousRunsNameUser ? configurable.user_id : undefined);
  // Identity comes from the run record (see graphUserOf for a server without authentication).
  for (const key of ["thread_id", "run_id", "user_id", "assistant_id", "graph_id", "checkpoint_id", "checkpoint_ns"]) delete configurable[key];
  Object.assign(configurable, {
    thread_id: run.threadId,
    run_id: run.runId,
    assistant_id: run.assistantId,
    graph_id: run.graphId,
    ...(userId !== undefined ? { user_id: userId } : {}),
    ...(request.checkpointId ? { checkpoint_id: request.checkpointId } : {}),
  });
  const context: ThreadlineContext & Record<string, unknown> = { ...request.context, db: deps.db, ...definedOnly(deps.services) };
  return {
    configurable,
    context,
    runId: run.runId,
    metadata: { ...request.config?.metadata, ...run.metadata, run_id: run.runId, thread_id: run.threadId, assistant_id: run.assistantId, graph_id: run.graphId, ...(userId !== undefined ? { user_id: userId } : {}) },
    ...(request.config?.tags ? { tags: request.config.tags } : {}),
    ...(request.config?.recursion_limit ? { recursionLimit: request.config.recursion_limit } : {}),
    // "sync" by default: a step's checkpoint is committed before the next
    // step starts, so a process killed between steps never loses one.
    durability: request.durability ?? "sync",
    ...(request.interruptBefore ? { interruptBefore: request.interruptBefore } : {}),
    ...(request.interruptAfter ? { interruptAfter: request.interruptAfter } : {}),
    signal,
  };
}

function inputOf(request: RunRequest): unknown {
  const command = request.command;
  if (!command) return request.input ?? null;
  const goto = command.goto === undefined ? undefined : (Array.isArray(command.goto) ? command.goto : [command.goto]).map((g) => (typeof g === "string" ? g : new Send(g.node, g.input)));
  return new Command({
    ...(command.resume !== undefined ? { resume: command.resume } : {}),
    ...(command.update !== undefined ? { update: command.update as Record<string, unknown> } : {}),
    ...(goto ? { goto } : {}),
  });
}

/** The failure in one line, naming the node that threw when the graph says which. */
function describeFailure(err: unknown, view: ThreadStateView | undefined, run: RunRow): { name: string; message: string; node?: string } {
  const typed = translateDatabaseError(err, { threadId: run.threadId });
  const e = typed as Error & { pregelTaskId?: string; issues?: { path?: PropertyKey[]; message?: string }[] };
  // A schema's error (zod) says what is wrong in its first issue, not its first line.
  const issue = Array.isArray(e?.issues) ? e.issues[0] : undefined;
  const reason = issue?.message ? `${issue.path?.length ? `${issue.path.join(".")}: ` : ""}${issue.message}` : (e?.message ?? String(err)).split("\n")[0]!;
  if (isThreadlineError(typed)) return { name: typed.name, message: reason };
  const task = view?.tasks.find((t) => t.id === e.pregelTaskId) ?? view?.tasks.find((t) => t.error);
  if (task) return { name: e.name ?? "Error", message: `node "${task.name}" failed: ${reason}`, node: task.name };
  return { name: e?.name ?? "Error", message: reason };
}

/** Why a run was stopped when its worker hands it back to the queue. */
export const REQUEUE = "requeue";

/** Why a run was stopped when it stopped being this process's. */
export const LOST = "lost";

/**
 * Aborts `cancel` when another process sets the run's cancel flag, and
 * with LOST when the run is no longer this process's: its record no longer
 * says this attempt is running, or its lock's connection does not answer.
 */
function watchRun(db: Database, run: RunRow, cancel: AbortController, hold: RunHold): { stop(): void } {
  let busy = false;
  const onLost = () => cancel.abort(LOST);
  hold.lost.addEventListener("abort", onLost, { once: true });
  const timer = setInterval(async () => {
    if (busy || cancel.signal.aborted) return;
    busy = true;
    try {
      const { rows } = await db.pool.query<{ cancel: string | null; status: string; attempt: number }>(RUN_SQL.cancelOf, [run.runId]);
      const now = rows[0];
      if (!now || now.status !== "running" || now.attempt !== run.attempt) cancel.abort(LOST);
      else if (now.cancel) cancel.abort(now.cancel);
      else await hold.ping();
    } catch {
      // The run itself meets a lost database soon enough and reports it.
    } finally {
      busy = false;
    }
  }, CANCEL_POLL_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      hold.lost.removeEventListener("abort", onLost);
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
