export { DEFAULT_MODEL, modelNameOf, readModelEnvironment, type ChatModelSettings, type ModelVariables } from "./config.js";
export { createChatModel } from "./openai.js";
