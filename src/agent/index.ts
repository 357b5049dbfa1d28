export { AgentState, EMPTY_USAGE, type AgentStateType, type AgentUpdate, type ContextWindow, type TokenUsage } from "./state.js";
export { agentConfigSchema, readAgentConfig, DEFAULT_ASSISTANT_ID, type AgentRunConfig, type AgentConfigDefaults } from "./config.js";
export {
  defaultMemoryResolver,
  defaultModelResolver,
  resolveTools,
  type MemoryResolver,
  type ModelResolver,
  type ToolContext,
  type ToolsOption,
} from "./deps.js";
export { createLoadMemoryNode } from "./nodes/load-memory.js";
export { createCallModelNode } from "./nodes/call-model.js";
export { createRunToolsNode } from "./nodes/run-tools.js";
export { createSummariseNode } from "./nodes/summarise.js";
export { stepCheckpointOf, type AgentDependencies } from "./nodes/shared.js";
export {
  createAgentGraph,
  agentDependencies,
  routeAfterAgent,
  withMemoryTools,
  DEFAULT_BASE_PROMPT,
  type AgentGraphOptions,
} from "./builder.js";
export { agentInputSchema, textInput } from "./input.js";
