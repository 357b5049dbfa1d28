export { AssistantService, SYSTEM_ASSISTANT_NAMESPACE, systemAssistantId } from "./service.js";
export type { Assistant, AssistantFields, AssistantSearch, AssistantSortBy, AssistantVersion } from "./service.js";
