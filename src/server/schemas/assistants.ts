import { z } from "zod";
import { JsonObject, Limit, Offset, Select, SortOrder } from "./common.js";

/** An assistant's config: what a run of it takes from it. */
export const AssistantConfig = z
  .object({
    configurable: JsonObject.nullish(),
    tags: z.array(z.string()).nullish(),
    recursion_limit: z.number().int().min(1).max(10_000).nullish(),
  })
  .strict();

export const AssistantCreate = z
  .object({
    assistant_id: z.uuid().nullish(),
    graph_id: z.string().min(1),
    config: AssistantConfig.nullish(),
    context: JsonObject.nullish(),
    metadata: JsonObject.nullish(),
    if_exists: z.enum(["raise", "do_nothing"]).nullish(),
    name: z.string().min(1).nullish(),
    description: z.string().nullish(),
  })
  .strict();

export const AssistantPatch = z
  .object({
    graph_id: z.string().min(1).nullish(),
    config: AssistantConfig.nullish(),
    context: JsonObject.nullish(),
    metadata: JsonObject.nullish(),
    name: z.string().min(1).nullish(),
    description: z.string().nullish(),
  })
  .strict();

export const AssistantSearch = z
  .object({
    metadata: JsonObject.nullish(),
    graph_id: z.string().nullish(),
    name: z.string().nullish(),
    limit: Limit.nullish(),
    offset: Offset.nullish(),
    sort_by: z.enum(["assistant_id", "graph_id", "name", "created_at", "updated_at"]).nullish(),
    sort_order: SortOrder.nullish(),
    select: Select.nullish(),
  })
  .strict();

export const AssistantCount = z
  .object({ metadata: JsonObject.nullish(), graph_id: z.string().nullish(), name: z.string().nullish() })
  .strict();

export const AssistantVersions = z
  .object({ metadata: JsonObject.nullish(), limit: Limit.nullish(), offset: Offset.nullish() })
  .strict();

export const AssistantLatest = z.object({ version: z.number().int().min(1) }).strict();
