import { terms } from "./words.js";

/** Okapi BM25 parameters (the textbook defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface Bm25Doc {
  id: string;
  text: string;
  /** Tokens the document costs in a prompt (same counter as the strategies). */
  tokens: number;
}

/**
 * A textbook Okapi BM25 index over one conversation's earlier turns:
 * document frequencies and lengths are computed over exactly these turns,
 * tokens are lowercase words without a small stopword list, lightly stemmed
 * (./words.ts). It is the eval's baseline and needs no database.
 */
export class Bm25Index {
  private readonly docs: { doc: Bm25Doc; tf: Map<string, number>; length: number; order: number }[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(docs: readonly Bm25Doc[]) {
    this.docs = docs.map((doc, order) => {
      const tf = new Map<string, number>();
      const words = terms(doc.text);
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return { doc, tf, length: words.length, order };
    });
    this.avgLength = this.docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Probabilistic IDF with the +1 inside the log (never negative), as in Lucene. */
  idf(term: string): number {
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Documents with a positive score for `query`, best first (ties: the later turn first). */
  rank(query: string): { doc: Bm25Doc; score: number }[] {
    const queryTerms = [...new Set(terms(query))].filter((t) => this.df.has(t));
    if (queryTerms.length === 0) return [];
    const idf = new Map(queryTerms.map((t) => [t, this.idf(t)]));
    const scored: { doc: Bm25Doc; score: number; order: number }[] = [];
    for (const d of this.docs) {
      let score = 0;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / (this.avgLength || 1));
      for (const t of queryTerms) {
        const tf = d.tf.get(t);
        if (!tf) continue;
        score += idf.get(t)! * ((tf * (BM25_K1 + 1)) / (tf + norm));
      }
      if (score > 0) scored.push({ doc: d.doc, score, order: d.order });
    }
    scored.sort((a, b) => b.score - a.score || b.order - a.order);
    return scored.map(({ doc, score }) => ({ doc, score }));
  }

  /**
   * Best-ranked documents until `budget` tokens are used: best first, a
   * document that no longer fits is skipped and smaller ones after it may
   * still fill the rest.
   */
  select(query: string, budget: number): { ids: Set<string>; tokens: number } {
    const ids = new Set<string>();
    let tokens = 0;
    for (const { doc } of this.rank(query)) {
      if (tokens + doc.tokens > budget) continue;
      tokens += doc.tokens;
      ids.add(doc.id);
      if (tokens >= budget) break;
    }
    return { ids, tokens };
  }
}
