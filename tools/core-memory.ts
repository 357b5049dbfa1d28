import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { charLength, formatDay, type CoreBlock } from "../src/memory/index.js";
import { answer, parseMemoryDate, retryOnConflict, scopeOf, type MemoryToolsOptions, type ToolMemory } from "./common.js";

const label = z
  .string()
  .describe("Label of the core memory block to edit, as shown in your core memory (e.g. 'human' or 'persona')");

function done(action: string, block: CoreBlock): string {
  return (
    `${action} block '${block.label}' (now ${charLength(block.value)}/${block.limit} characters, version ${block.version}). ` +
    `Its value is now:\n${block.value}`
  );
}

/** A line stamped with the day it is about: "[2024-03-02] Moved to Lyon." (a line already stamped keeps its stamp). */
function stamped(content: string, date: Date | undefined): string {
  if (!date || /^\[\d{4}-\d{2}-\d{2}\]/.test(content.trimStart())) return content;
  return `[${formatDay(date)}] ${content}`;
}

/**
 * `core_memory_append(label, content, date?)`: adds a line to a core block;
 * with `date` ("today" or an ISO 8601 date) the line is stamped with that
 * day, "[2024-03-02] Moved to Lyon.", so a fact keeps when it was learnt.
 *
 * @example
 * const append = coreMemoryAppendTool(memory, { assistantId: "agent" });
 * await append.invoke({ label: "human", content: "Name: Ada" }, { configurable: { user_id: "u1" } });
 * await append.invoke({ label: "human", content: "Moved to Lyon", date: "today" }, { configurable: { user_id: "u1" } });
 */
export function coreMemoryAppendTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const content = stamped(input.content, parseMemoryDate(input.date, "date", options));
        const block = await retryOnConflict(() => memory.core.append(scope, input.label, content));
        return done("Appended to", block);
      }),
    {
      name: "core_memory_append",
      description:
        "Append a new line to one of your core memory blocks, which are always in your context across all conversations with this user. " +
        "Use it to remember important facts about the user (block 'human') or about yourself (block 'persona'). " +
        "Give date for facts whose time matters or that may change (a move, a new job, plans, events): the line is stamped with it.",
      schema: z.object({
        label,
        content: z.string().describe("Text to add to the end of the block, on its own line. Keep it short."),
        date: z
          .string()
          .optional()
          .describe("Stamp the line with the day the user said it: 'today', or an ISO 8601 date such as '2024-03-02'. Default: no stamp."),
      }),
    },
  );
}

/** `core_memory_replace(label, old_content, new_content)`: exact, single-match replacement. */
export function coreMemoryReplaceTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const block = await retryOnConflict(() =>
          memory.core.replace(scope, input.label, input.old_content, input.new_content),
        );
        return done("Updated", block);
      }),
    {
      name: "core_memory_replace",
      description:
        "Replace text in a core memory block. old_content must match exactly one place in the block (copy it exactly, " +
        "including case and spacing). Pass an empty new_content to delete the text.",
      schema: z.object({
        label,
        old_content: z.string().describe("Exact text currently in the block; must occur exactly once."),
        new_content: z.string().describe("Text to put in its place (empty string to delete)."),
      }),
    },
  );
}

/** `memory_rethink(label, new_value)`: rewrites a whole block. */
export function memoryRethinkTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const block = await retryOnConflict(() => memory.core.rethink(scope, input.label, input.new_value));
        return done("Rewrote", block);
      }),
    {
      name: "memory_rethink",
      description:
        "Rewrite a core memory block entirely: reorganise it, merge or drop outdated facts, or condense it when it is near its character limit. " +
        "The new value replaces the old one completely, so include everything worth keeping.",
      schema: z.object({
        label,
        new_value: z.string().describe("The complete new content of the block."),
      }),
    },
  );
}
