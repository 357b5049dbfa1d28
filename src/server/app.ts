import { Hono } from "hono";
import { cors } from "hono/cors";
import type { Core } from "../core.js";
import type { Run } from "../runs/service.js";
import type { ApiEnv } from "./api.js";
import { authMiddleware, type AuthHandlers } from "./auth.js";
import { ApiError, errorResponse } from "./errors.js";
import { assistantRoutes } from "./routes/assistants.js";
import { cliRoutes, type CliForwarding } from "./routes/cli.js";
import { metaRoutes } from "./routes/meta.js";
import { runRoutes } from "./routes/runs.js";
import { storeRoutes } from "./routes/store.js";
import { threadRoutes } from "./routes/threads.js";

/** CORS as langgraph.json's `http.cors` configures it. */
export interface CorsConfig {
  allow_origins?: string[];
  allow_origin_regex?: string;
  allow_methods?: string[];
  allow_headers?: string[];
  allow_credentials?: boolean;
  expose_headers?: string[];
  max_age?: number;
}

export interface AppOptions {
  core: Core;
  /** An `Auth` of `@langchain/langgraph-sdk/auth` (langgraph.json's `auth.path`). */
  auth?: AuthHandlers;
  /** The user's own Hono app (langgraph.json's `http.app`): its routes come first, its middleware runs for ours too. */
  userApp?: Hono<any>;
  /** Default: any origin. */
  cors?: CorsConfig;
  /** Called when a run is created, so this process's worker takes it at once. */
  wake?: (run: Run) => void;
  /** Whether this process's worker has a loop free (then new runs start here, already claimed). */
  free?: () => boolean;
  /** Where unexpected errors go. */
  log?: (err: unknown) => void;
  /** Runs CLI commands for a CLI on this machine (see routes/cli.ts); only a server holding an embedded database offers it. */
  cli?: CliForwarding;
}

/** Headers a browser client must be able to read. */
const EXPOSED = ["content-location", "location", "x-pagination-total", "x-pagination-next"];

/**
 * The LangGraph API over the core, as a Hono app: testable in-process with
 * `app.request(...)` before any port is opened. Bodies are checked with zod
 * at the edge; the core's typed errors become JSON errors with their status
 * here and nowhere else.
 *
 * @example
 * const app = createApp({ core });
 * const res = await app.request("/assistants/search", { method: "POST", body: "{}" });
 */
export function createApp(options: AppOptions): Hono<ApiEnv> {
  const { core } = options;
  const log = options.log ?? ((err: unknown) => console.error(err));
  const app = new Hono<ApiEnv>();
  app.use("*", corsOf(options.cors));
  app.onError((err, c) => errorResponse(c, err, log));
  app.notFound((c) => errorResponse(c, new ApiError(404, `no route ${c.req.method} ${c.req.path}`), log));
  // The CLI's own route has its own secret: a project's Auth handler never sees it.
  if (options.cli) app.route("/", cliRoutes(options.cli));
  app.use("*", authMiddleware(options.auth));
  if (options.userApp) app.route("/", options.userApp);
  app.route("/", metaRoutes());
  app.route("/", assistantRoutes(core));
  app.route("/", threadRoutes(core));
  app.route("/", runRoutes(core, { wake: options.wake ?? (() => undefined), free: options.free ?? (() => false), log }));
  app.route("/", storeRoutes(core));
  return app;
}

function corsOf(config: CorsConfig | undefined) {
  if (!config) return cors({ origin: "*", exposeHeaders: EXPOSED });
  const regex = config.allow_origin_regex ? new RegExp(config.allow_origin_regex) : undefined;
  return cors({
    origin: regex ? (origin) => (regex.test(origin) ? origin : undefined) : (config.allow_origins ?? "*"),
    exposeHeaders: [...new Set([...(config.expose_headers ?? []), ...EXPOSED])],
    ...(config.allow_methods ? { allowMethods: config.allow_methods } : {}),
    ...(config.allow_headers ? { allowHeaders: config.allow_headers } : {}),
    ...(config.allow_credentials !== undefined ? { credentials: config.allow_credentials } : {}),
    ...(config.max_age !== undefined ? { maxAge: config.max_age } : {}),
  });
}
