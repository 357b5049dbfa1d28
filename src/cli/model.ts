import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CliEnvironment } from "./env.js";

/** What a graph run's models need from the environment: the chat model, and memory's embeddings when configured. */
export interface ModelServices {
  chatModel: BaseChatModel;
  embeddings?: EmbeddingsInterface;
}

/**
 * The chat model configured in the environment and, with
 * THREADLINE_EMBEDDINGS, an embeddings model of the same OpenAI-compatible
 * server (recall and archival search then rank by meaning too). Throws
 * ConfigurationError naming the variables when they are missing, before
 * anything is opened.
 */
export async function modelServicesFromEnvironment(env: CliEnvironment): Promise<ModelServices> {
  const settings = env.model();
  // Loaded on demand: the OpenAI client is heavy and only model graphs need it.
  const { createChatModel, createEmbeddings } = await import("../models/openai.js");
  const embeddingsModel = env.embeddingsModel();
  return { chatModel: createChatModel(settings), ...(embeddingsModel ? { embeddings: createEmbeddings(settings, embeddingsModel) } : {}) };
}
