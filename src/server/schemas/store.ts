import { z } from "zod";
import { JsonObject } from "./common.js";

const Namespace = z.array(z.string().min(1).regex(/^[^.]*$/, "namespace labels may not contain '.'"));

export const StorePut = z
  .object({
    namespace: Namespace.min(1),
    key: z.string().min(1),
    value: JsonObject,
    index: z.union([z.literal(false), z.array(z.string())]).nullish(),
    ttl: z.number().positive().nullish(),
  })
  .strict();

export const StoreDelete = z.object({ namespace: Namespace.nullish(), key: z.string().min(1) }).strict();

export const StoreSearch = z
  .object({
    namespace_prefix: Namespace,
    filter: JsonObject.nullish(),
    limit: z.number().int().min(1).max(1000).nullish(),
    offset: z.number().int().min(0).nullish(),
    query: z.string().nullish(),
    refresh_ttl: z.boolean().nullish(),
  })
  .strict();

export const StoreNamespaces = z
  .object({
    prefix: Namespace.nullish(),
    suffix: Namespace.nullish(),
    max_depth: z.number().int().min(1).nullish(),
    limit: z.number().int().min(1).max(1000).nullish(),
    offset: z.number().int().min(0).nullish(),
  })
  .strict();

export const StoreGet = z
  .object({ namespace: z.string().optional(), key: z.string().min(1), refresh_ttl: z.string().optional() })
  .strict();
