import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { formatTime, MAX_RECALL_LIMIT, type RecallHit } from "../src/memory/index.js";
import {
  answer,
  clip,
  parseIsoDate,
  scopeOf,
  threadOf,
  ToolProblem,
  type MemoryToolsOptions,
  type ToolMemory,
} from "./common.js";

const MAX_SHOWN_CHARACTERS = 1000;

function formatHit(hit: RecallHit, index: number): string {
  const calls = hit.toolCalls?.length ? ` [called ${hit.toolCalls.map((c) => c.name).join(", ")}]` : "";
  return `${index}. [${formatTime(hit.createdAt)}] (thread ${hit.threadId}) ${hit.role}${calls}: ${clip(hit.content, MAX_SHOWN_CHARACTERS)}`;
}

/**
 * `conversation_search(query, roles?, start_date?, end_date?, limit?, page?)`:
 * ranked full-text search over every past message of the user (or only the
 * current thread), including what was summarised out of the context.
 *
 * @example
 * const search = conversationSearchTool(memory, { assistantId: "agent" });
 * await search.invoke({ query: "sister's name" }, { configurable: { user_id: "u1", thread_id: "t1" } });
 */
export function conversationSearchTool(memory: ToolMemory, options: MemoryToolsOptions = {}) {
  return tool(
    (input, config) =>
      answer(async () => {
        const scope = scopeOf(config, options);
        const limit = input.limit ?? 10;
        const page = input.page ?? 0;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECALL_LIMIT) {
          throw new ToolProblem(`limit must be a whole number from 1 to ${MAX_RECALL_LIMIT}`);
        }
        if (!Number.isInteger(page) || page < 0) throw new ToolProblem("page must be a whole number, 0 for the first page");
        const startDate = parseIsoDate(input.start_date, "start_date");
        const endDate = parseIsoDate(input.end_date, "end_date", true);
        const result = await memory.recall.search(scope, {
          query: input.query,
          limit,
          page,
          ...(input.roles?.length ? { roles: input.roles } : {}),
          ...(startDate ? { startDate } : {}),
          ...(endDate ? { endDate } : {}),
          ...(input.this_thread_only ? { threadId: threadOf(config) } : {}),
        });
        if (result.hits.length === 0) {
          return page > 0
            ? `No more messages: page ${page} is past the last result.`
            : `No messages found for "${input.query}". Try other or fewer words, fewer filters, or a wider date range.`;
        }
        const header = `Found ${result.hits.length} message${result.hits.length === 1 ? "" : "s"} (page ${page}, best match first)`;
        const more = result.hasMore ? `More results: call again with page=${page + 1}.` : "No further results.";
        const first = page * limit + 1;
        return [`${header}:`, ...result.hits.map((h, i) => formatHit(h, first + i)), more].join("\n");
      }),
    {
      name: "conversation_search",
      description:
        "Search the full history of your past conversations with this user (all threads, including messages no longer in your context). " +
        "Ranked full-text search: use key words; \"quoted phrases\" match exactly, OR gives alternatives, -word excludes. " +
        "Filter by role and by ISO 8601 date range; results are paginated.",
      schema: z.object({
        query: z.string().describe("Words to search for, e.g. 'sister name' or '\"flight to Lisbon\"'."),
        roles: z
          .array(z.enum(["user", "assistant", "tool", "system"]))
          .optional()
          .describe("Only messages from these roles."),
        start_date: z.string().optional().describe("Earliest time, ISO 8601 (e.g. '2025-05-01' or '2025-05-01T09:00:00Z')."),
        end_date: z.string().optional().describe("Latest time, ISO 8601; a bare date includes that whole day (UTC)."),
        limit: z.number().optional().describe(`Results per page, 1 to ${MAX_RECALL_LIMIT} (default 10).`),
        page: z.number().optional().describe("Page number, starting at 0."),
        this_thread_only: z.boolean().optional().describe("Search only the current conversation (default: all conversations)."),
      }),
    },
  );
}
