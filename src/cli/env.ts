import type { DatabaseOptions } from "../db/open.js";
import { ConfigurationError } from "../errors.js";
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
   * Checkpointer settings (THREADLINE_SYNCHRONOUS_COMMIT); throws
   * ConfigurationError for a value it does not understand.
   */
  checkpoints: () => { synchronousCommit?: boolean };
}

const SWITCH: Record<string, boolean> = { on: true, true: true, "1": true, off: false, false: false, "0": false };

export function readEnvironment(env: NodeJS.ProcessEnv): CliEnvironment {
  const modelVariables: ModelVariables = {
    OPENAI_API_KEY: env.OPENAI_API_KEY,
    OPENAI_BASE_URL: env.OPENAI_BASE_URL,
    THREADLINE_MODEL: env.THREADLINE_MODEL,
    THREADLINE_TEMPERATURE: env.THREADLINE_TEMPERATURE,
  };
  return {
    database: () => ({
      url: env.DATABASE_URL || undefined,
      dataDir: env.THREADLINE_DATA_DIR || undefined,
      schema: env.THREADLINE_SCHEMA || undefined,
      connectTimeoutMs: milliseconds(env, "THREADLINE_CONNECT_TIMEOUT_MS"),
      statementTimeoutMs: milliseconds(env, "THREADLINE_STATEMENT_TIMEOUT_MS"),
    }),
    projectFile: env.THREADLINE_PROJECT || "langgraph.json",
    model: () => readModelEnvironment(modelVariables),
    checkpoints: () => {
      const raw = env.THREADLINE_SYNCHRONOUS_COMMIT?.trim().toLowerCase();
      if (!raw) return {};
      const synchronousCommit = SWITCH[raw];
      if (synchronousCommit === undefined) {
        throw new ConfigurationError(`THREADLINE_SYNCHRONOUS_COMMIT must be on or off, got "${env.THREADLINE_SYNCHRONOUS_COMMIT}"`);
      }
      return { synchronousCommit };
    },
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
