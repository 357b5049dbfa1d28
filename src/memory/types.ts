/**
 * The contracts of the memory layer (MemGPT-style: core blocks, recall,
 * archival). Every operation is scoped to one assistant and one user; the
 * scope comes from the run's config, never from model output.
 */
export interface MemoryScope {
  /** The assistant (graph) whose memory this is. */
  assistantId: string;
  /** The user who owns the threads and the memory (`configurable.user_id`). */
  userId: string;
}

// ---- core memory -----------------------------------------------------------

export interface CoreBlock {
  label: string;
  value: string;
  description: string;
  /** Maximum number of characters `value` may hold. */
  limit: number;
  readOnly: boolean;
  /** Optimistic-lock version: an edit names the version it read. */
  version: number;
  updatedAt: Date;
}

// ---- recall memory ---------------------------------------------------------

export type MessageRole = "user" | "assistant" | "tool" | "system";

export interface ToolCallRecord {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** One message of one thread, kept in recall memory until it is deleted. */
export interface RecallMessage {
  /** The LangChain message id; recording it again replaces the text only if it changed. */
  id: string;
  threadId: string;
  role: MessageRole;
  content: string;
  toolCalls?: ToolCallRecord[];
  /** For tool results: the id of the tool call they answer. */
  toolCallId?: string;
  createdAt: Date;
}

export interface RecallQuery {
  /** Full-text query; omitted means "most recent first". */
  query?: string;
  roles?: MessageRole[];
  startDate?: Date;
  endDate?: Date;
  /** Restrict to one thread; omitted means all of the user's threads. */
  threadId?: string;
  /** Page size (default 10, at most 100) and 0-based page number. */
  limit?: number;
  page?: number;
}

export interface RecallHit extends RecallMessage {
  /** Text-search rank (higher is better); 0 when no query was given. */
  rank: number;
}

export interface RecallPage {
  hits: RecallHit[];
  page: number;
  /** Whether another page exists after this one. */
  hasMore: boolean;
}

/** A relevance search of recall memory (RecallStore.relevant). */
export interface RelevantQuery {
  /** The words to rank by (their English stems; stopwords count for nothing). */
  text: string;
  /** Only this thread's messages; all of the scope's threads when absent. */
  threadId?: string;
  /** Messages to leave out (already in the context). */
  excludeIds?: readonly string[];
  /** The most hits returned (1-200, default 20). */
  limit?: number;
  /** Also return each hit's neighbouring messages in its thread. */
  neighbours?: boolean;
  /**
   * Text whose meaning the hits should share (the user's own words, before
   * stopwords go), compared by embedding when the store has an embeddings
   * provider; ignored without one.
   */
  similarTo?: string;
}

/** A relevant message with its fused score as `rank` (reciprocal rank over BM25 and, with embeddings, meaning), and its neighbours when asked for. */
export interface RelevantHit extends RecallHit {
  /** The user or assistant message just before it in its thread. */
  before?: RecallMessage;
  /** The user or assistant message just after it in its thread. */
  after?: RecallMessage;
  /** The one after that (the user's next message, when `after` is the reply to it). */
  afterThat?: RecallMessage;
}

/** What context assembly needs from recall memory: relevance search, nothing else. */
export interface RecallSearcher {
  /** Whether `relevant` also ranks by meaning (`similarTo`), not by words alone. */
  readonly semantic?: boolean;
  search(scope: MemoryScope, query: RecallQuery): Promise<RecallPage>;
  /** The user and assistant messages most relevant to `query.text`, best first, in one statement. */
  relevant(scope: MemoryScope, query: RelevantQuery): Promise<RelevantHit[]>;
}

// ---- archival memory -------------------------------------------------------

export interface Passage {
  id: string;
  content: string;
  tags: string[];
  createdAt: Date;
}

export interface ArchivalQuery {
  query: string;
  tags?: string[];
  /** With `tags`: "any" (default) matches passages with at least one of them, "all" with every one. */
  tagMatch?: "any" | "all";
  /** How many passages to return (default 5, at most 50). */
  topK?: number;
  startDate?: Date;
  endDate?: Date;
}

export interface ArchivalHit extends Passage {
  score: number;
}

/** Counts and times shown in the compiled system prompt's memory metadata. */
export interface MemoryStats {
  recallCount: number;
  archivalCount: number;
  /** Last edit of any core block, or undefined if never edited. */
  lastEditedAt?: Date;
}

// ---- additions of the memory layer ------------------------------------------

/** How a block is created: by default for every scope, or by the application. */
export interface CoreBlockDefinition {
  /** Lower-case letters, digits and underscores, starting with a letter. */
  label: string;
  /** Tells the model what belongs in the block; shown in the system prompt. */
  description: string;
  /** Maximum characters (Unicode code points) of the value. */
  limit: number;
  /** Read-only blocks are shown to the model but only the application edits them. Default false. */
  readOnly?: boolean;
  /** Initial value. Default "". */
  value?: string;
}

/** Options of an edit of a block's value. */
export interface BlockEditOptions {
  /**
   * The version the edit was computed from. When given and no longer current,
   * the edit fails with ConflictError instead of overwriting a newer value.
   */
  expectedVersion?: number;
}

/** What a recall append may say beyond the messages themselves. */
export interface RecallAppendOptions {
  /** Time to record for the messages (default: the database clock, increasing per message). */
  createdAt?: Date;
}

/** What a user's erasure removed, across every assistant. */
export interface MemoryErasure {
  blocks: number;
  messages: number;
  passages: number;
}
