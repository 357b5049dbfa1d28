import { resolve } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createAgentGraph, type AgentGraphOptions, type AgentStateType } from "../../src/agent/index.js";
import { driveRun, type RunOutcome } from "../../src/cli/drive.js";
import { openCore, type Core } from "../../src/core.js";
import { createCheckpointer } from "../../src/graph/checkpointer.js";
import { loadProject } from "../../src/graph/project.js";
import { prepareMemory } from "../../src/memory/index.js";
import { ownerOf } from "../../src/owners.js";
import type { RunStreamMode } from "../../src/runs/request.js";
import type { RunEvent } from "../../src/stream/log.js";
import type { TestDatabase } from "../helpers/db.js";

export const project = await loadProject(resolve(import.meta.dirname, "../../langgraph.json"));

/**
 * The core on the test's database (migrated, memory included) with
 * `chatModel` in the run context. Not to be closed by the test: closing it
 * closes the test's connection, which the harness does itself.
 */
export function openTestCore(db: TestDatabase, chatModel: BaseChatModel): Promise<Core> {
  return openCore({ db, project, chatModel });
}

/**
 * One turn of the agent graph as the CLI runs it (a run record executed in
 * this process): `text` as a human message on `threadId`, for `userId`
 * (none: the anonymous owner). Rejects as the CLI would report it.
 */
export function sayRun(
  core: Core,
  threadId: string,
  userId: string | undefined,
  text: string,
  options: { streamModes?: RunStreamMode[]; onEvent?: (event: RunEvent) => void } = {},
): Promise<RunOutcome> {
  return driveRun(core, {
    graphId: "agent",
    threadId,
    owner: ownerOf(userId),
    action: { kind: "input", input: { messages: [{ role: "user", content: text }] } },
    streamModes: options.streamModes ?? ["values"],
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}

/** A message as state values hold it now: plain JSON. */
export interface PlainMessage {
  type: string;
  content: unknown;
  id?: string;
  name?: string;
  tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[];
  tool_call_id?: string;
}

export function messagesOf(values: Record<string, unknown>): PlainMessage[] {
  return (values.messages ?? []) as PlainMessage[];
}

/** The text of a plain message's content (a string, or text parts). */
export function textOf(message: Pick<PlainMessage, "content">): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content.map((part: { type?: string; text?: string }) => (part?.type === "text" ? (part.text ?? "") : "")).join("");
}

/** The user-visible transcript of messages, e.g. ["user: hi", "assistant: hello"]. */
export function transcript(messages: readonly PlainMessage[]): string[] {
  return messages.map((m) => `${m.type === "human" ? "user" : m.type === "ai" ? "assistant" : m.type}: ${textOf(m)}`);
}

/**
 * The agent graph compiled with the runtime's real checkpointer and invoked
 * directly, as a developer composing it would (memory's start-up first), for
 * one user's thread.
 */
export async function directAgent(db: TestDatabase, chatModel: BaseChatModel, options: AgentGraphOptions = {}) {
  await prepareMemory(db);
  const graph = createAgentGraph(options).compile({ checkpointer: await createCheckpointer(db) });
  const configOf = (threadId: string, userId: string) => ({
    configurable: { thread_id: threadId, user_id: userId },
    context: { db, chatModel },
  });
  return {
    graph,
    say: (threadId: string, userId: string, text: string) =>
      graph.invoke({ messages: [{ role: "user", content: text }] }, configOf(threadId, userId)),
    state: async (threadId: string, userId: string) => (await graph.getState(configOf(threadId, userId))).values as AgentStateType,
  };
}
