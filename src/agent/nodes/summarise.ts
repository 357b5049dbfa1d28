import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { RemoveMessage, type BaseMessage } from "@langchain/core/messages";
import { summaryMaxTokens, summariseSafely, createTokenCounter, groupUnits } from "../../window/index.js";
import { modelNameOf } from "../../models/config.js";
import { compactWindow, type AgentStateType, type AgentUpdate } from "../state.js";
import { servicesOf, type AgentDependencies } from "./shared.js";

/**
 * The `summarise` node: when the last assembly found the history past
 * `summariseAt` of its budget, folds those oldest messages into the rolling
 * summary with `summariseSafely`, from a transcript of dated, attributed
 * lines ("[2024-03-02] user: …", dated by recall memory). On success they
 * leave the thread's state (`RemoveMessage`) but stay in recall memory, where
 * they were recorded when created (and are recorded again here, idempotently,
 * before removal). On failure nothing changes and the run ends normally; the
 * next turn retries.
 *
 * @example
 * graph.addNode("summarise", createSummariseNode({ memory, model: () => chat, basePrompt: "" }));
 */
export function createSummariseNode(
  deps: Pick<AgentDependencies, "memory" | "model" | "summaryModel" | "basePrompt" | "context" | "assistantId">,
) {
  return async function summarise(state: AgentStateType, config: LangGraphRunnableConfig): Promise<AgentUpdate> {
    const folded = foldable(state.messages, new Set(state.context?.summariseIds ?? []));
    if (folded.length === 0) return {};
    const { memory, run } = await servicesOf(deps, config);
    await memory.recall.append(run.scope, run.threadId, folded);
    // The summary keeps who said what and when: each folded message is dated
    // with its time in recall memory (when it was said, or the session date
    // of an imported history).
    const said = await memory.recall.timesOf(run.scope, run.threadId, folded.map((m) => m.id!));
    const model = (deps.summaryModel ?? deps.model)(config);
    const result = await summariseSafely({
      // Summary tokens are bookkeeping, not the answer: keep them off the message stream.
      model: model.withConfig({ tags: ["nostream"] }),
      previousSummary: state.summary,
      messages: folded,
      counter: createTokenCounter(modelNameOf(model)),
      maxTokens: summaryMaxTokens(run.context),
      dateOf: (m) => (m.id ? said.get(m.id) : undefined),
    });
    if (!result.ok) return {};
    return {
      summary: result.summary,
      messages: folded.map((m) => new RemoveMessage({ id: m.id! })),
      context: state.context ? { ...compactWindow(state.context)!, summariseIds: [] } : null,
    };
  };
}

/**
 * The messages to fold, taken whole by unit: a tool call is folded with all
 * its results or not at all, even if the ids named only part of the unit.
 */
function foldable(messages: readonly BaseMessage[], ids: ReadonlySet<string>): BaseMessage[] {
  if (ids.size === 0) return [];
  const { units } = groupUnits(messages);
  return units.filter((u) => u.messages.some((m) => m.id && ids.has(m.id))).flatMap((u) => u.messages).filter((m) => m.id);
}
