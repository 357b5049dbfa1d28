import type { DatabaseOptions } from "../db/open.js";
import { ConfigurationError } from "../errors.js";
import { readModelEnvironment, type ChatModelSettings, type ModelVariables } from "../models/config.js";

/** Everything the CLI takes from the environment, read once at the entrypoint. */
export interface CliEnvironment {
  database: DatabaseOptions;
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
    database: {
      url: env.DATABASE_URL || undefined,
      dataDir: env.THREADLINE_DATA_DIR || undefined,
      schema: env.THREADLINE_SCHEMA || undefined,
    },
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
