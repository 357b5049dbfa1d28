import { ChatOpenAI } from "@langchain/openai";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ConfigurationError } from "../errors.js";
import type { ChatModelSettings } from "./config.js";

export { DEFAULT_MODEL, modelNameOf, readModelEnvironment, type ChatModelSettings, type ModelVariables } from "./config.js";

// OpenAI-compatible local servers (Ollama, vLLM, llama.cpp) ignore the key,
// but the OpenAI client refuses to start without one.
const PLACEHOLDER_KEY = "threadline-no-key";

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
