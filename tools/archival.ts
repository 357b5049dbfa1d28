import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { DEFAULT_TOP_K, formatDay, formatTime, MAX_TOP_K } from "../src/memory/index.js";
import {
  answer,
  clip,
  parseIsoDate,
  parseMemoryDate,
  scopeOf,
  ToolProblem,
  type MemoryToolsOptions,
  type ToolMemory,
} from "./common.js";

const MAX_SHOWN_CHARACTERS = 2000;

/**
 * `archival_memory_insert(content, tags?, date?)`: stores a passage in
 * long-term archival memory (embedded when an embeddings provider is
 * configured), dated: by `date` when the model gives one (when it was said,
 * e.g. a fact found with conversation_search in an earlier conversation),
 * else now. The date is the passage's time: search results show it and the
 * date filters use it.
 *
 * @example
 * const insert = archivalMemoryInsertTool(memory, { assistantId: "agent" });
 * await insert.invoke({ content: "Ada said her flight is on 3 May", tags: ["travel"] }, { configurable: { user_id: "u1" } });
 */
export function archivalMemoryInsertTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const createdAt = parseMemoryDate(input.date, "date", options) ?? options.now?.();
        const passage = await memory.archival.insert(scope, input.content, {
          ...(input.tags ? { tags: input.tags } : {}),
          ...(createdAt ? { createdAt } : {}),
        });
        const tags = passage.tags.length ? ` with tags [${passage.tags.join(", ")}]` : "";
        return `Stored passage ${passage.id}, dated ${formatDay(passage.createdAt)}, in archival memory${tags}. Find it later with archival_memory_search.`;
      }),
    {
      name: "archival_memory_insert",
      description:
        "Store a passage in archival memory, your unlimited long-term memory for this user (not always in context). " +
        "Use it for details, documents and events worth keeping that do not belong in core memory. Write self-contained passages " +
        "that say who said or did what (e.g. 'Ada said her sister Priya moved to Lyon'). Each passage is dated, by default today; " +
        "give date when it was said earlier (e.g. the date of a conversation_search result).",
      schema: z.object({
        content: z.string().describe("The passage to remember; self-contained, saying who said it, with names and dates spelled out."),
        tags: z.array(z.string()).optional().describe("Optional tags to group passages, e.g. ['travel', 'family']."),
        date: z
          .string()
          .optional()
          .describe("When it was said, if not today: ISO 8601 (e.g. '2024-03-02'). Default: now."),
      }),
    },
  );
}

/** `archival_memory_search(query, tags?, top_k?, start_date?, end_date?)`. */
export function archivalMemorySearchTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const topK = input.top_k ?? DEFAULT_TOP_K;
        if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
          throw new ToolProblem(`top_k must be a whole number from 1 to ${MAX_TOP_K}`);
        }
        const startDate = parseIsoDate(input.start_date, "start_date");
        const endDate = parseIsoDate(input.end_date, "end_date", true);
        const hits = await memory.archival.search(scope, {
          query: input.query,
          topK,
          ...(input.tags?.length ? { tags: input.tags } : {}),
          ...(startDate ? { startDate } : {}),
          ...(endDate ? { endDate } : {}),
        });
        if (hits.length === 0) {
          return `No passages found for "${input.query}". Try other words, fewer tags, or a wider date range.`;
        }
        const lines = hits.map((h, i) => {
          const tags = h.tags.length ? ` [tags: ${h.tags.join(", ")}]` : "";
          return `${i + 1}. [${formatTime(h.createdAt)}]${tags} ${clip(h.content, MAX_SHOWN_CHARACTERS)}`;
        });
        return [`Found ${hits.length} passage${hits.length === 1 ? "" : "s"} (best match first):`, ...lines].join("\n");
      }),
    {
      name: "archival_memory_search",
      description:
        "Search your archival memory (long-term passages you stored for this user) by meaning and key words. " +
        "Each result shows the passage's date. Optionally only passages with any of the given tags, or from an ISO 8601 date range.",
      schema: z.object({
        query: z.string().describe("What to look for, in words."),
        tags: z.array(z.string()).optional().describe("Only passages having at least one of these tags."),
        top_k: z.number().optional().describe(`How many passages to return, 1 to ${MAX_TOP_K} (default ${DEFAULT_TOP_K}).`),
        start_date: z.string().optional().describe("Earliest passage date, ISO 8601."),
        end_date: z.string().optional().describe("Latest passage date, ISO 8601; a bare date includes that whole day (UTC)."),
      }),
    },
  );
}
