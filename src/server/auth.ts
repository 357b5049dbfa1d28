import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ANONYMOUS_OWNER, ownerOf } from "../owners.js";
import { ConfigurationError } from "../errors.js";
import { ApiError } from "./errors.js";

/** The authenticated user as an `Auth` handler returned it, normalised as LangGraph's server does. */
export interface AuthUser {
  identity: string;
  display_name: string;
  is_authenticated: boolean;
  permissions: string[];
  [key: string]: unknown;
}

/** What `@langchain/langgraph-sdk/auth`'s `Auth` keeps: the authenticate callback and the resource handlers. */
export interface AuthHandlers {
  authenticate?: (request: Request) => unknown;
  callbacks?: Record<string, (args: Record<string, unknown>) => unknown>;
}

/** Metadata conditions a resource handler returned: equality, `$eq` or `$contains`. */
export type AuthFilters = Record<string, unknown>;

/** Who a request acts for, and how to ask the handlers about each thing it does. */
export interface RequestAuth {
  /** The owner of everything the request creates and the only one whose records it sees. */
  owner: string;
  /** Whether handlers decide anything (an `Auth` is configured); without, `authorize` allows all. */
  checked: boolean;
  user?: AuthUser;
  /**
   * Asks the handler of `event` (e.g. "threads:create") about `value`,
   * which it may change in place (e.g. add an owner to `metadata`).
   * Returns its filters, or undefined when it allows without condition;
   * throws 403 when it refuses.
   */
  authorize(event: string, value: Record<string, unknown>): Promise<AuthFilters | undefined>;
}

export type AuthVariables = { auth: RequestAuth };

const OPEN: RequestAuth = { owner: ANONYMOUS_OWNER, checked: false, authorize: async () => undefined };

/**
 * Sets `c.var.auth` for every request: with no handlers, the anonymous
 * owner, allowed everything; with an `Auth` handler (langgraph.json's
 * `auth.path`), the user its `authenticate` returns (401 when it throws
 * without a status of its own), whose identity owns what the request makes.
 */
export function authMiddleware(handlers: AuthHandlers | undefined): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    if (!handlers) {
      c.set("auth", OPEN);
      return next();
    }
    // Studio asks /info (and clients /ok) before they have credentials, as LangGraph's server allows.
    if (c.req.method === "OPTIONS" || ((c.req.path === "/info" || c.req.path === "/ok") && c.req.method === "GET")) {
      c.set("auth", OPEN);
      return next();
    }
    const user = handlers.authenticate ? await authenticate(handlers, c.req.raw) : undefined;
    c.set("auth", {
      owner: user ? ownerOfIdentity(user.identity) : ANONYMOUS_OWNER,
      checked: true,
      ...(user ? { user } : {}),
      authorize: (event, value) => authorize(handlers, user, event, value),
    });
    return next();
  };
}

async function authenticate(handlers: AuthHandlers, request: Request): Promise<AuthUser> {
  let result: unknown;
  try {
    result = await handlers.authenticate!(request);
  } catch (err) {
    throw refusal(err, 401);
  }
  if (typeof result === "string") return { identity: result, display_name: result, is_authenticated: true, permissions: [] };
  if (result && typeof result === "object" && typeof (result as { identity?: unknown }).identity === "string") {
    const r = result as Record<string, unknown> & { identity: string };
    const permissions = Array.isArray(r.permissions) ? (r.permissions as string[]) : [];
    return { ...r, permissions, is_authenticated: r.is_authenticated !== false, display_name: typeof r.display_name === "string" ? r.display_name : r.identity };
  }
  throw new ApiError(500, "the auth handler's authenticate returned neither a string nor an object with an identity");
}

async function authorize(handlers: AuthHandlers, user: AuthUser | undefined, event: string, value: Record<string, unknown>): Promise<AuthFilters | undefined> {
  const [resource, action] = event.split(":") as [string, string];
  const callbacks = handlers.callbacks ?? {};
  const key = [event, resource, `*:${action}`, "*"].find((k) => Object.hasOwn(callbacks, k));
  if (!key) return undefined;
  let result: unknown;
  try {
    result = await callbacks[key]!({ event, resource, action, value, user, permissions: user?.permissions ?? [] });
  } catch (err) {
    throw refusal(err, 403);
  }
  if (result === undefined || result === null || result === true) return undefined;
  if (result === false) throw new ApiError(403, `not allowed to ${action} ${resource}`);
  if (typeof result !== "object" || Array.isArray(result)) {
    throw new ApiError(500, `the auth handler for ${event} returned ${typeof result}; expected filters, a boolean or nothing`);
  }
  return result as AuthFilters;
}

// The SDK's HTTPException carries its status (and headers); anything else
// a handler throws refuses the request with `fallback`.
function refusal(err: unknown, fallback: number): ApiError {
  const e = err as { status?: unknown; message?: unknown; headers?: unknown } | null;
  const status = typeof e?.status === "number" && e.status >= 400 && e.status < 600 ? e.status : fallback;
  const message = typeof e?.message === "string" && e.message ? e.message : fallback === 401 ? "unauthorized" : "forbidden";
  const headers = e?.headers && typeof e.headers === "object" ? Object.fromEntries(Object.entries(e.headers as object).map(([k, v]) => [k, String(v)])) : {};
  return new ApiError(status, message, headers);
}

/**
 * The owner of an authenticated identity: the identity itself when it is a
 * valid user id, else (an OAuth subject such as "auth0|123", a long one) a
 * digest of it, so every identity owns its records and no two share them.
 */
export function ownerOfIdentity(identity: string): string {
  try {
    return ownerOf(identity);
  } catch {
    return `id:${createHash("sha256").update(identity).digest("base64url")}`;
  }
}

/** Whether `metadata` meets the handler's filters. */
export function meetsFilters(metadata: Record<string, unknown> | null | undefined, filters: AuthFilters | undefined): boolean {
  if (!filters) return true;
  for (const [key, condition] of Object.entries(filters)) {
    const actual = metadata?.[key];
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      const c = condition as { $eq?: unknown; $contains?: unknown };
      if ("$eq" in c && !sameJson(actual, c.$eq)) return false;
      if ("$contains" in c) {
        if (!Array.isArray(actual)) return false;
        const wanted = Array.isArray(c.$contains) ? c.$contains : [c.$contains];
        if (!wanted.every((w) => actual.some((a) => sameJson(a, w)))) return false;
      }
    } else if (!sameJson(actual, condition)) {
      return false;
    }
  }
  return true;
}

/**
 * The filters as one JSON containment condition on metadata, to merge into
 * a search: null when they cannot all hold together with `query`.
 */
export function filtersAsContainment(filters: AuthFilters | undefined, query: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const out: Record<string, unknown> = { ...query };
  for (const [key, condition] of Object.entries(filters ?? {})) {
    let wanted: unknown = condition;
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      const c = condition as { $eq?: unknown; $contains?: unknown };
      wanted = "$eq" in c ? c.$eq : Array.isArray(c.$contains) ? c.$contains : [c.$contains];
    }
    if (key in out && !sameJson(out[key], wanted)) {
      if (!(Array.isArray(out[key]) && Array.isArray(wanted))) return null;
      wanted = [...new Set([...(out[key] as unknown[]), ...wanted].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v));
    }
    out[key] = wanted;
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks that langgraph.json's `auth.path` export is an `Auth` of `@langchain/langgraph-sdk/auth`. */
export function authHandlersOf(value: unknown, where: string): AuthHandlers {
  const cache = (value as { "~handlerCache"?: unknown } | null)?.["~handlerCache"];
  if (!cache || typeof cache !== "object") {
    throw new ConfigurationError(`${where} is not an Auth of @langchain/langgraph-sdk/auth (new Auth().authenticate(...))`);
  }
  return cache as AuthHandlers;
}
