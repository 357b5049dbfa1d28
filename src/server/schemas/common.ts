import { z } from "zod";

/** A JSON object (metadata, values filters, config sections). */
export const JsonObject = z.record(z.string(), z.unknown());

export const Limit = z.number().int().min(1).max(1000);
export const Offset = z.number().int().min(0);
export const SortOrder = z.enum(["asc", "desc"]);
export const Select = z.array(z.string().min(1));

/** A checkpoint reference as the API writes it. */
export const CheckpointRef = z
  .object({
    checkpoint_id: z.string().min(1).nullish(),
    checkpoint_ns: z.string().nullish(),
    checkpoint_map: JsonObject.nullish(),
    thread_id: z.string().nullish(),
  })
  .strict();

/** A boolean in a query string: true, 1 and yes (any case) are true. */
export const QueryBoolean = z
  .string()
  .transform((value) => ["true", "1", "yes"].includes(value.toLowerCase()));

/** A whole number in a query string. */
export const QueryInt = z
  .string()
  .regex(/^\d+$/, "expected a whole number")
  .transform((value) => Number(value));

/** Drops the keys whose value is null or undefined (clients send either for "not given"). */
export function given<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

/** Keeps only the selected top-level fields of each object, when a selection is given. */
export function selected<T extends object>(items: T[], select: string[] | undefined): Partial<T>[] {
  if (!select?.length) return items;
  return items.map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => select.includes(key))) as Partial<T>);
}
