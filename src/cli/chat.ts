import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { AIMessageChunk, isAIMessage, type BaseMessage } from "@langchain/core/messages";
import { openDatabase } from "../db/open.js";
import { InvalidInputError } from "../errors.js";
import { loadProject } from "../graph/project.js";
import { Runtime, type RunAction, type RunOptions } from "../runtime/runtime.js";
import { assertThreadId, assertUserId } from "../threads/store.js";
import type { CliEnvironment } from "./env.js";
import { chatFault } from "./faults.js";
import { chatModelFromEnvironment } from "./model.js";
import { UsageError } from "./usage.js";

export const CHAT_USAGE = "threadline chat <graph> --thread <id> --user <id>";

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
 * An interactive chat with a graph on one thread, as one user: each line is
 * a turn, the reply streams as it is generated, tool calls show as one line
 * each. Resumes an existing thread (and first finishes a run that was cut
 * off); `/exit` or end of input ends it.
 *
 * @example
 * // threadline chat agent --thread trip-planning --user ada
 */
export async function chatCommand(argv: string[], env: CliEnvironment, io: ChatIO): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { thread: { type: "string", short: "t" }, user: { type: "string", short: "u" } },
  });
  const [graphId, ...extra] = positionals;
  if (!graphId || extra.length) throw new UsageError(`usage: ${CHAT_USAGE}`);
  if (!values.thread) throw new UsageError(`--thread is required; usage: ${CHAT_USAGE}`);
  if (!values.user) throw new UsageError(`--user is required; usage: ${CHAT_USAGE}`);
  const threadId = assertThreadId(values.thread);
  const userId = assertUserId(values.user);
  // Everything that needs no database is checked first, so a bad command
  // never creates a data folder.
  const chatModel = await chatModelFromEnvironment(env);
  const project = await loadProject(env.projectFile);
  const loaded = await project.load(graphId);
  const checkpoints = env.checkpoints();
  const db = await openDatabase(env.database());
  let runtime: Runtime | undefined;
  try {
    runtime = await Runtime.open({ db, project, chatModel, checkpoints });
    const session = new ChatSession(runtime, graphId, threadId, userId, io);
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
        if (line) await session.send(line, loaded.textInput);
      }
    } finally {
      lines.close();
    }
  } catch (err) {
    throw chatFault(err, db.location, { graphId, threadId, userId });
  } finally {
    await (runtime ? runtime.close() : db.close());
  }
}

class ChatSession {
  private waiting = false;
  /** Whether the current model call's reply is being printed as it streams. */
  private streaming = false;
  private streamed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly graphId: string,
    private readonly threadId: string,
    private readonly userId: string,
    private readonly io: ChatIO,
  ) {}

  async start(): Promise<void> {
    const thread = await this.runtime.threads.get(this.threadId);
    if (!thread) {
      this.io.out(`new thread ${this.threadId} · ${this.graphId} · user ${this.userId} (/exit to end)`);
      return;
    }
    const view = await this.runtime.show(this.threadId, { userId: this.userId, historyLimit: 1 });
    if (thread.graphId !== this.graphId) {
      throw new InvalidInputError(`thread "${this.threadId}" belongs to graph "${thread.graphId}", not "${this.graphId}"`);
    }
    const count = Array.isArray(view.values.messages) ? view.values.messages.length : 0;
    this.io.out(`resumed thread ${this.threadId} (${count} message${count === 1 ? "" : "s"})`);
    this.waiting = view.interrupts.length > 0;
    if (this.waiting) this.showInterrupts(view.interrupts.map((i) => i.value));
    else if (view.next.length > 0) {
      this.io.out(`finishing the run that was cut off (next: ${view.next.join(", ")})`);
      await this.run({ kind: "continue" });
    }
  }

  send(line: string, textInput: (text: string) => unknown): Promise<void> {
    return this.run(this.waiting ? { kind: "resume", value: line } : { kind: "input", input: textInput(line) });
  }

  private async run(action: RunAction): Promise<void> {
    const options: RunOptions = {
      userId: this.userId,
      onToken: (message) => this.token(message),
      onStep: (node, update) => this.step(update),
    };
    const outcome = await this.runtime.run(this.graphId, this.threadId, action, options);
    this.endLine();
    this.waiting = outcome.status === "interrupted";
    if (this.waiting) this.showInterrupts(outcome.interrupts.map((i) => i.value));
  }

  private token(message: BaseMessage): void {
    if (!AIMessageChunk.isInstance(message)) return;
    const text = message.text;
    if (!text) return;
    if (!this.streaming) this.io.write("assistant: ");
    this.streaming = true;
    this.streamed = true;
    this.io.write(text);
  }

  private step(update: unknown): void {
    const messages = (update as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages)) return;
    for (const message of messages as BaseMessage[]) {
      if (isAIMessage(message)) {
        // A model that does not stream still gets its reply shown, once.
        if (!this.streamed && message.text) this.io.out(`assistant: ${message.text}`);
        this.endLine();
        for (const call of message.tool_calls ?? []) this.io.out(`  → ${call.name}(${clip(JSON.stringify(call.args))})`);
        this.streamed = false;
      } else if (message.type === "tool") {
        const name = (message as { name?: string }).name ?? "tool";
        this.io.out(`  ← ${name}: ${clip(message.text.replace(/\s+/g, " "))}`);
      }
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
