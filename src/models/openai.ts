import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ConfigurationError } from "../errors.js";
import type { ChatModelSettings } from "./config.js";

export { DEFAULT_MODEL, modelNameOf, readModelEnvironment, type ChatModelSettings, type ModelVariables } from "./config.js";

// OpenAI-compatible local servers (Ollama, vLLM, llama.cpp) ignore the key,
// but the OpenAI client refuses to start without one.
const PLACEHOLDER_KEY = "threadline-no-key";

const EMBEDDING_RETRIES = 1;
const EMBEDDING_TIMEOUT_MS = 15_000;

/**
 * The chat model of an agent: ChatOpenAI against OpenAI or any
 * OpenAI-compatible server. It streams whenever the run streams messages
 * (LangGraph asks for it), so `streaming` stays off: with it on, every
 * non-streamed call would estimate usage with a tokenizer fetched over the
 * network instead of reading the usage the server reports.
 *
 * @example
 * const model = createChatModel({ baseURL: "http://localhost:11434/v1", model: "llama3.1" });
 */
export function createChatModel(settings: ChatModelSettings): BaseChatModel {
  if (!settings.apiKey && !settings.baseURL) {
    throw new ConfigurationError("the chat model needs an API key or the base URL of an OpenAI-compatible server");
  }
  return new ChatOpenAI({
    model: settings.model,
    apiKey: settings.apiKey || PLACEHOLDER_KEY,
    temperature: settings.temperature,
    configuration: settings.baseURL ? { baseURL: settings.baseURL } : undefined,
  });
}

/**
 * Embeddings of `model` from OpenAI or the OpenAI-compatible server of the
 * chat model's settings (its key and base URL).
 *
 * @example
 * const embeddings = createEmbeddings(settings, "text-embedding-3-small");
 */
export function createEmbeddings(settings: ChatModelSettings, model: string, dimensions?: number): EmbeddingsInterface {
  if (!model) throw new ConfigurationError('store.index.embed names no model; write "openai:<model>", e.g. "openai:text-embedding-3-small"');
  if (!settings.apiKey && !settings.baseURL) {
    throw new ConfigurationError("the store's embeddings need OPENAI_API_KEY or the OPENAI_BASE_URL of an OpenAI-compatible server");
  }
  return new OpenAIEmbeddings({
    model,
    apiKey: settings.apiKey || PLACEHOLDER_KEY,
    ...(dimensions ? { dimensions } : {}),
    // Plain numbers: a compatible server that ignores a request for base64
    // would otherwise have its floats decoded as base64, silently wrong.
    encodingFormat: "float",
    // Recording a step waits for its embeddings, and a failure only costs
    // search by meaning: one retry, not the client's six with backoff.
    maxRetries: EMBEDDING_RETRIES,
    timeout: EMBEDDING_TIMEOUT_MS,
    configuration: settings.baseURL ? { baseURL: settings.baseURL } : undefined,
  });
}
