import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentStateType, AgentUpdate } from "../state.js";
import { assemble, newInput, recordStep, servicesOf, windowOf, type AgentDependencies } from "./shared.js";

/**
 * The `load_memory` node: records the new input in recall memory (keyed by
 * message id, so a re-run adds nothing), compiles the system prompt from the
 * scope's memory (default blocks created on first use) and assembles the
 * context window, whose compact form goes to state.
 *
 * @example
 * graph.addNode("load_memory", createLoadMemoryNode({ memory, model, tools: [], basePrompt: "You are Sam." }));
 */
export function createLoadMemoryNode(deps: Pick<AgentDependencies, "memory" | "model" | "basePrompt" | "context" | "assistantId">) {
  return async function loadMemory(state: AgentStateType, config: LangGraphRunnableConfig): Promise<AgentUpdate> {
    const services = await servicesOf(deps, config);
    const { memory, run } = services;
    await recordStep(services, state, newInput(state.messages), config);
    const systemPrompt = await memory.compile(run.scope, run.basePrompt, { now: new Date() });
    const assembled = await assemble(services, deps.model(config), state, systemPrompt);
    return { context: windowOf(systemPrompt, assembled) };
  };
}
