import { randomUUID } from "node:crypto";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import { assembleContext } from "../../window/assemble.js";
import { createTokenCounter } from "../../window/tokens.js";
import { createQueryRewriter, type QueryRewriter } from "../../window/rewrite.js";
import type { AssembledContext } from "../../window/types.js";
import type { CoreBlockDefinition, MemoryService } from "../../memory/index.js";
import { modelNameOf } from "../../models/config.js";
import { readAgentConfig, type AgentRunConfig } from "../config.js";
import type { MemoryResolver, ModelResolver, ToolsOption } from "../deps.js";
import type { AgentStateType, ContextWindow } from "../state.js";

/**
 * The explicit dependencies of the agent's nodes. Each node factory takes
 * the subset it needs; the builder fills defaults (memory of the run's
 * database, the run context's chat model, the memory tools).
 */
export interface AgentDependencies {
  memory: MemoryResolver;
  model: ModelResolver;
  /** The model that writes summaries; default `model`. */
  summaryModel?: ModelResolver;
  tools: ToolsOption;
  /** Instructions placed before the compiled memory in the system prompt. */
  basePrompt: string;
  /** Raw context options (strategy, budget, …); an assistant's `configurable.context` overrides them. */
  context?: Record<string, unknown>;
  /** The assistant id when the run config names none (the runtime passes the graph id). */
  assistantId?: string;
  /** Blocks every (assistant, user) scope starts with; used by the default memory resolver. */
  defaultBlocks?: readonly CoreBlockDefinition[];
}

export interface RunServices {
  run: AgentRunConfig;
  memory: MemoryService;
}

export async function servicesOf(
  deps: Pick<AgentDependencies, "memory" | "basePrompt" | "context" | "assistantId">,
  config: LangGraphRunnableConfig): Promise<RunServices> {
  const run = readAgentConfig(config, deps);
  return { run, memory: await deps.memory(config) };
}

const MAX_REMEMBERED_WINDOWS = 256;
// Per memory service (so per database), then per thread: the last window built.
const lastWindowsByMemory = new WeakMap<MemoryService, Map<string, { key: string; assembled: Promise<AssembledContext> }>>();

/**
 * The system prompt of a model call, compiled from the scope's memory as it
 * is now (default blocks created on first use) and showing `now` as the
 * current time. Not stored in state: every model call compiles it again.
 */
export function compilePrompt(services: RunServices, now: Date): Promise<string> {
  const { memory, run } = services;
  return memory.compile(run.scope, run.basePrompt, { now });
}

/**
 * The time the current turn's memory is compiled for: the one load_memory
 * chose and recorded in `context.compiledAt`, when that window belongs to
 * this turn (it holds the newest user message), else now. With it, the
 * agent's calls compile the prompt load_memory compiled as long as memory
 * did not change, so they reuse its window (see `assemble`), a re-run after a
 * crash builds the same prompt, and a tool's memory edit still shows at the
 * next call.
 */
export function turnTime(state: Pick<AgentStateType, "messages" | "context">): Date {
  const at = state.context?.compiledAt ? new Date(state.context.compiledAt) : undefined;
  if (!at || Number.isNaN(at.getTime())) return new Date();
  const newestUser = state.messages.findLast((m) => m.type === "human");
  return newestUser?.id && state.context!.includedIds.includes(newestUser.id) ? at : new Date();
}

/**
 * Assembles the window of one model call from the state and the system
 * prompt compiled for it (see `ContextWindow` for why neither is stored).
 * Assembly is deterministic in its inputs (a query rewrite or embedding
 * aside, which are remembered per text, so the calls of a turn share them),
 * so the window load_memory built is reused by the agent node's first call
 * of the turn instead of searching recall memory again (its key holds everything assembly reads: the model,
 * the options, the prompt, the summary and the message ids); a process that
 * restarts in between simply assembles anew, with the same result.
 */
export function assemble(
  services: RunServices,
  model: BaseChatModel,
  state: Pick<AgentStateType, "messages" | "summary">,
  systemPrompt: string,
): Promise<AssembledContext> {
  const { run } = services;
  const modelName = modelNameOf(model);
  const thread = JSON.stringify([run.scope.assistantId, run.scope.userId, run.threadId]);
  const key = JSON.stringify([modelName, run.context, systemPrompt, state.summary, state.messages.map((m) => m.id ?? m.text)]);
  let lastWindows = lastWindowsByMemory.get(services.memory);
  if (!lastWindows) lastWindowsByMemory.set(services.memory, (lastWindows = new Map()));
  const remembered = lastWindows.get(thread);
  if (remembered?.key === key) return remembered.assembled;
  const assembled = assembleContext({
    systemPrompt,
    messages: state.messages,
    summary: state.summary,
    scope: run.scope,
    threadId: run.threadId,
    recall: services.memory.recall,
    counter: createTokenCounter(modelName),
    options: run.context,
    ...(run.context.rewriteQuery ? { rewrite: rewriterOf(model) } : {}),
  });
  lastWindows.delete(thread);
  lastWindows.set(thread, { key, assembled });
  assembled.catch(() => lastWindows.delete(thread));
  if (lastWindows.size > MAX_REMEMBERED_WINDOWS) lastWindows.delete(lastWindows.keys().next().value!);
  return assembled;
}

const rewriters = new WeakMap<BaseChatModel, QueryRewriter>();

/** One query rewriter per chat model, so the calls of a turn share its rewrite. */
function rewriterOf(model: BaseChatModel): QueryRewriter {
  let rewriter = rewriters.get(model);
  if (!rewriter) rewriters.set(model, (rewriter = createQueryRewriter(model.withConfig({ tags: ["nostream"] }))));
  return rewriter;
}

/** The compact form of an assembled window that state keeps: ids, token counts and settings, no text. */
export function windowOf(run: AgentRunConfig, compiledAt: Date, assembled: AssembledContext): ContextWindow {
  return {
    compiledAt: compiledAt.toISOString(),
    strategy: run.context.strategy,
    budget: { ...run.context.budget },
    includedIds: [...assembled.includedIds],
    retrievedIds: [...assembled.retrievedIds],
    summaryIncluded: assembled.tokens.summary > 0,
    tokens: { ...assembled.tokens },
    summariseIds: assembled.toSummarise.flatMap((m) => (m.id ? [m.id] : [])),
  };
}

/**
 * A message id that is the same when LangGraph re-runs the node after a
 * crash (task ids derive from the checkpoint, step and node), so recording it
 * in recall memory again replaces the abandoned attempt's row rather than
 * adding a second one.
 */
export function stableId(config: LangGraphRunnableConfig, prefix: string): string {
  const ns = config.configurable?.checkpoint_ns;
  const task = typeof ns === "string" ? ns.split("|").at(-1)?.split(":").at(-1) : undefined;
  return `${prefix}-${task || randomUUID()}`;
}

/**
 * The checkpoint the running step started from (LangGraph gives every task
 * the checkpoints of the graphs it runs in, by namespace), recorded beside
 * the step's messages in recall memory; undefined outside a graph.
 *
 * @example
 * await memory.recall.recordStep(scope, threadId, [reply], { held: state.messages, checkpointId: stepCheckpointOf(config) });
 */
export function stepCheckpointOf(config: LangGraphRunnableConfig): string | undefined {
  const ns = config.configurable?.checkpoint_ns;
  const map = config.configurable?.checkpoint_map as Record<string, unknown> | undefined;
  if (typeof ns !== "string" || !map || typeof map !== "object") return undefined;
  const id = map[ns.split("|").slice(0, -1).join("|")];
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * Records what a step adds to the thread in recall memory, so a step that
 * runs again (after a crash, or on from an earlier checkpoint) leaves recall
 * holding the attempt the thread kept (see `RecallStore.recordStep`).
 */
export function recordStep(
  services: RunServices,
  state: Pick<AgentStateType, "messages">,
  added: readonly BaseMessage[],
  config: LangGraphRunnableConfig,
): Promise<unknown> {
  const { memory, run } = services;
  return memory.recall.recordStep(run.scope, run.threadId, added, { held: state.messages, checkpointId: stepCheckpointOf(config) });
}

/** The messages of the newest input: everything after the last assistant message. */
export function newInput(messages: readonly BaseMessage[]): BaseMessage[] {
  let i = messages.length - 1;
  while (i >= 0 && messages[i]!.type !== "ai") i--;
  return messages.slice(i + 1);
}
