import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CliEnvironment } from "./env.js";

/**
 * The chat model configured in the environment. Throws ConfigurationError
 * naming the variables when they are missing, before anything is opened.
 */
export async function chatModelFromEnvironment(env: CliEnvironment): Promise<BaseChatModel> {
  const settings = env.model();
  // Loaded on demand: the OpenAI client is heavy and only model graphs need it.
  const { createChatModel } = await import("../models/openai.js");
  return createChatModel(settings);
}
