import { parseArgs } from "node:util";
import type { Hono } from "hono";
import { openCore, type Core } from "../core.js";
import { openDatabase } from "../db/open.js";
import { ConfigurationError } from "../errors.js";
import { loadExport } from "../graph/loader.js";
import { loadProject, loadableProject, type Project } from "../graph/project.js";
import { authHandlersOf } from "../server/auth.js";
import type { StoreIndex } from "../store/index.js";
import { startServer, type RunningServer } from "../server/serve.js";
import type { CliEnvironment } from "./env.js";
import type { CliIO } from "./io.js";
import { modelServicesFromEnvironment, type ModelServices } from "./model.js";
import { FORWARDED, announceServer, cliToken } from "./remote.js";
import { UsageError } from "./usage.js";

export const SERVE_USAGE = "threadline serve [--config langgraph.json] [--port 2024] [--host 127.0.0.1] [--workers 10] [--grace <seconds>]";

export interface ServeIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /**
   * Runs a CLI command with the given environment (main's own), for CLIs on
   * this machine while this server holds their embedded database.
   */
  runCli?: (argv: string[], env: CliEnvironment, io: CliIO) => Promise<number>;
  /** Aborted on SIGINT or SIGTERM: the server stops gracefully. */
  signal?: AbortSignal;
  /** Called once the server listens (tests take its URL from here). */
  onListening?: (server: RunningServer, core: Core) => void;
}

/**
 * Serves the project's graphs over the LangGraph API until the signal
 * aborts: stops taking requests and runs, lets the runs in progress finish
 * within the grace period, hands the rest back to the queue, and closes
 * the database.
 */
export async function serveCommand(argv: string[], env: CliEnvironment, io: ServeIO): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: "string", short: "c" },
      port: { type: "string", short: "p" },
      host: { type: "string" },
      workers: { type: "string" },
      grace: { type: "string" },
    },
  });
  if (positionals.length) throw new UsageError(`usage: ${SERVE_USAGE}`);
  const port = whole(values.port ?? "2024", "--port", 0, 65535);
  const concurrency = whole(values.workers ?? "10", "--workers", 1, 1000);
  const graceMs = whole(values.grace ?? "10", "--grace", 0, 86_400) * 1000;

  const project = await loadProject(values.config ?? env.projectFile);
  env.applyProject(project);
  const served = await loadableProject(project, (graphId, err) => io.err(`threadline serve: graph "${graphId}" is not served: ${err.message}`));
  const models = await modelFor(served, env, io);
  const userApp = project.http.app ? userAppOf(await loadExport("http.app", project.http.app), project.http.app.spec) : undefined;
  const auth = project.auth ? authHandlersOf(await loadExport("auth.path", project.auth), `auth.path "${project.auth.spec}"`) : undefined;

  const storeIndex = project.storeIndex ? await storeIndexOf(project.storeIndex, env) : undefined;
  const db = await openDatabase(env.database());
  let core: Core;
  try {
    // Without an auth handler every request acts for the anonymous owner, so
    // a run names the user a graph acts for itself, as on LangGraph's server.
    core = await openCore({
      db,
      project: served,
      checkpoints: env.checkpoints(),
      ...models,
      ...(storeIndex ? { storeIndex } : {}),
      anonymousRunsNameUser: !project.auth,
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  // An embedded database admits this process only: the CLI's commands on
  // this machine reach it through the server (see remote.ts).
  const embedded = db.kind === "pglite" && !db.location.startsWith("memory://");
  const token = cliToken();
  const shared = { ...env, shared: { core, project: served } };
  const cli = embedded && io.runCli
    ? {
        token,
        run: async (argv: string[], call: CliIO) => {
          if (!FORWARDED.has(argv[0] ?? "")) {
            call.err(`threadline: the embedded database is held by threadline serve, which runs only ${[...FORWARDED].join(", ")}; stop it for "${argv[0]}"`);
            return 2;
          }
          return io.runCli!(argv, shared, call);
        },
      }
    : undefined;
  let server: RunningServer;
  try {
    server = await startServer({
      ...(cli ? { cli } : {}),
      core,
      port,
      ...(values.host ? { host: values.host } : {}),
      concurrency,
      ...(auth ? { auth } : {}),
      ...(userApp ? { userApp } : {}),
      ...(project.http.cors ? { cors: project.http.cors } : {}),
      log: (err) => io.err(`threadline serve: ${(err as Error)?.stack ?? String(err)}`),
    });
  } catch (err) {
    await core.close();
    throw new ConfigurationError(`cannot listen on ${values.host ?? "127.0.0.1"}:${port}: ${(err as Error).message}; stop what uses it or choose another --port`);
  }
  io.out(`threadline serve: the LangGraph API for ${served.graphIds.join(", ") || "no graphs"} at ${server.url} (database: ${db.location})`);
  io.out(`LangGraph Studio: https://smith.langchain.com/studio/?baseUrl=${server.url}`);
  const withdraw = cli ? await announceServer(db.location, server.url, token) : undefined;
  io.onListening?.(server, core);
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  io.out("threadline serve: stopping (runs in progress get the grace period, then go back to the queue)");
  try {
    await withdraw?.();
    await server.close({ graceMs });
  } finally {
    await core.close();
  }
}

/**
 * The chat model (and memory's embeddings, when configured), when any served
 * graph needs one and the environment configures it; a graph needing one
 * without it is refused per run.
 */
async function modelFor(project: Project, env: CliEnvironment, io: ServeIO): Promise<Partial<ModelServices>> {
  const needing = [];
  for (const id of project.graphIds) if ((await project.load(id)).requiresChatModel) needing.push(id);
  if (!needing.length) return {};
  try {
    return await modelServicesFromEnvironment(env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    io.err(`threadline serve: runs of ${needing.map((g) => `"${g}"`).join(", ")} will be refused until a model is configured: ${err.message}`);
    return {};
  }
}

/**
 * The store's index of langgraph.json: "openai:<model>" embeds with OpenAI
 * (or the OpenAI-compatible server of OPENAI_BASE_URL); a module's export is
 * an `Embeddings` object or a function from texts to vectors.
 */
async function storeIndexOf(index: NonNullable<Project["storeIndex"]>, env: CliEnvironment): Promise<StoreIndex> {
  const fields = index.fields ? { fields: index.fields } : {};
  if (typeof index.embed === "string") {
    const { createEmbeddings } = await import("../models/openai.js");
    return { embeddings: createEmbeddings(env.model(), index.embed.slice("openai:".length), index.dims), ...fields };
  }
  const value = await loadExport("store.index.embed", index.embed);
  if (typeof (value as { embedDocuments?: unknown } | null)?.embedDocuments === "function") return { embeddings: value as StoreIndex["embeddings"], ...fields };
  if (typeof value !== "function") throw new ConfigurationError(`store.index.embed "${index.embed.spec}" is neither an Embeddings object nor a function of texts`);
  const embed = value as (texts: string[]) => number[][] | Promise<number[][]>;
  return {
    embeddings: { embedDocuments: async (texts) => embed(texts), embedQuery: async (text) => (await embed([text]))[0]! },
    ...fields,
  };
}

function userAppOf(value: unknown, spec: string): Hono {
  const app = value as { fetch?: unknown; route?: unknown } | null;
  if (typeof app?.fetch !== "function" || typeof app.route !== "function") {
    throw new ConfigurationError(`http.app "${spec}" is not a Hono app (new Hono() from "hono")`);
  }
  return app as Hono;
}

function whole(raw: string, flag: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}
