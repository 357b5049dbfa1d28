import { z } from "zod";
import { InvalidInputError } from "../errors.js";
import type { ContextOptions } from "./types.js";

const positiveInt = z.number().int().positive();
const tokens = z.number().int().nonnegative();

/** Defaults: an 8,000-token prompt split 2,000 system / 4,000 history / 1,000 retrieved / 1,000 input. */
export const DEFAULT_CONTEXT_OPTIONS: ContextOptions = {
  strategy: "hybrid",
  budget: { total: 8000, system: 2000, history: 4000, retrieved: 1000, input: 1000 },
  windowTurns: 5,
  summariseAt: 0.8,
  retrieveK: 40,
  retrievalScope: "user",
  rewriteQuery: false,
};

const budgetSchema = z
  .object({
    total: positiveInt,
    system: tokens,
    history: tokens,
    retrieved: tokens,
    input: tokens,
  })
  .refine((b) => b.system + b.history + b.retrieved + b.input <= b.total, {
    message: "the shares (system + history + retrieved + input) must not exceed total",
  });

/**
 * Options of context assembly, as they appear in a graph's or assistant's
 * config. Every field is optional; a partial budget is merged over the
 * default one before the shares are checked against the total.
 */
export const contextOptionsSchema = z
  .object({
    strategy: z.enum(["full", "window", "summarise", "retrieval", "hybrid"]).default("hybrid"),
    budget: z
      .object({
        total: positiveInt.optional(),
        system: tokens.optional(),
        history: tokens.optional(),
        retrieved: tokens.optional(),
        input: tokens.optional(),
      })
      .strict()
      .optional(),
    windowTurns: z.number().int().nonnegative().default(DEFAULT_CONTEXT_OPTIONS.windowTurns),
    summariseAt: z.number().gt(0).lte(1).default(DEFAULT_CONTEXT_OPTIONS.summariseAt),
    retrieveK: z.number().int().nonnegative().default(DEFAULT_CONTEXT_OPTIONS.retrieveK),
    summaryMaxTokens: positiveInt.optional(),
    retrievalScope: z.enum(["user", "thread"]).default("user"),
    rewriteQuery: z.boolean().default(false),
  })
  .strict();

/**
 * Validates context options from config (unknown input) and fills defaults.
 * Throws InvalidInputError naming the offending field.
 *
 * @example
 * parseContextOptions({ strategy: "window", windowTurns: 3 }).budget.history; // 4000
 * parseContextOptions({ strategy: "everything" }); // throws InvalidInputError
 */
export function parseContextOptions(input: unknown): ContextOptions {
  const parsed = contextOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new InvalidInputError(`invalid context options: ${describe(parsed.error)}`);
  const { budget: partial, summaryMaxTokens, ...rest } = parsed.data;
  const budget = budgetSchema.safeParse({ ...DEFAULT_CONTEXT_OPTIONS.budget, ...partial });
  if (!budget.success) throw new InvalidInputError(`invalid context options: budget: ${describe(budget.error)}`);
  return { ...rest, budget: budget.data, ...(summaryMaxTokens === undefined ? {} : { summaryMaxTokens }) };
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
