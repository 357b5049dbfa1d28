import { charLength } from "./scope.js";
import type { CoreBlock, MemoryStats } from "./types.js";

export interface CompileInput {
  /** The agent's own instructions, placed before the memory sections. */
  basePrompt: string;
  blocks: readonly CoreBlock[];
  stats: MemoryStats;
  /** When given, the metadata also states the current time. */
  now?: Date;
}

/**
 * The MemGPT-style system prompt: the base prompt, every core block in a tag
 * carrying its current/maximum size and read-only flag, and the memory
 * metadata (recall and archival counts, last edit of core memory). Pure and
 * deterministic, so it can be tested and token-counted as is.
 *
 * @example
 * compileSystemPrompt({ basePrompt: "You are Sam.", blocks, stats: { recallCount: 4, archivalCount: 0 } });
 * // You are Sam.\n\n<memory_blocks>…<human characters="11/2000" read_only="false">…</memory_metadata>
 */
export function compileSystemPrompt(input: CompileInput): string {
  const sections = [input.basePrompt.trim(), memoryBlocks(input.blocks), metadata(input.stats, input.now)];
  return sections.filter((s) => s !== "").join("\n\n");
}

function memoryBlocks(blocks: readonly CoreBlock[]): string {
  const lines = [
    "<memory_blocks>",
    "The following memory blocks are your core memory, always in view. Edit them with core_memory_append, " +
      "core_memory_replace and memory_rethink to keep what matters across conversations; read-only blocks cannot be edited.",
  ];
  for (const block of blocks) {
    lines.push(
      "",
      `<${block.label} characters="${charLength(block.value)}/${block.limit}" read_only="${block.readOnly}">`,
      "<description>",
      block.description,
      "</description>",
      "<value>",
      block.value,
      "</value>",
      `</${block.label}>`,
    );
  }
  lines.push("</memory_blocks>");
  return lines.join("\n");
}

function metadata(stats: MemoryStats, now: Date | undefined): string {
  const lines = ["<memory_metadata>"];
  if (now) lines.push(`- The current time is: ${formatTime(now)}`);
  lines.push(
    `- Memory blocks were last modified: ${stats.lastEditedAt ? formatTime(stats.lastEditedAt) : "never"}`,
    `- ${plural(stats.recallCount, "previous message")} between you and the user ${stats.recallCount === 1 ? "is" : "are"} stored in recall memory (use conversation_search to access them)`,
    `- ${plural(stats.archivalCount, "passage")} ${stats.archivalCount === 1 ? "is" : "are"} stored in archival memory (use archival_memory_search to access them)`,
    "</memory_metadata>",
  );
  return lines.join("\n");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "2025-05-03 14:07:09 UTC": unambiguous for the model, stable for tests. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "2025-05-03": the UTC calendar day of a time, the date stamp of dated memory lines and summaries. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
