import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { ConfigurationError } from "../errors.js";
import type { Database } from "../db/database.js";

/**
 * What the runtime hands every node through LangGraph's run context
 * (`config.context`). It lives only for the run and is never checkpointed,
 * which is why services such as the database and the chat model travel here
 * and not in state.
 */
export interface ThreadlineContext {
  db: Database;
  /** The chat model agent graphs call; absent for graphs without an LLM. */
  chatModel?: BaseChatModel;
  /** Embeddings for archival memory search; absent means text search only. */
  embeddings?: EmbeddingsInterface;
}

function contextOf(config: LangGraphRunnableConfig): Partial<ThreadlineContext> | undefined {
  return config.context as Partial<ThreadlineContext> | undefined;
}

/** The run's database, or a clear error when a graph is run outside the runtime. */
export function databaseOf(config: LangGraphRunnableConfig): Database {
  const db = contextOf(config)?.db;
  if (!db) {
    throw new ConfigurationError("this graph needs a database in its run context ({ context: { db } }); run it through Threadline");
  }
  return db;
}

/** The run's chat model, or a clear error naming how to provide one. */
export function chatModelOf(config: LangGraphRunnableConfig): BaseChatModel {
  const model = contextOf(config)?.chatModel;
  if (!model) {
    throw new ConfigurationError(
      "this graph needs a chat model in its run context ({ context: { chatModel } }); the CLI configures one from OPENAI_API_KEY / OPENAI_BASE_URL / THREADLINE_MODEL",
    );
  }
  return model;
}

/** The run's embeddings, if any were configured. */
export function embeddingsOf(config: LangGraphRunnableConfig): EmbeddingsInterface | undefined {
  return contextOf(config)?.embeddings;
}
