import { randomUUID } from "node:crypto";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Database } from "../db/database.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { assertDate, assertScope } from "./scope.js";
import { ARCHIVAL_SQL } from "./sql.js";
import { anyWordQuery } from "./text-query.js";
import type { ArchivalHit, ArchivalQuery, MemoryScope, Passage } from "./types.js";
import { normalizeEmbedding, reciprocalRankFusion, type VectorMode } from "./vector.js";

export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 50;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 64;
// Each ranking contributes this many candidates to the fusion, so a passage
// found by only one of them can still make the top k.
const MIN_CANDIDATES = 20;

export interface ArchivalStoreOptions {
  /** OpenAI-compatible (or any LangChain) embeddings; without it, search is text-only. */
  embeddings?: EmbeddingsInterface;
  /** How embeddings are compared (see `ensureVectorSupport`). Default "exact". */
  vectorMode?: VectorMode;
}

export interface PassageInsertOptions {
  tags?: string[];
  /** Time to record (default: now). */
  createdAt?: Date;
}

/**
 * Archival memory: unbounded passages with tags, searchable by text rank and,
 * with an embeddings provider, by cosine similarity fused with the text rank
 * (reciprocal rank fusion).
 *
 * @example
 * const archival = new ArchivalStore(db, { embeddings, vectorMode: await ensureVectorSupport(db) });
 * await archival.insert(scope, "Ada's flight to Lisbon is on 3 May", { tags: ["travel"] });
 * const hits = await archival.search(scope, { query: "when does Ada travel?" });
 */
export class ArchivalStore {
  readonly vectorMode: VectorMode;
  private readonly embeddings?: EmbeddingsInterface;

  constructor(
    private readonly db: Pick<Database, "pool">,
    options: ArchivalStoreOptions = {},
  ) {
    this.vectorMode = options.vectorMode ?? "exact";
    if (options.embeddings) this.embeddings = options.embeddings;
  }

  /** Whether searches use vector similarity (an embeddings provider is configured). */
  get semantic(): boolean {
    return this.embeddings !== undefined;
  }

  /** Stores a passage, with its embedding when a provider is configured. */
  async insert(scope: MemoryScope, content: string, options: PassageInsertOptions = {}): Promise<Passage> {
    assertScope(scope);
    if (content.trim() === "") throw new InvalidInputError("content is empty; pass the text to remember");
    const tags = normalizeTags(options.tags);
    const createdAt = options.createdAt ? assertDate(options.createdAt, "createdAt") : null;
    let embedding: number[] | null = null;
    if (this.embeddings) {
      const [vector] = await this.embeddings.embedDocuments([content]);
      embedding = (vector && normalizeEmbedding(vector)) ?? null;
    }
    const { rows } = await this.db.pool.query<Passage>(ARCHIVAL_SQL.insert, [
      scope.assistantId,
      scope.userId,
      randomUUID(),
      content,
      tags,
      embedding,
      createdAt,
    ]);
    return rows[0]!;
  }

  /** How many passages the scope has. */
  async count(scope: MemoryScope): Promise<number> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<{ n: number }>(ARCHIVAL_SQL.count, [scope.assistantId, scope.userId]);
    return rows[0]?.n ?? 0;
  }

  /** Deletes one of the scope's passages; NotFoundError when the scope has no passage with that id. */
  async delete(scope: MemoryScope, passageId: string): Promise<void> {
    assertScope(scope);
    const { rowCount } = await this.db.pool.query(ARCHIVAL_SQL.delete, [scope.assistantId, scope.userId, passageId]);
    if (!rowCount) throw new NotFoundError(`there is no archival passage "${passageId}"`);
  }

  /**
   * The best `topK` passages for the query. Without embeddings `score` is the
   * text rank; with them it is the fused reciprocal-rank score, and passages
   * that share no word with the query can still be found by meaning.
   */
  async search(scope: MemoryScope, query: ArchivalQuery): Promise<ArchivalHit[]> {
    assertScope(scope);
    const text = query.query?.trim();
    if (!text) throw new InvalidInputError("query is empty; describe what to look for");
    const topK = query.topK ?? DEFAULT_TOP_K;
    if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
      throw new InvalidInputError(`top_k must be an integer from 1 to ${MAX_TOP_K}, got ${topK}`);
    }
    const tags = query.tags?.length ? normalizeTags(query.tags) : null;
    const start = query.startDate ? assertDate(query.startDate, "startDate") : null;
    const end = query.endDate ? assertDate(query.endDate, "endDate") : null;
    if (start && end && start > end) throw new InvalidInputError("start_date is after end_date");
    const filters = [tags, query.tagMatch === "all", start, end];
    const scoped = [scope.assistantId, scope.userId];

    if (!this.embeddings) {
      const { rows } = await this.db.pool.query<ArchivalHit>(ARCHIVAL_SQL.searchText, [...scoped, text, ...filters, topK, anyWordQuery(text)]);
      return rows;
    }
    const vector = normalizeEmbedding(await this.embeddings.embedQuery(text));
    const candidates = Math.max(topK * 4, MIN_CANDIDATES);
    const [byText, byVector] = await Promise.all([
      this.db.pool.query<ArchivalHit>(ARCHIVAL_SQL.searchText, [...scoped, text, ...filters, candidates, anyWordQuery(text)]),
      vector
        ? this.db.pool.query<ArchivalHit>(
            this.vectorMode === "pgvector" ? ARCHIVAL_SQL.searchPgvector : ARCHIVAL_SQL.searchExact,
            [...scoped, vector, ...filters, candidates],
          )
        : Promise.resolve({ rows: [] as ArchivalHit[] }),
    ]);
    const passages = new Map<string, Passage>();
    for (const row of [...byText.rows, ...byVector.rows]) passages.set(row.id, row);
    const fused = reciprocalRankFusion([byVector.rows.map((r) => r.id), byText.rows.map((r) => r.id)]);
    return [...fused].slice(0, topK).map(([id, score]) => {
      const p = passages.get(id)!;
      return { id, content: p.content, tags: p.tags, createdAt: p.createdAt, score };
    });
  }
}

/** Tags are trimmed, lower-cased and de-duplicated, so "Travel" finds "travel". */
export function normalizeTags(tags: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const tag of tags ?? []) {
    if (typeof tag !== "string") throw new InvalidInputError("tags must be strings");
    const t = tag.trim().toLowerCase();
    if (t === "") continue;
    if (t.length > MAX_TAG_LENGTH) throw new InvalidInputError(`tag "${t.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`);
    out.add(t);
  }
  if (out.size > MAX_TAGS) throw new InvalidInputError(`at most ${MAX_TAGS} tags, got ${out.size}`);
  return [...out];
}
