import { isGraphBubbleUp, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { ToolMessage, isAIMessage, type AIMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { resolveTools } from "../deps.js";
import type { AgentStateType, AgentUpdate } from "../state.js";
import { recordStep, servicesOf, type AgentDependencies } from "./shared.js";

/**
 * The `tools` node: runs the tool calls of the last assistant message one
 * after another (two edits of one memory block in one reply must not race),
 * turns every failure into a tool result the model can read and records the
 * results in recall memory. Memory edits are in view at the very next model
 * call, which compiles the system prompt anew.
 *
 * @example
 * graph.addNode("tools", createRunToolsNode({ memory, tools: memoryTools, basePrompt: "" }));
 */
export function createRunToolsNode(deps: Pick<AgentDependencies, "memory" | "tools" | "basePrompt" | "context" | "assistantId">) {
  return async function runTools(state: AgentStateType, config: LangGraphRunnableConfig): Promise<AgentUpdate> {
    const last = state.messages.at(-1);
    if (!last || !isAIMessage(last) || !last.tool_calls?.length) return {};
    const services = await servicesOf(deps, config);
    const { memory, run } = services;
    const tools = await resolveTools(deps.tools, { memory, scope: run.scope, threadId: run.threadId, config });
    const byName = new Map(tools.map((t) => [t.name, t]));
    const results: ToolMessage[] = [];
    for (const call of last.tool_calls) {
      results.push(await execute(byName, last, call, config));
    }
    await recordStep(services, state, results, config);
    return { messages: results };
  };
}

type ToolCall = NonNullable<AIMessage["tool_calls"]>[number];

async function execute(
  tools: Map<string, StructuredToolInterface>,
  message: AIMessage,
  call: ToolCall,
  config: LangGraphRunnableConfig,
): Promise<ToolMessage> {
  const callId = call.id ?? `${call.name}-${message.tool_calls!.indexOf(call)}`;
  const result = (content: string, status: "success" | "error") =>
    new ToolMessage({ id: `${message.id}-${callId}`, tool_call_id: callId, name: call.name, content, status });
  const tool = tools.get(call.name);
  if (!tool) {
    return result(`Error: there is no tool "${call.name}"; the tools are ${[...tools.keys()].join(", ") || "none"}`, "error");
  }
  try {
    const output: unknown = await tool.invoke(call.args, config);
    return result(textOf(output), "success");
  } catch (err) {
    // Interrupts and other control flow of LangGraph must pass through.
    if (isGraphBubbleUp(err)) throw err;
    return result(`Error: ${(err as Error)?.message ?? String(err)}`, "error");
  }
}

function textOf(output: unknown): string {
  if (typeof output === "string") return output;
  if (output instanceof ToolMessage) return typeof output.content === "string" ? output.content : JSON.stringify(output.content);
  return JSON.stringify(output) ?? "";
}
