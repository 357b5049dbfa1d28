import { Command, type Pregel, type StateSnapshot, type StreamMode } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { BaseMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { coreMigrations } from "../db/migrations.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { isDatabaseTimeout, translateDatabaseError } from "../db/errors.js";
import { ThreadStore, assertOwner, assertThreadId, assertUserId, type ThreadRow } from "../threads/store.js";
import { LOST_PARENT_KEY, ThreadlineSaver, type ThreadlineSaverOptions } from "../../checkpoints/index.js";
import { createCheckpointer } from "../graph/checkpointer.js";
import type { ThreadlineContext } from "../graph/run-context.js";
import { validateConfig, validateInput, type LoadedGraph, type Project } from "../graph/project.js";

/** What to do on a thread: start with new input, answer an interrupt, or continue an unfinished run. */
export type RunAction = { kind: "input"; input: unknown } | { kind: "resume"; value: unknown } | { kind: "continue" };

export interface PendingInterrupt {
  id?: string;
  value: unknown;
}

export interface ThreadState {
  values: Record<string, unknown>;
  /** Nodes that run next; non-empty while the thread is interrupted or unfinished. */
  next: string[];
  interrupts: PendingInterrupt[];
  checkpointId?: string;
}

export interface RunOutcome extends ThreadState {
  threadId: string;
  graphId: string;
  status: "complete" | "interrupted";
}

export interface CheckpointSummary {
  checkpointId: string;
  parentCheckpointId?: string;
  step: number;
  source: string;
  next: string[];
  createdAt?: string;
  /**
   * Set when the checkpoint was stored whole because its parent was missing
   * (lost, e.g. in a crash of the database server): the steps between are gone.
   */
  missingParentCheckpointId?: string;
}

export interface ThreadView extends ThreadState {
  thread: ThreadRow;
  history: CheckpointSummary[];
}

export interface RunOptions {
  /** Called after each node's step is saved, with the node's name and the state update it wrote. */
  onStep?: (node: string, update: unknown) => void | Promise<void>;
  /**
   * Switches the run to token streaming (LangGraph's "messages" mode): called
   * with every chunk a chat model streams, as it arrives (an
   * `AIMessageChunk`), and with whole messages nodes return that were not
   * streamed; `node` is the node that produced it.
   */
  onToken?: (message: BaseMessage, node: string) => void | Promise<void>;
  /**
   * The user the run acts for, passed to nodes as `configurable.user_id`.
   * A new thread becomes theirs; another user's thread is refused as unknown.
   */
  userId?: string;
  /**
   * Per-assistant settings for the graph's nodes (e.g. `{ context: { strategy: "window" } }`),
   * merged into `configurable`; thread, user and assistant ids always come from the runtime.
   */
  configurable?: Record<string, unknown>;
}

export interface RuntimeOptions {
  db: Database;
  project: Project;
  checkpointer?: BaseCheckpointSaver;
  /** Options of the checkpointer the runtime creates when none is given. */
  checkpoints?: ThreadlineSaverOptions;
  /** The chat model nodes get from the run context (`chatModelOf(config)`). */
  chatModel?: BaseChatModel;
  /** Embeddings nodes get from the run context (`embeddingsOf(config)`). */
  embeddings?: EmbeddingsInterface;
}

/**
 * Runs the graphs of a project on threads, checkpointed in one database.
 *
 * @example
 * const runtime = await Runtime.open({ db, project });
 * const out = await runtime.run("banking", "t1", { kind: "input", input: { message: "balance?" } });
 * if (out.status === "interrupted") await runtime.run("banking", "t1", { kind: "resume", value: "1234" });
 */
export class Runtime {
  readonly threads: ThreadStore;
  private readonly ready = new Map<string, Promise<Pregel<any, any, any, any, any>>>();

  private constructor(
    readonly db: Database,
    readonly project: Project,
    readonly checkpointer: BaseCheckpointSaver,
    private readonly services: Pick<ThreadlineContext, "chatModel" | "embeddings">,
  ) {
    this.threads = new ThreadStore(db);
  }

  static async open(options: RuntimeOptions): Promise<Runtime> {
    await migrate(options.db, [coreMigrations]);
    const checkpointer = options.checkpointer ?? (await createCheckpointer(options.db, options.checkpoints));
    return new Runtime(options.db, options.project, checkpointer, {
      chatModel: options.chatModel,
      embeddings: options.embeddings,
    });
  }

  /** Checks the request without writing anything; throws a typed error when it cannot run. */
  async prepare(
    graphId: string,
    threadId: string,
    action: RunAction,
    options: Pick<RunOptions, "userId" | "configurable"> = {},
  ): Promise<{ loaded: LoadedGraph; payload: unknown }> {
    const { userId } = options;
    assertThreadId(threadId);
    if (userId !== undefined) assertUserId(userId);
    const loaded = await this.project.load(graphId);
    validateConfig(loaded, this.config(threadId, graphId, userId, options.configurable).configurable);
    const payload = action.kind === "input" ? validateInput(loaded, action.input) : undefined;
    const thread = await this.threads.get(threadId);
    if (!thread) {
      if (action.kind === "input") return { loaded, payload };
      throw new NotFoundError(`unknown thread "${threadId}"`);
    }
    assertOwner(thread, userId);
    if (thread.graphId !== graphId) {
      throw new InvalidInputError(`thread "${threadId}" belongs to graph "${thread.graphId}", not "${graphId}"`);
    }
    const state = await this.state(graphId, threadId);
    const waiting = state.interrupts.length > 0;
    const unfinished = !waiting && state.next.length > 0;
    switch (action.kind) {
      case "resume":
        if (!waiting) throw new InvalidInputError(`thread "${threadId}" is not waiting for input`);
        return { loaded, payload: new Command({ resume: action.value }) };
      case "continue":
        if (waiting) throw new InvalidInputError(`thread "${threadId}" is waiting for input; answer it with --resume <value>`);
        if (!unfinished) throw new InvalidInputError(`thread "${threadId}" has nothing to continue; send new --input`);
        return { loaded, payload: null };
      case "input":
        if (waiting) throw new InvalidInputError(`thread "${threadId}" is waiting for input; answer it with --resume <value>`);
        if (unfinished) {
          throw new InvalidInputError(`thread "${threadId}" has an unfinished run; continue it first (run without --input)`);
        }
        return { loaded, payload };
    }
  }

  /**
   * Runs one action on a thread until the graph ends or interrupts. A
   * database fault on the way throws DatabaseUnavailableError naming the
   * thread (or ConflictError / RetryableError); the steps saved before it
   * stay, and `{ kind: "continue" }` carries on from them once the database
   * is back.
   */
  async run(graphId: string, threadId: string, action: RunAction, options: RunOptions = {}): Promise<RunOutcome> {
    try {
      return await this.runSteps(graphId, threadId, action, options);
    } catch (err) {
      throw translateDatabaseError(err, { location: this.db.location, threadId });
    }
  }

  private async runSteps(graphId: string, threadId: string, action: RunAction, options: RunOptions): Promise<RunOutcome> {
    const { payload } = await this.prepare(graphId, threadId, action, options);
    if (action.kind === "input") await this.threads.claim(threadId, graphId, {}, options.userId);
    const graph = await this.graph(graphId);
    const config = this.config(threadId, graphId, options.userId, options.configurable);
    // A node's update arrives when it finishes, before its step is saved.
    // It is reported once saved: LangGraph emits a step's "checkpoints"
    // event only after, in "sync" durability, the step's checkpoint was
    // stored, and when the stream ends everything the run wrote is.
    const unsaved: [string, unknown][] = [];
    const report = async () => {
      for (const [node, update] of unsaved.splice(0)) await options.onStep?.(node, update);
    };
    const modes = ["updates", ...(options.onStep ? ["checkpoints"] : []), ...(options.onToken ? ["messages"] : [])];
    try {
      const stream = await graph.stream(payload, { ...config, streamMode: modes as StreamMode[] });
      for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
        if (mode === "updates") {
          for (const [node, update] of Object.entries(chunk as Record<string, unknown>)) if (node !== "__interrupt__") unsaved.push([node, update]);
        } else if (mode === "checkpoints") await report();
        else if (mode === "messages") {
          const [message, meta] = chunk as [BaseMessage, { langgraph_node?: string }];
          await options.onToken?.(message, meta?.langgraph_node ?? "");
        }
      }
    } catch (err) {
      // A server that stopped answering would only make the flush wait out
      // another timeout before the error is reported.
      if (!isDatabaseTimeout(err)) await this.flushCheckpoints().catch(() => undefined);
      throw err;
    }
    await this.flushCheckpoints();
    await report();
    await this.threads.touch(threadId);
    const state = await this.state(graphId, threadId);
    return { threadId, graphId, status: state.interrupts.length > 0 ? "interrupted" : "complete", ...state };
  }

  /**
   * The thread's current state, pending interrupts and its checkpoint history
   * (newest first). With `userId`, another user's thread is refused as
   * unknown; without it, this is the operator's view of any thread.
   */
  async show(threadId: string, options: { historyLimit?: number; userId?: string } = {}): Promise<ThreadView> {
    assertThreadId(threadId);
    const thread = await this.threads.get(threadId);
    if (!thread) throw new NotFoundError(`unknown thread "${threadId}"`);
    if (options.userId !== undefined) assertOwner(thread, options.userId);
    const graph = await this.graph(thread.graphId);
    const history: CheckpointSummary[] = [];
    for await (const snap of graph.getStateHistory(this.config(threadId), { limit: options.historyLimit ?? 100 })) {
      history.push(summarise(snap));
    }
    return { thread, history, ...(await this.state(thread.graphId, threadId)) };
  }

  async state(graphId: string, threadId: string): Promise<ThreadState> {
    const graph = await this.graph(graphId);
    return toThreadState(await graph.getState(this.config(threadId)));
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  // Steps commit without waiting for the disk (ThreadlineSaver's
  // synchronousCommit); what a run reports is on disk first.
  private async flushCheckpoints(): Promise<void> {
    if (this.checkpointer instanceof ThreadlineSaver) await this.checkpointer.flush();
  }

  // The graph id doubles as the assistant id: memory is scoped per assistant
  // and user, and both come from here, never from model output.
  private config(threadId: string, graphId?: string, userId?: string, settings: Record<string, unknown> = {}) {
    const context: ThreadlineContext = { db: this.db, ...this.services };
    const configurable: Record<string, unknown> = { ...settings, thread_id: threadId };
    delete configurable.user_id;
    delete configurable.assistant_id;
    if (graphId) configurable.assistant_id = graphId;
    if (userId !== undefined) configurable.user_id = userId;
    // "sync": a step's checkpoint is committed before the next step starts, so
    // a process killed between steps never loses a step that finished.
    return { configurable, context, durability: "sync" as const };
  }

  /** The graph with our checkpointer attached and its own tables migrated, once per runtime. */
  private graph(graphId: string): Promise<Pregel<any, any, any, any, any>> {
    let ready = this.ready.get(graphId);
    if (!ready) {
      ready = (async () => {
        const loaded = await this.project.load(graphId);
        if (loaded.migrations.length) await migrate(this.db, [{ component: `graph:${graphId}`, migrations: loaded.migrations }]);
        const graph = loaded.graph.withConfig({});
        graph.checkpointer = this.checkpointer;
        return graph;
      })();
      ready.catch(() => this.ready.delete(graphId));
      this.ready.set(graphId, ready);
    }
    return ready;
  }
}

function toThreadState(snap: StateSnapshot): ThreadState {
  const interrupts = snap.tasks.flatMap((task) =>
    (task.interrupts ?? []).map((i: { id?: string; value?: unknown }) => ({ id: i.id, value: i.value })),
  );
  return {
    values: (snap.values ?? {}) as Record<string, unknown>,
    next: [...snap.next],
    interrupts,
    checkpointId: snap.config.configurable?.checkpoint_id as string | undefined,
  };
}

function summarise(snap: StateSnapshot): CheckpointSummary {
  const lostParent = (snap.metadata as Record<string, unknown> | undefined)?.[LOST_PARENT_KEY];
  return {
    checkpointId: snap.config.configurable?.checkpoint_id as string,
    parentCheckpointId: snap.parentConfig?.configurable?.checkpoint_id as string | undefined,
    step: (snap.metadata?.step as number | undefined) ?? -1,
    source: (snap.metadata?.source as string | undefined) ?? "unknown",
    next: [...snap.next],
    createdAt: snap.createdAt,
    ...(typeof lostParent === "string" ? { missingParentCheckpointId: lostParent } : {}),
  };
}
