import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { contextOptionsSchema, parseContextOptions } from "../window/config.js";
import type { ContextOptions } from "../window/types.js";
import { ConfigurationError, InvalidInputError } from "../errors.js";
import type { MemoryScope } from "../memory/index.js";

/** The assistant id used when neither the run config nor the builder names one. */
export const DEFAULT_ASSISTANT_ID = "agent";

const id = z.string().trim().min(1).max(256);

/**
 * What an agent run reads from `config.configurable`. `user_id` scopes
 * memory and is required; `assistant_id` (the runtime sets the id of the assistant the run uses)
 * scopes it per assistant; `context` overrides the graph's context options
 * for this assistant (strategy, budget, windowTurns, summariseAt, retrieveK…),
 * and `system_prompt` replaces the graph's base prompt.
 *
 * @example
 * await graph.invoke(input, { configurable: { thread_id: "t1", user_id: "ada", context: { strategy: "window", windowTurns: 4 } } });
 */
export const agentConfigSchema = z
  .object({
    user_id: id.optional(),
    assistant_id: id.optional(),
    thread_id: id.optional(),
    // Checked field by field here, so a bad option is refused before a run
    // writes anything; merged over the graph's own options when read.
    context: z
      .record(z.string(), z.unknown())
      .superRefine((value, ctx) => {
        const checked = contextOptionsSchema.safeParse(value);
        for (const issue of checked.success ? [] : checked.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      })
      .optional(),
    system_prompt: z.string().max(100_000).optional(),
  })
  .loose();

export interface AgentRunConfig {
  scope: MemoryScope;
  threadId: string;
  context: ContextOptions;
  basePrompt: string;
}

export interface AgentConfigDefaults {
  /** Raw context options of the graph (validated with the assistant's overrides on top). */
  context?: Record<string, unknown>;
  basePrompt: string;
  assistantId?: string;
}

/**
 * The scope, thread and context options of one run: the graph's defaults
 * with the assistant's `configurable` overrides on top. The user id comes
 * only from config, never from model output.
 */
export function readAgentConfig(config: LangGraphRunnableConfig, defaults: AgentConfigDefaults): AgentRunConfig {
  const parsed = agentConfigSchema.safeParse(config.configurable ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`invalid agent config: ${issue.path.join(".")}: ${issue.message}`);
  }
  const c = parsed.data;
  if (!c.user_id) {
    throw new ConfigurationError("the agent graph needs the user in its run config ({ configurable: { user_id } }); memory is scoped by user");
  }
  if (!c.thread_id) throw new ConfigurationError("the agent graph needs a thread ({ configurable: { thread_id } })");
  return {
    scope: { assistantId: c.assistant_id ?? defaults.assistantId ?? DEFAULT_ASSISTANT_ID, userId: c.user_id },
    threadId: c.thread_id,
    context: parseContextOptions(mergeContext(defaults.context ?? {}, c.context ?? {})),
    basePrompt: c.system_prompt ?? defaults.basePrompt,
  };
}

// A budget given as a partial object overrides field by field.
function mergeContext(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base, ...override };
  const a = base.budget;
  const b = override.budget;
  if (isObject(a) && isObject(b)) merged.budget = { ...a, ...b };
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
