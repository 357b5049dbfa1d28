import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { ConfigurationError } from "../../errors.js";
import { modelNameOf } from "../../models/config.js";
import { resolveTools } from "../deps.js";
import type { AgentStateType, AgentUpdate, TokenUsage } from "../state.js";
import { EMPTY_USAGE } from "../state.js";
import { assemble, compilePrompt, recordStep, servicesOf, stableId, turnTime, windowOf, type AgentDependencies } from "./shared.js";

/**
 * The `agent` node: compiles the system prompt from memory as it is now (for
 * the turn's time, so without edits it is the prompt load_memory compiled),
 * assembles the window within the budget (the current messages, including
 * tool results of this turn), calls the chat model with
 * the tools bound, and records its reply in recall memory under an id that is
 * stable across a re-run of the node (the re-run's reply replaces the
 * abandoned attempt's there, as it does in the thread).
 *
 * @example
 * graph.addNode("agent", createCallModelNode({ memory, model: () => chat, tools: memoryTools, basePrompt: "" }));
 */
export function createCallModelNode(deps: Pick<AgentDependencies, "memory" | "model" | "tools" | "basePrompt" | "context" | "assistantId">) {
  return async function callModel(state: AgentStateType, config: LangGraphRunnableConfig): Promise<AgentUpdate> {
    const services = await servicesOf(deps, config);
    const { memory, run } = services;
    const model = deps.model(config);
    const now = turnTime(state);
    const systemPrompt = await compilePrompt(services, now);
    const assembled = await assemble(services, model, state, systemPrompt);
    const tools = await resolveTools(deps.tools, { memory, scope: run.scope, threadId: run.threadId, config });
    const response = await withTools(model, tools).invoke(assembled.messages, config);
    const reply = toAIMessage(response, stableId(config, "ai"));
    await recordStep(services, state, [reply], config);
    return {
      messages: [reply],
      context: windowOf(run, now, assembled),
      usage: addUsage(state.usage ?? EMPTY_USAGE, reply),
    };
  };
}

function withTools(model: BaseChatModel, tools: readonly StructuredToolInterface[]) {
  if (tools.length === 0) return model;
  if (!model.bindTools) {
    throw new ConfigurationError(`the chat model "${modelNameOf(model)}" cannot call tools; the agent graph needs one that can`);
  }
  return model.bindTools([...tools]);
}

// Streaming models return an AIMessageChunk; state keeps a plain AIMessage
// with our stable id rather than the provider's per-request one.
function toAIMessage(response: BaseMessage, id: string): AIMessage {
  const r = response as AIMessage;
  return new AIMessage({
    id,
    content: r.content,
    tool_calls: r.tool_calls ?? [],
    invalid_tool_calls: r.invalid_tool_calls ?? [],
    additional_kwargs: r.additional_kwargs ?? {},
    response_metadata: r.response_metadata ?? {},
    ...(r.usage_metadata ? { usage_metadata: r.usage_metadata } : {}),
  });
}

function addUsage(usage: TokenUsage, reply: AIMessage): TokenUsage {
  const input = reply.usage_metadata?.input_tokens ?? 0;
  const output = reply.usage_metadata?.output_tokens ?? 0;
  return {
    lastInput: input,
    lastOutput: output,
    totalInput: usage.totalInput + input,
    totalOutput: usage.totalOutput + output,
    calls: usage.calls + 1,
  };
}
