import { Hono } from "hono";
import type { AuthVariables } from "./auth.js";

/** The environment of every route: `c.var.auth` is who the request acts for. */
export type ApiEnv = { Variables: AuthVariables };

export function router(): Hono<ApiEnv> {
  return new Hono<ApiEnv>();
}

/** Sets LangGraph's pagination headers of a page of `count` items from `offset`. */
export function paginate(c: { header(name: string, value: string): void }, offset: number, limit: number, count: number): void {
  if (count === limit) {
    c.header("X-Pagination-Next", String(offset + count));
    c.header("X-Pagination-Total", String(offset + count + 1));
  } else {
    c.header("X-Pagination-Total", String(offset + count));
  }
}
