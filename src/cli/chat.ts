import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { openCore, type Core } from "../core.js";
import { openDatabase } from "../db/open.js";
import { validateConfig } from "../graph/project.js";
import { ConflictError, InvalidInputError, NotFoundError, RunFailedError } from "../errors.js";
import { assertThreadId, ownerOf, userIdOf } from "../owners.js";
import type { RunEvent } from "../stream/log.js";
import { driveRun, interruptsOf, type RunAction } from "./drive.js";
import type { CliEnvironment } from "./env.js";
import { chatFault } from "./faults.js";
import { formatValues, unknownThread } from "./format.js";
import { inputChannels, parseJsonObject, textInputOf } from "./input.js";
import { modelServicesFromEnvironment } from "./model.js";
import { openProject } from "./session.js";
import { UsageError } from "./usage.js";

export const CHAT_USAGE = "threadline chat <graph> --thread <id> [--user <id>] [--configurable <json>]";

export interface ChatIO {
  /** Whole lines (status, tool calls). */
  out: (line: string) => void;
  /** Raw text, for tokens as they stream. */
  write: (text: string) => void;
  /** Where the user's lines come from: a terminal or a pipe. */
  input: NodeJS.ReadableStream;
}

const EXIT = "/exit";
const PREVIEW = 100;

/**
 * An interactive chat with a graph on one thread, as one user (or, without
 * --user, the anonymous owner, whose threads `threadline run` makes too):
 * each line is a turn (a run, executed here), the reply streams as it is
 * generated, tool calls show as one line each; a graph without messages
 * shows its values when a turn ends. Resumes an existing thread (and first
 * finishes a run that was cut off); `/exit` or end of input ends it.
 *
 * @example
 * // threadline chat agent --thread trip-planning --user ada
 */
export async function chatCommand(argv: string[], env: CliEnvironment, io: ChatIO): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { thread: { type: "string", short: "t" }, user: { type: "string", short: "u" }, configurable: { type: "string" } },
  });
  const [graphId, ...extra] = positionals;
  if (!graphId || extra.length) throw new UsageError(`usage: ${CHAT_USAGE}`);
  if (!values.thread) throw new UsageError(`--thread is required; usage: ${CHAT_USAGE}`);
  const threadId = assertThreadId(values.thread);
  const owner = ownerOf(values.user);
  const configurable = values.configurable === undefined ? undefined : parseJsonObject(values.configurable, "--configurable");
  // Everything that needs no database is checked first, so a bad command
  // never creates a data folder.
  const project = await openProject(env);
  const loaded = await project.load(graphId);
  // A graph that needs a user (the agent) says so now, not on the first line.
  validateConfig(loaded, { ...configurable, ...(values.user === undefined ? {} : { user_id: values.user }) });
  // Inside a server (see CliEnvironment.shared) its core, with its model, is used.
  const models = loaded.requiresChatModel && !env.shared ? await modelServicesFromEnvironment(env) : {};
  const channels = inputChannels(await loaded.instantiate({ configurable: {} }, {}));
  const textInput = textInputOf(loaded, channels);
  const checkpoints = env.checkpoints();
  const db = env.shared ? env.shared.core.db : await openDatabase(env.database());
  let core: Core | undefined;
  try {
    core = env.shared ? env.shared.core : await openCore({ db, project, checkpoints, ...models });
    const session = new ChatSession(core, { graphId, threadId, owner, messages: channels.includes("messages"), ...(configurable ? { configurable } : {}) }, io);
    await session.start();
    const interactive = (io.input as { isTTY?: boolean }).isTTY === true;
    const lines = readLines(io.input);
    try {
      for (;;) {
        if (interactive) io.write("> ");
        const raw = await lines.next();
        if (raw === undefined) break;
        const line = raw.trim();
        if (line === EXIT) break;
        if (line || session.isPaused) await session.send(line, textInput);
      }
    } finally {
      lines.close();
    }
  } catch (err) {
    throw chatFault(err, db.location, { graphId, threadId, userId: owner });
  } finally {
    if (!env.shared) await (core ? core.close() : db.close());
  }
}

class ChatSession {
  /** The thread waits for an answer to an interrupt: the next line is it. */
  private waiting = false;
  /** The thread stopped at a breakpoint: the next line carries the run on. */
  private paused = false;
  /** Whether the current model call's reply is being printed as it streams. */
  private streaming = false;
  private streamed = false;
  private unsaved: unknown[] = [];

  private readonly graphId: string;
  private readonly threadId: string;
  private readonly owner: string;
  /** Whether the graph has a messages channel, whose turns show as messages rather than as values. */
  private readonly messages: boolean;
  /** The runs' `config.configurable` (`--configurable`). */
  private readonly configurable?: Record<string, unknown>;

  constructor(
    private readonly core: Core,
    target: { graphId: string; threadId: string; owner: string; messages: boolean; configurable?: Record<string, unknown> },
    private readonly io: ChatIO,
  ) {
    this.graphId = target.graphId;
    this.threadId = target.threadId;
    this.owner = target.owner;
    this.messages = target.messages;
    if (target.configurable) this.configurable = target.configurable;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async start(): Promise<void> {
    const thread = await this.core.threads.find(this.threadId, this.owner);
    if (!thread) {
      // Another owner's thread: refused now, not by the first line's run.
      if (await this.core.threads.exists(this.threadId)) {
        throw new NotFoundError(unknownThread(this.threadId, userIdOf(this.owner)));
      }
      const user = userIdOf(this.owner);
      this.io.out(`new thread ${this.threadId} · ${this.graphId}${user ? ` · user ${user}` : ""} (/exit to end)`);
      return;
    }
    if (thread.graphId && thread.graphId !== this.graphId) {
      throw new InvalidInputError(`thread "${this.threadId}" belongs to graph "${thread.graphId}", not "${this.graphId}"`);
    }
    const state = await this.core.threads.state(this.threadId, this.owner);
    const count = Array.isArray(state.values.messages) ? state.values.messages.length : 0;
    this.io.out(`resumed thread ${this.threadId}${this.messages ? ` (${count} message${count === 1 ? "" : "s"})` : ` · ${this.graphId}`}`);
    const interrupts = interruptsOf(state);
    this.waiting = interrupts.length > 0;
    if (this.waiting) this.showInterrupts(interrupts.map((i) => i.value));
    else if (state.next.length > 0) {
      this.io.out(`finishing the run that was cut off (next: ${state.next.join(", ")})`);
      await this.run({ kind: "continue" });
    }
  }

  async send(line: string, textInput: (text: string) => unknown): Promise<void> {
    const action: RunAction = this.waiting ? { kind: "resume", value: line } : this.paused ? { kind: "continue" } : { kind: "input", input: textInput(line) };
    try {
      await this.run(action);
    } catch (err) {
      // A failed turn (a node that threw, a model that refused) is reported
      // and the chat goes on; a database fault ends it.
      if (!(err instanceof RunFailedError || err instanceof InvalidInputError || err instanceof ConflictError)) throw err;
      this.endLine();
      this.io.out(`error: ${err.message}`);
    }
  }

  private async run(action: RunAction): Promise<void> {
    const outcome = await driveRun(this.core, {
      graphId: this.graphId,
      threadId: this.threadId,
      owner: this.owner,
      action,
      streamModes: ["updates", "messages-tuple", "checkpoints"],
      ...(this.configurable ? { configurable: this.configurable } : {}),
      onEvent: (event) => this.event(event),
    });
    this.steps();
    this.endLine();
    const interrupts = interruptsOf(outcome.state);
    this.waiting = interrupts.length > 0;
    this.paused = !this.waiting && outcome.state.next.length > 0;
    if (this.waiting) this.showInterrupts(interrupts.map((i) => i.value));
    else if (this.paused) this.io.out(`stopped before: ${outcome.state.next.join(", ")} (press enter to go on)`);
    // A graph without messages has no reply to stream: its values are the answer.
    else if (!this.messages) this.io.out(formatValues(outcome.state.values));
  }

  private event(event: RunEvent): void {
    if (event.event === "messages") this.token((event.data as [Message])[0]);
    else if (event.event === "updates") this.unsaved.push(event.data);
    else if (event.event === "checkpoints") this.steps();
  }

  private token(message: Message | undefined): void {
    if (message?.type !== "AIMessageChunk") return;
    const text = textOf(message);
    if (!text) return;
    if (!this.streaming) this.io.write("assistant: ");
    this.streaming = true;
    this.streamed = true;
    this.io.write(text);
  }

  // A step's messages are shown once the step is saved.
  private steps(): void {
    for (const update of this.unsaved.splice(0)) {
      for (const nodeUpdate of Object.values((update ?? {}) as Record<string, unknown>)) {
        const messages = (nodeUpdate as { messages?: unknown } | null)?.messages;
        if (Array.isArray(messages)) for (const message of messages as Message[]) this.message(message);
      }
    }
  }

  private message(message: Message): void {
    if (message.type === "ai") {
      const text = textOf(message);
      // A model that does not stream still gets its reply shown, once.
      if (!this.streamed && text) this.io.out(`assistant: ${text}`);
      this.endLine();
      for (const call of message.tool_calls ?? []) this.io.out(`  → ${call.name}(${clip(JSON.stringify(call.args))})`);
      this.streamed = false;
    } else if (message.type === "tool") {
      this.io.out(`  ← ${message.name ?? "tool"}: ${clip(textOf(message).replace(/\s+/g, " "))}`);
    }
  }

  private endLine(): void {
    if (this.streaming) this.io.write("\n");
    this.streaming = false;
  }

  private showInterrupts(values: unknown[]): void {
    for (const value of values) this.io.out(`waiting for: ${JSON.stringify(value)} (your next line answers it)`);
  }
}

/** A message as the run's events carry it (plain JSON). */
interface Message {
  type: string;
  content: unknown;
  name?: string;
  tool_calls?: { name: string; args: unknown }[];
}

function textOf(message: Message): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content.map((part: { type?: string; text?: string }) => (part?.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

function clip(text: string): string {
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}

/**
 * Lines of the input, one at a time. Lines that arrive while a turn runs are
 * queued rather than lost, and a pipe that closes early still delivers every
 * line written before it closed.
 */
function readLines(input: NodeJS.ReadableStream): { next(): Promise<string | undefined>; close(): void } {
  const rl = createInterface({ input, terminal: false });
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  rl.on("line", (line) => {
    queue.push(line);
    wake?.();
  });
  rl.on("close", () => {
    ended = true;
    wake?.();
  });
  return {
    async next() {
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      return queue.shift();
    },
    close: () => rl.close(),
  };
}
