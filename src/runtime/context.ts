import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { ConfigurationError } from "../errors.js";
import type { Database } from "../db/database.js";

/**
 * What the runtime hands every node through LangGraph's run context
 * (`config.context`). It lives only for the run and is never checkpointed,
 * which is why services such as the database travel here and not in state.
 */
export interface ThreadlineContext {
  db: Database;
}

/** The run's database, or a clear error when a graph is run outside the runtime. */
export function databaseOf(config: LangGraphRunnableConfig): Database {
  const db = (config.context as Partial<ThreadlineContext> | undefined)?.db;
  if (!db) {
    throw new ConfigurationError("this graph needs a database in its run context ({ context: { db } }); run it through Threadline");
  }
  return db;
}
