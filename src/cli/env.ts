import type { DatabaseOptions } from "../db/open.js";

/** Everything the CLI takes from the environment, read once at the entrypoint. */
export interface CliEnvironment {
  database: DatabaseOptions;
  projectFile: string;
}

export function readEnvironment(env: NodeJS.ProcessEnv): CliEnvironment {
  return {
    database: {
      url: env.DATABASE_URL || undefined,
      dataDir: env.THREADLINE_DATA_DIR || undefined,
      schema: env.THREADLINE_SCHEMA || undefined,
    },
    projectFile: env.THREADLINE_PROJECT || "langgraph.json",
  };
}
