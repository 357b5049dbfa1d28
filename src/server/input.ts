import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors.js";

/**
 * The request body as JSON, whatever its content type (LangGraph Studio
 * sends JSON as `text/plain`), checked against `schema`: 400 when it is not
 * JSON, 422 naming the first field the schema refuses. An empty body is `{}`.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ApiError(400, `the request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  return check(schema, raw, "body");
}

/** The query string checked against `schema` (422 naming the parameter it refuses). */
export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return check(schema, c.req.query(), "query");
}

export function check<S extends z.ZodType>(schema: S, raw: unknown, where: "body" | "query"): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${[...issue.path, k].join(".")}"`).join(", ");
    throw new ApiError(422, `${where === "body" ? "field" : "parameter"}${issue.keys.length > 1 ? "s" : ""} ${keys} not supported`);
  }
  const path = issue.path.length ? issue.path.join(".") : where;
  throw new ApiError(422, `invalid ${where === "body" ? "request body" : "query"}: ${path}: ${issue.message}`);
}
