import { END, START, StateGraph } from "@langchain/langgraph";
import { isAIMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createMemoryTools } from "../../tools/index.js";
import type { CoreBlockDefinition, MemoryService } from "../memory/index.js";
import { defaultMemoryResolver, defaultModelResolver, type MemoryResolver, type ModelResolver, type ToolContext, type ToolsOption } from "./deps.js";
import { createCallModelNode } from "./nodes/call-model.js";
import { createLoadMemoryNode } from "./nodes/load-memory.js";
import { createRunToolsNode } from "./nodes/run-tools.js";
import type { AgentDependencies } from "./nodes/shared.js";
import { createSummariseNode } from "./nodes/summarise.js";
import { AgentState, type AgentStateType } from "./state.js";

/** Instructions before the compiled memory when the builder is given none. */
export const DEFAULT_BASE_PROMPT = [
  "You are a helpful assistant with a long-term memory that persists across conversations with this user.",
  "Keep important facts about the user in core memory with core_memory_append or core_memory_replace as soon as you learn them.",
  "When the user refers to something from the past that is not in view, look it up with conversation_search or archival_memory_search.",
].join("\n");

export interface AgentGraphOptions {
  /** The memory facade of a run. Default: the run database's memory, created once per database. */
  memory?: MemoryResolver;
  /** Blocks every (assistant, user) scope starts with (default memory only). Default: persona and human. */
  defaultBlocks?: readonly CoreBlockDefinition[];
  /**
   * The tools bound to the model: fixed, or built per run from its memory
   * and scope. Default: the six memory tools. Use `withMemoryTools(extra)` to
   * add your own beside them.
   */
  tools?: ToolsOption;
  /** The chat model of a run. Default: the run context's `chatModel`. */
  model?: ModelResolver;
  /** The model that writes summaries. Default: `model`. */
  summaryModel?: ModelResolver;
  /** Raw context options (strategy, budget, windowTurns, summariseAt, retrieveK…); `configurable.context` overrides them per assistant. */
  context?: Record<string, unknown>;
  /** The agent's instructions, before the compiled memory. `configurable.system_prompt` overrides it. */
  basePrompt?: string;
  /** Assistant id when the run config names none. Default "agent". */
  assistantId?: string;
}

const toolsCache = new WeakMap<MemoryService, Map<string, StructuredToolInterface[]>>();

/**
 * The six memory tools of a run's memory, plus `extra` tools of your own.
 *
 * @example
 * createAgentGraph({ tools: withMemoryTools([weatherTool]) });
 */
export function withMemoryTools(extra: readonly StructuredToolInterface[] = []): ToolsOption {
  return ({ memory, scope }: ToolContext) => {
    let byAssistant = toolsCache.get(memory);
    if (!byAssistant) toolsCache.set(memory, (byAssistant = new Map()));
    let tools = byAssistant.get(scope.assistantId);
    if (!tools) byAssistant.set(scope.assistantId, (tools = createMemoryTools(memory, { assistantId: scope.assistantId })));
    return [...tools, ...extra];
  };
}

/** Where the agent goes after a model call: run its tool calls, fold old turns, or end. */
export function routeAfterAgent(state: AgentStateType): "tools" | "summarise" | typeof END {
  const last = state.messages.at(-1);
  if (last && isAIMessage(last) && last.tool_calls?.length) return "tools";
  return state.context?.summariseIds.length ? "summarise" : END;
}

/** Fills the defaults of the options into the nodes' explicit dependencies. */
export function agentDependencies(options: AgentGraphOptions = {}): AgentDependencies {
  return {
    memory: options.memory ?? defaultMemoryResolver(options.defaultBlocks),
    model: options.model ?? defaultModelResolver,
    ...(options.summaryModel ? { summaryModel: options.summaryModel } : {}),
    tools: options.tools ?? withMemoryTools(),
    basePrompt: options.basePrompt ?? DEFAULT_BASE_PROMPT,
    ...(options.context ? { context: options.context } : {}),
    ...(options.assistantId ? { assistantId: options.assistantId } : {}),
    ...(options.defaultBlocks ? { defaultBlocks: options.defaultBlocks } : {}),
  };
}

/**
 * The MemGPT-style agent as an uncompiled graph:
 * load_memory → agent ⇄ tools → summarise (when history passed its
 * threshold) → end. Compile it without a checkpointer; the runtime attaches
 * its own. Memory is scoped by `configurable.user_id` and the assistant id.
 *
 * @example
 * export const graph = createAgentGraph({ basePrompt: "You are Sam, a travel agent.", context: { strategy: "hybrid", budget: { total: 16000 } } })
 *   .compile({ name: "travel" });
 * await runtime.run("travel", "t1", { kind: "input", input: { messages: [{ role: "user", content: "Hi" }] } }, { userId: "ada" });
 */
export function createAgentGraph(options: AgentGraphOptions = {}) {
  const deps = agentDependencies(options);
  return new StateGraph(AgentState)
    .addNode("load_memory", createLoadMemoryNode(deps))
    .addNode("agent", createCallModelNode(deps))
    .addNode("tools", createRunToolsNode(deps))
    .addNode("summarise", createSummariseNode(deps))
    .addEdge(START, "load_memory")
    .addEdge("load_memory", "agent")
    .addConditionalEdges("agent", routeAfterAgent, ["tools", "summarise", END])
    .addEdge("tools", "agent")
    .addEdge("summarise", END);
}
