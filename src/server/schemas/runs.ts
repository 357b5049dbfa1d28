import { z } from "zod";
import { STREAM_MODES } from "../../runs/request.js";
import { CheckpointRef, JsonObject } from "./common.js";

const Nodes = z.union([z.literal("*"), z.array(z.string().min(1))]);
const StreamMode = z.enum(STREAM_MODES);
const GotoTarget = z.union([z.string().min(1), z.object({ node: z.string().min(1), input: z.unknown() }).strict()]);

/**
 * A run as the API's clients send it. Every field LangGraph's API defines
 * is here: the ones that change what a run does are honoured (the core's
 * run request) or, where Threadline does not support them, refused by name
 * with 422 (see `runRequestOf`); nothing is accepted and dropped.
 */
export const RunCreate = z
  .object({
    assistant_id: z.string().min(1),
    input: z.unknown().optional(),
    command: z
      .object({
        resume: z.unknown().optional(),
        update: z.union([JsonObject, z.array(z.tuple([z.string(), z.unknown()]))]).nullish(),
        goto: z.union([GotoTarget, z.array(GotoTarget)]).nullish(),
      })
      .strict()
      .nullish(),
    config: z
      .object({
        configurable: JsonObject.nullish(),
        tags: z.array(z.string()).nullish(),
        recursion_limit: z.number().int().min(1).max(10_000).nullish(),
        metadata: JsonObject.nullish(),
      })
      .strict()
      .nullish(),
    context: JsonObject.nullish(),
    metadata: JsonObject.nullish(),
    stream_mode: z.union([StreamMode, z.array(StreamMode)]).nullish(),
    stream_subgraphs: z.boolean().nullish(),
    stream_resumable: z.boolean().nullish(),
    feedback_keys: z.array(z.string()).nullish(),
    interrupt_before: Nodes.nullish(),
    interrupt_after: Nodes.nullish(),
    checkpoint_id: z.string().min(1).nullish(),
    checkpoint: CheckpointRef.nullish(),
    webhook: z.string().nullish(),
    strict_resume: z.boolean().nullish(),
    multitask_strategy: z.enum(["reject", "interrupt", "rollback", "enqueue"]).nullish(),
    on_completion: z.enum(["delete", "keep"]).nullish(),
    on_disconnect: z.enum(["cancel", "continue"]).nullish(),
    after_seconds: z.number().min(0).nullish(),
    if_not_exists: z.enum(["create", "reject"]).nullish(),
    checkpoint_during: z.boolean().nullish(),
    durability: z.enum(["sync", "async", "exit"]).nullish(),
    langsmith_tracer: z.object({ project_name: z.string().nullish(), example_id: z.string().nullish() }).strict().nullish(),
  })
  .strict();

export type RunCreateBody = z.output<typeof RunCreate>;

export const RunBatch = z.array(RunCreate).min(1).max(100);

export const BulkCancel = z
  .object({
    thread_id: z.string().nullish(),
    run_ids: z.array(z.uuid()).nullish(),
    status: z.enum(["pending", "running", "all"]).nullish(),
  })
  .strict();
