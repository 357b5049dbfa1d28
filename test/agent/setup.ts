import { resolve } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import { createAgentGraph, type AgentGraphOptions, type AgentStateType } from "../../src/agent/index.js";
import { createCheckpointer } from "../../src/graph/checkpointer.js";
import { loadProject } from "../../src/graph/project.js";
import { Runtime } from "../../src/runtime/runtime.js";
import type { TestDatabase } from "../helpers/db.js";

export const project = await loadProject(resolve(import.meta.dirname, "../../langgraph.json"));

/** A runtime on the test's database with `chatModel` in the run context. */
export function openRuntime(db: TestDatabase, chatModel: BaseChatModel): Promise<Runtime> {
  return Runtime.open({ db, project, chatModel });
}

export const say = (text: string) => ({ kind: "input", input: { messages: [{ role: "user", content: text }] } }) as const;

export function messagesOf(values: Record<string, unknown>): BaseMessage[] {
  return (values.messages ?? []) as BaseMessage[];
}

/** The user-visible transcript of messages, e.g. ["user: hi", "assistant: hello"]. */
export function transcript(messages: readonly BaseMessage[]): string[] {
  return messages.map((m) => `${m.type === "human" ? "user" : m.type === "ai" ? "assistant" : m.type}: ${m.text}`);
}

/**
 * The agent graph compiled with the runtime's real checkpointer and invoked
 * directly, as a developer composing it would, for one user's thread.
 */
export async function directAgent(db: TestDatabase, chatModel: BaseChatModel, options: AgentGraphOptions = {}) {
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
