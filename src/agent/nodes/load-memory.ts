import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { AgentStateType, AgentUpdate } from "../state.js";
import { assemble, compilePrompt, newInput, recordStep, servicesOf, windowOf, type AgentDependencies } from "./shared.js";

/**
 * The `load_memory` node: records the new input in recall memory (keyed by
 * message id, so a re-run adds nothing), compiles the system prompt from the
 * scope's memory (default blocks created on first use) for the turn's time
 * and assembles the context window. Only the window's compact form (ids,
 * token counts, the turn's time) goes to state; the agent node compiles the
 * same prompt and reuses this window.
 *
 * @example
 * graph.addNode("load_memory", createLoadMemoryNode({ memory, model, tools: [], basePrompt: "You are Sam." }));
 */
export function createLoadMemoryNode(deps: Pick<AgentDependencies, "memory" | "model" | "basePrompt" | "context" | "assistantId">) {
  return async function loadMemory(state: AgentStateType, config: LangGraphRunnableConfig): Promise<AgentUpdate> {
    const services = await servicesOf(deps, config);
    await recordStep(services, state, newInput(state.messages), config);
    const now = new Date();
    const systemPrompt = await compilePrompt(services, now);
    const assembled = await assemble(services, deps.model(config), state, systemPrompt);
    return { context: windowOf(services.run, now, assembled) };
  };
}
