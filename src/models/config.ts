import { ConfigurationError } from "../errors.js";

/** The model used when `THREADLINE_MODEL` is not set. */
export const DEFAULT_MODEL = "gpt-4o-mini";

export interface ChatModelSettings {
  /** Required by api.openai.com; optional when `baseURL` points at another server. */
  apiKey?: string;
  /** Any OpenAI-compatible endpoint, e.g. `http://localhost:11434/v1` for Ollama. */
  baseURL?: string;
  model: string;
  temperature?: number;
}

/** The environment variables the chat model is configured from. */
export type ModelVariables = Partial<Record<"OPENAI_API_KEY" | "OPENAI_BASE_URL" | "THREADLINE_MODEL" | "THREADLINE_TEMPERATURE", string>>;

/**
 * Reads the chat model settings from environment variables; throws a
 * ConfigurationError naming the variables when neither a key nor a base URL
 * is set. Call it from an entrypoint only.
 *
 * @example
 * const model = createChatModel(readModelEnvironment(process.env));
 */
export function readModelEnvironment(env: ModelVariables): ChatModelSettings {
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  if (!apiKey && !baseURL) {
    throw new ConfigurationError(
      "no chat model configured: set OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama or vLLM; THREADLINE_MODEL picks the model (default " +
        DEFAULT_MODEL +
        ")",
    );
  }
  if (baseURL && !/^https?:\/\/[^\s/]+/i.test(baseURL)) {
    throw new ConfigurationError(`OPENAI_BASE_URL must be an http(s) URL, not "${baseURL}"`);
  }
  const model = env.THREADLINE_MODEL?.trim() || DEFAULT_MODEL;
  const rawTemperature = env.THREADLINE_TEMPERATURE?.trim();
  let temperature: number | undefined;
  if (rawTemperature) {
    temperature = Number(rawTemperature);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
      throw new ConfigurationError(`THREADLINE_TEMPERATURE must be a number from 0 to 2, not "${rawTemperature}"`);
    }
  }
  return { apiKey, baseURL, model, temperature };
}

/** The model name a chat model reports, for picking a token counter. */
export function modelNameOf(model: unknown): string {
  const m = model as { model?: unknown; modelName?: unknown } | undefined;
  if (typeof m?.model === "string") return m.model;
  if (typeof m?.modelName === "string") return m.modelName;
  return "unknown";
}
