export type {
  AssembleInput,
  AssembledContext,
  ContextBudget,
  ContextOptions,
  HistoryStrategy,
  TokenCounter,
} from "./types.js";
export { assembleContext, RETRIEVED_HEADING, SUMMARY_HEADING } from "./assemble.js";
export { contextOptionsSchema, DEFAULT_CONTEXT_OPTIONS, parseContextOptions } from "./config.js";
export { summaryMaxTokens } from "./history.js";
export { prepareContext, type PrepareInput, type PreparedContext } from "./prepare.js";
export { significantTerms } from "./retrieve.js";
export { createQueryRewriter, type QueryRewriter, type RewriteModel } from "./rewrite.js";
export {
  datedLine,
  summariseSafely,
  transcript,
  type MessageDating,
  type SummariseParams,
  type SummaryModel,
  type SummaryResult,
} from "./summarise.js";
export {
  approximateTokenCounter,
  APPROX_CHARS_PER_TOKEN,
  createTokenCounter,
  encodingForModelName,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
} from "./tokens.js";
export { groupTurns, groupUnits, type DroppedMessage, type GroupedHistory, type MessageUnit, type Turn } from "./turns.js";
