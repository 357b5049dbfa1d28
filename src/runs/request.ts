import { z } from "zod";
import { InvalidInputError } from "../errors.js";

/**
 * The stream modes a run may ask for, as the LangGraph API names them:
 * LangGraph.js's own, with `messages-tuple` for the library's `messages`
 * (token tuples), `messages` for the API's older message events and
 * `events` for every callback event (see stream-graph.ts).
 */
export const STREAM_MODES = ["values", "updates", "messages", "messages-tuple", "events", "custom", "debug", "tasks", "checkpoints", "tools"] as const;
export type RunStreamMode = (typeof STREAM_MODES)[number];

export const MULTITASK_STRATEGIES = ["reject", "interrupt", "rollback", "enqueue"] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];

const Nodes = z.union([z.literal("*"), z.array(z.string().min(1))]);

const Goto = z.union([
  z.string().min(1),
  z.object({ node: z.string().min(1), input: z.unknown() }).strict(),
  z.array(z.union([z.string().min(1), z.object({ node: z.string().min(1), input: z.unknown() }).strict()])),
]);

/**
 * What a run is asked to do. Every field the core acts on is here, and
 * nothing else is accepted: a field the core does not support is refused
 * (an unknown key fails `.strict()`), never silently dropped.
 */
export const RunRequestSchema = z
  .object({
    /** New input; absent or null with no command continues from the latest checkpoint. */
    input: z.unknown().optional(),
    command: z
      .object({ resume: z.unknown().optional(), update: z.unknown().optional(), goto: Goto.optional() })
      .strict()
      .optional(),
    config: z
      .object({
        configurable: z.record(z.string(), z.unknown()).optional(),
        tags: z.array(z.string()).optional(),
        recursion_limit: z.number().int().min(1).max(10_000).optional(),
        /** Run metadata the graph's callbacks see (tracing), beside the run's own identity. */
        metadata: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .optional(),
    /** LangGraph's run context (`config.context` in nodes), merged over the assistant's. */
    context: z.record(z.string(), z.unknown()).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    streamMode: z.union([z.enum(STREAM_MODES), z.array(z.enum(STREAM_MODES))]).optional(),
    streamSubgraphs: z.boolean().optional(),
    /** Every run's events are kept, so any stream can be resumed; accepted for compatibility. */
    streamResumable: z.boolean().optional(),
    interruptBefore: Nodes.optional(),
    interruptAfter: Nodes.optional(),
    multitaskStrategy: z.enum(MULTITASK_STRATEGIES).optional(),
    /** Stateless runs only: delete the temporary thread when the run ends (default) or keep it. */
    onCompletion: z.enum(["delete", "keep"]).optional(),
    afterSeconds: z.number().min(0).max(31_536_000).optional(),
    durability: z.enum(["sync", "async", "exit"]).optional(),
    /** With a command's `resume`: refuse the run unless the thread is waiting on an interrupt. */
    strictResume: z.boolean().optional(),
    /** The checkpoint to start from (time travel): the run forks the thread there. */
    checkpointId: z.string().min(1).optional(),
    /** What to do when the thread does not exist: create it, or refuse (default). */
    ifNotExists: z.enum(["create", "reject"]).optional(),
  })
  .strict();

export type RunRequest = z.infer<typeof RunRequestSchema>;

/** Checks a request with a one-line reason naming the field. */
export function parseRunRequest(raw: unknown): RunRequest {
  const result = RunRequestSchema.safeParse(raw ?? {});
  if (result.success) {
    const request = result.data;
    if (request.input !== undefined && request.input !== null && request.command !== undefined) {
      throw new InvalidInputError("a run takes input or a command, not both");
    }
    return request;
  }
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    throw new InvalidInputError(`run field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} not supported`);
  }
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new InvalidInputError(`invalid run request: ${where}${issue.message}`);
}

/** The requested stream modes as a list (default: values). */
export function streamModesOf(request: RunRequest): RunStreamMode[] {
  const mode = request.streamMode ?? "values";
  return [...new Set(Array.isArray(mode) ? mode : [mode])];
}
