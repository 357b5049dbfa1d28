import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Database } from "../db/database.js";
import type { RecallRecord } from "./messages.js";
import { RECALL_SQL } from "./sql.js";
import type { MemoryScope } from "./types.js";
import { normalizeEmbedding } from "./vector.js";

/** What a recorded message carries when it was embedded. */
export interface EmbeddedRecord {
  /** Unit-length. */
  embedding: number[];
  /** Its sign bits (see `signBits`). */
  sketch: string;
}

/**
 * Recall memory's side of an embeddings provider: the embeddings of the
 * messages a scope records and of the queries it searches with, and what to
 * do when the provider fails. Messages are recorded all the same, without an
 * embedding; once the provider answers again, the scope catches up, and so
 * does one whose messages were recorded before this process started. A
 * message the provider refuses on its own is marked so that it is not asked
 * for again.
 */
export class RecallEmbedder {
  private readonly onEmbeddingError: (err: unknown) => void;

  constructor(
    private readonly db: Pick<Database, "pool">,
    private readonly embeddings: EmbeddingsInterface,
    onEmbeddingError?: (err: unknown) => void,
  ) {
    this.onEmbeddingError = onEmbeddingError ?? this.warnOncePerOutage;
  }

  /**
   * The records, each user and assistant message with text given its
   * embedding and sign bits when the provider answers. A scope whose
   * messages were recorded without one catches up (a batch per recording)
   * once it answers.
   */
  async embed<T extends RecallRecord>(scope: MemoryScope, records: T[]): Promise<(T & Partial<EmbeddedRecord>)[]> {
    const targets = records.filter((r) => (r.role === "user" || r.role === "assistant") && r.content.trim());
    if (targets.length === 0) return records;
    const key = JSON.stringify([scope.assistantId, scope.userId]);
    let vectors: number[][];
    try {
      vectors = await this.embeddings.embedDocuments(targets.map((r) => embeddingInput(r.content)));
      this.outage = false;
    } catch (err) {
      this.behind.add(key);
      this.onEmbeddingError(err);
      return records;
    }
    // A scope's first recording in this process looks for messages recorded
    // before (with no provider, or in an outage before a restart).
    if (!this.checked.has(key)) {
      this.checked.add(key);
      this.behind.add(key);
    }
    if (this.behind.has(key)) await this.catchUp(scope, key);
    const byRecord = new Map<T, number[]>();
    targets.forEach((r, i) => {
      const vector = vectors[i] && normalizeEmbedding(vectors[i]);
      if (vector) byRecord.set(r, vector);
    });
    return records.map((r) => (byRecord.has(r) ? { ...r, embedding: byRecord.get(r)!, sketch: signBits(byRecord.get(r)!) } : r));
  }

  // Scopes (by key) that may have messages without an embedding, and those
  // this process has looked at since it started.
  private readonly behind = new Set<string>();
  private readonly checked = new Set<string>();

  private async catchUp(scope: MemoryScope, key: string): Promise<void> {
    const { rows } = await this.db.pool.query<{ threadId: string; id: string; content: string }>(RECALL_SQL.unembedded, [
      scope.assistantId,
      scope.userId,
      CATCH_UP_BATCH,
    ]);
    if (rows.length < CATCH_UP_BATCH) this.behind.delete(key);
    if (rows.length === 0) return;
    const embeddings = this.embeddings;
    let vectors: (number[] | undefined)[];
    try {
      vectors = await embeddings.embedDocuments(rows.map((r) => embeddingInput(r.content)));
    } catch (err) {
      // The provider answered for this step's messages, so one of these is
      // what it refuses: each is asked for alone, and those refused are
      // marked so that no later step asks again.
      let failure: unknown = err;
      vectors = await Promise.all(
        rows.map((r) =>
          embeddings.embedDocuments([embeddingInput(r.content)]).then(
            ([vector]) => vector,
            (itemErr: unknown) => {
              failure = itemErr;
              return undefined;
            },
          ),
        ),
      );
      if (vectors.every((v) => v === undefined)) {
        // Down again after all: the scope catches up after its next failure.
        this.behind.delete(key);
        this.onEmbeddingError(failure);
        return;
      }
    }
    const docs = rows.map((r, i) => {
      const embedding = vectors[i] && normalizeEmbedding(vectors[i]);
      return embedding ? { ...r, embedding, sketch: signBits(embedding) } : r;
    });
    await this.db.pool.query(RECALL_SQL.setEmbeddings, [scope.assistantId, scope.userId, JSON.stringify(docs)]);
  }

  // Every model call of a turn searches with the same user message: one
  // embedding serves them all (the last 64 texts are remembered).
  private readonly queryVectors = new Map<string, Promise<number[] | undefined>>();

  /** The unit-length embedding of a query, or undefined when the provider fails (reported). */
  query(text: string): Promise<number[] | undefined> {
    let vector = this.queryVectors.get(text);
    if (!vector) {
      vector = this.embeddings.embedQuery(embeddingInput(text)).then(
        (raw) => {
          this.outage = false;
          return normalizeEmbedding(raw);
        },
        (err: unknown) => {
          this.queryVectors.delete(text);
          this.onEmbeddingError(err);
          return undefined;
        },
      );
      this.queryVectors.set(text, vector);
      if (this.queryVectors.size > REMEMBERED_QUERIES) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    }
    return vector;
  }

  private outage = false;

  private readonly warnOncePerOutage = (err: unknown): void => {
    if (this.outage) return;
    this.outage = true;
    const reason = err instanceof Error ? err.message : String(err);
    process.emitWarning(`recall memory: the embeddings provider failed (${reason}); words alone rank until it answers`, { code: "THREADLINE_EMBEDDINGS" });
  };
}

/**
 * What is embedded of a message: its beginning, which carries its subject,
 * up to a length every common embeddings model accepts (8,191 tokens for
 * OpenAI's; a token is at least a character or two of English).
 */
const MAX_EMBEDDED_CHARS = 8_000;

/** An embedding's sign bits, as a bit string ("0110…"): what narrows the candidates of a search by meaning. */
export function signBits(vector: readonly number[]): string {
  return vector.map((x) => (x > 0 ? "1" : "0")).join("");
}

function embeddingInput(text: string): string {
  return text.length > MAX_EMBEDDED_CHARS ? text.slice(0, MAX_EMBEDDED_CHARS) : text;
}

const REMEMBERED_QUERIES = 64;

/** Messages embedded late per recording, while a scope catches up. */
const CATCH_UP_BATCH = 50;
