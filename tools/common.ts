import type { RunnableConfig } from "@langchain/core/runnables";
import { ConflictError, isThreadlineError } from "../src/errors.js";
import type { MemoryScope, MemoryService } from "../src/memory/index.js";

/** What the memory tools need of the memory layer. */
export type ToolMemory = Pick<MemoryService, "core" | "recall" | "archival">;

export interface MemoryToolsOptions {
  /**
   * Assistant id used when the run's config has no `configurable.assistant_id`;
   * pass the graph's name.
   */
  assistantId?: string;
  /** The clock memory is dated by (a passage's time, "today" in a date stamp). Default: the system clock. */
  now?: () => Date;
}

/** A tool's result that is an error the model should read and act on. */
export class ToolProblem extends Error {}

/**
 * The scope of the run the tool executes in, from its config only: the model
 * can neither see nor choose another user's or assistant's memory.
 */
export function scopeOf(config: RunnableConfig | undefined, options: MemoryToolsOptions): MemoryScope {
  const configurable = (config?.configurable ?? {}) as Record<string, unknown>;
  const userId = configurable.user_id;
  if (typeof userId !== "string" || userId.trim() === "") {
    throw new ToolProblem(
      "memory is unavailable in this conversation because the run has no user (configurable.user_id is not set); continue without memory tools and tell the user their details cannot be remembered",
    );
  }
  const fromConfig = configurable.assistant_id;
  const assistantId = typeof fromConfig === "string" && fromConfig !== "" ? fromConfig : options.assistantId;
  if (!assistantId) {
    throw new ToolProblem("memory is unavailable because the run names no assistant (configurable.assistant_id is not set)");
  }
  return { assistantId, userId };
}

/** The current thread of the run, for searches limited to it. */
export function threadOf(config: RunnableConfig | undefined): string {
  const threadId = (config?.configurable as Record<string, unknown> | undefined)?.thread_id;
  if (typeof threadId !== "string" || threadId === "") {
    throw new ToolProblem("this run has no thread id, so this_thread_only cannot be used; search without it");
  }
  return threadId;
}

/**
 * Runs a tool body and turns every failure into a result string the model can
 * act on: tools never throw. Unexpected failures (database down, provider
 * error) are reported without internals beyond their one-line reason.
 */
export async function answer(body: () => Promise<string>): Promise<string> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ToolProblem || isThreadlineError(err)) return `Error: ${err.message}`;
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return `Error: memory could not be reached (${reason}); try again later, or continue without it`;
  }
}

/** An optimistic-lock conflict is retried once on a fresh read, then reported. */
export async function retryOnConflict<T>(edit: () => Promise<T>): Promise<T> {
  try {
    return await edit();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return edit();
  }
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 date or date-time given by the model. A bare date is a
 * whole UTC day (its start, or its end when `endOfDay`); a time without a zone
 * is UTC.
 */
export function parseIsoDate(value: string | undefined, name: string, endOfDay = false): Date | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const match = ISO_DATE.exec(value.trim());
  const date = match
    ? new Date(
        match[2]
          ? `${match[1]}T${match[2]}${match[3] ?? "Z"}`
          : `${match[1]}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`,
      )
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new ToolProblem(`${name} "${value}" is not an ISO 8601 date; use e.g. "2025-05-03" or "2025-05-03T14:00:00Z"`);
  }
  return date;
}

/**
 * A date the model gives for what it stores (when it was said or happened):
 * "today" or "now" for the run's clock, else an ISO 8601 date or date-time
 * (a bare date is the start of that UTC day).
 */
export function parseMemoryDate(value: string | undefined, name: string, options: MemoryToolsOptions): Date | undefined {
  if (value !== undefined && /^\s*(today|now)\s*$/i.test(value)) return clockOf(options);
  try {
    return parseIsoDate(value, name);
  } catch (err) {
    if (err instanceof ToolProblem) throw new ToolProblem(`${err.message}, or "today"`);
    throw err;
  }
}

/** The time of the run's clock. */
function clockOf(options: MemoryToolsOptions): Date {
  return options.now?.() ?? new Date();
}

/** Cuts long text for a tool result, saying how much was left out. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}
