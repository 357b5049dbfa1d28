import type { DatabaseOptions } from "../db/open.js";
import { ConfigurationError } from "../errors.js";
import type { Core } from "../core.js";
import type { Project } from "../graph/project.js";
import { readModelEnvironment, type ChatModelSettings, type ModelVariables } from "../models/config.js";

/** Everything the CLI takes from the environment, read once at the entrypoint. */
export interface CliEnvironment {
  /**
   * Where the database is and how long to wait for it (DATABASE_URL,
   * THREADLINE_DATA_DIR, THREADLINE_SCHEMA, THREADLINE_CONNECT_TIMEOUT_MS,
   * THREADLINE_STATEMENT_TIMEOUT_MS); throws ConfigurationError for a
   * malformed timeout, so a command reports it on one line.
   */
  database: () => DatabaseOptions;
  projectFile: string;
  /**
   * The chat model settings (OPENAI_API_KEY, OPENAI_BASE_URL,
   * THREADLINE_MODEL). Checked only when a command needs a model, so graphs
   * without one run with no model configured; throws ConfigurationError
   * naming the variables when they are missing.
   */
  model: () => ChatModelSettings;
  /**
   * The embeddings model of memory (THREADLINE_EMBEDDINGS: a model of the
   * chat model's OpenAI-compatible server), or undefined for search by
   * words alone. Read after the project's env is in, as the model is.
   */
  embeddingsModel: () => string | undefined;
  /**
   * Checkpointer settings (THREADLINE_SYNCHRONOUS_COMMIT); throws
   * ConfigurationError for a value it does not understand.
   */
  checkpoints: () => { synchronousCommit?: boolean };
  /**
   * Puts the project's `env` (langgraph.json) into the environment this was
   * read from (process.env for the CLI; see applyProjectEnv). Called once
   * the project file is read, before any graph module is imported.
   */
  applyProject: (project: Pick<Project, "env">) => void;
  /**
   * An open core to use instead of opening the database (and left open):
   * set when a command runs inside `threadline serve` for a CLI on the same
   * machine whose embedded database that server holds.
   */
  shared?: { core: Core; project: Project };
}

/**
 * Sets each variable of langgraph.json's `env` that `env` does not have:
 * what the process was started with wins, as with LangGraph's CLI. Call it
 * before any graph module is imported, since a module may read its
 * settings as it loads. Returns the names it set.
 *
 * @example
 * applyProjectEnv(await loadProject("langgraph.json"), process.env);
 */
export function applyProjectEnv(project: Pick<Project, "env">, env: NodeJS.ProcessEnv): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(project.env)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}

const SWITCH: Record<string, boolean> = { on: true, true: true, "1": true, off: false, false: false, "0": false };

export function readEnvironment(env: NodeJS.ProcessEnv): CliEnvironment {
  // The database settings are the process's own: a project's env never
  // changes them, so every command (checkpoints verify reads no project)
  // opens the same database the same way.
  const own = { ...env };
  return {
    database: () => ({
      url: own.DATABASE_URL || undefined,
      dataDir: own.THREADLINE_DATA_DIR || undefined,
      schema: own.THREADLINE_SCHEMA || undefined,
      connectTimeoutMs: milliseconds(own, "THREADLINE_CONNECT_TIMEOUT_MS"),
      statementTimeoutMs: milliseconds(own, "THREADLINE_STATEMENT_TIMEOUT_MS"),
    }),
    projectFile: env.THREADLINE_PROJECT || "langgraph.json",
    // Read when a command needs the model, after the project's env is in:
    // the model serves the graphs, so a key in their .env works.
    model: () => readModelEnvironment(modelVariables(env)),
    embeddingsModel: () => env.THREADLINE_EMBEDDINGS?.trim() || undefined,
    checkpoints: () => {
      const raw = own.THREADLINE_SYNCHRONOUS_COMMIT?.trim().toLowerCase();
      if (!raw) return {};
      const synchronousCommit = SWITCH[raw];
      if (synchronousCommit === undefined) {
        throw new ConfigurationError(`THREADLINE_SYNCHRONOUS_COMMIT must be on or off, got "${own.THREADLINE_SYNCHRONOUS_COMMIT}"`);
      }
      return { synchronousCommit };
    },
    applyProject: (project) => void applyProjectEnv(project, env),
  };
}

function modelVariables(env: NodeJS.ProcessEnv): ModelVariables {
  return {
    OPENAI_API_KEY: env.OPENAI_API_KEY,
    OPENAI_BASE_URL: env.OPENAI_BASE_URL,
    THREADLINE_MODEL: env.THREADLINE_MODEL,
    THREADLINE_TEMPERATURE: env.THREADLINE_TEMPERATURE,
  };
}

// Node timers and Postgres' statement_timeout both stop at 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 2_147_483_647;

function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_TIMEOUT_MS)) {
    throw new ConfigurationError(`${name} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${env[name]}"`);
  }
  return value;
}
