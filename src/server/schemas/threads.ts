import { z } from "zod";
import { CheckpointRef, JsonObject, Limit, Offset, Select, SortOrder } from "./common.js";

const Status = z.enum(["idle", "busy", "interrupted", "error"]);

/** A TTL as the API gives it: minutes, and what happens at the end (only deleting the thread). */
export const Ttl = z.union([
  z.number().positive(),
  z.object({ ttl: z.number().positive(), strategy: z.literal("delete").nullish() }).strict(),
]);

const SuperstepUpdate = z
  .object({ values: z.unknown().nullish(), as_node: z.string().min(1), command: z.null().optional() })
  .strict();

export const ThreadCreate = z
  .object({
    thread_id: z.string().nullish(),
    metadata: JsonObject.nullish(),
    if_exists: z.enum(["raise", "do_nothing"]).nullish(),
    ttl: Ttl.nullish(),
    supersteps: z.array(z.object({ updates: z.array(SuperstepUpdate).min(1) }).strict()).nullish(),
  })
  .strict();

export const ThreadSearch = z
  .object({
    metadata: JsonObject.nullish(),
    values: JsonObject.nullish(),
    status: Status.nullish(),
    ids: z.array(z.string()).nullish(),
    limit: Limit.nullish(),
    offset: Offset.nullish(),
    sort_by: z.enum(["thread_id", "status", "created_at", "updated_at", "state_updated_at"]).nullish(),
    sort_order: SortOrder.nullish(),
    select: Select.nullish(),
  })
  .strict();

export const ThreadCount = z
  .object({ metadata: JsonObject.nullish(), values: JsonObject.nullish(), status: Status.nullish() })
  .strict();

export const ThreadPatch = z.object({ metadata: JsonObject.nullish(), ttl: Ttl.nullish() }).strict();

export const ThreadPrune = z
  .object({ thread_ids: z.array(z.string()).min(1).max(1000), strategy: z.enum(["delete", "keep_latest"]).nullish() })
  .strict();

export const StateUpdate = z
  .object({
    values: z.union([JsonObject, z.array(JsonObject)]).nullish(),
    as_node: z.string().min(1).nullish(),
    checkpoint_id: z.string().min(1).nullish(),
    checkpoint: CheckpointRef.nullish(),
  })
  .strict();

export const StateAtCheckpoint = z
  .object({ checkpoint: CheckpointRef, subgraphs: z.boolean().nullish(), select: Select.nullish() })
  .strict();

/** `before` as a checkpoint id or a config naming one. */
const Before = z.union([
  z.string().min(1),
  z.object({ configurable: z.object({ checkpoint_id: z.string().min(1) }).loose() }).loose(),
]);

export const HistoryRequest = z
  .object({
    limit: Limit.nullish(),
    before: Before.nullish(),
    metadata: JsonObject.nullish(),
    checkpoint: CheckpointRef.nullish(),
    select: Select.nullish(),
  })
  .strict();
