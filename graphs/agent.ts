import { z } from "zod";
import { agentConfigSchema, agentInputSchema, createAgentGraph, textInput as agentTextInput } from "threadline";

/**
 * The MemGPT-style agent: core memory blocks in the system prompt, recall
 * and archival memory behind tools, a token-budgeted context window and a
 * rolling summary. The chat model comes from the run context (the CLI builds
 * it from OPENAI_API_KEY / OPENAI_BASE_URL / THREADLINE_MODEL); memory is
 * scoped by the assistant (this graph's id) and `configurable.user_id`.
 *
 * The memory tables are not exported as `migrations`: they belong to the
 * shared "memory" component, which every entry point prepares at start-up
 * (`prepareMemory`; graph nodes never create tables), so
 * several agent graphs in one project share them instead of each creating
 * them under its own `graph:<id>` component.
 */
export const graph = createAgentGraph().compile({ name: "agent" });

export const inputSchema = agentInputSchema;

export const textInput = agentTextInput;

/** Memory is per user, so a run without one is refused before anything is written. */
export const configSchema = agentConfigSchema.extend({
  user_id: z
    .string({ error: "required: the user the run acts for (--user in the CLI; configurable.user_id on a server without auth)" })
    .trim()
    .min(1)
    .max(256),
});

export const requiresChatModel = true;
