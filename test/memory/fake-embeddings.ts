import type { EmbeddingsInterface } from "@langchain/core/embeddings";

/**
 * Deterministic embeddings for tests: a hashed bag of words, with an optional
 * synonym table so "meaning" (a shared concept, no shared word) can be shown.
 */
export class FakeEmbeddings implements EmbeddingsInterface {
  calls = 0;

  constructor(
    private readonly dimensions = 64,
    private readonly synonyms: Record<string, string> = {},
  ) {}

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls++;
    return texts.map((t) => this.vector(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    this.calls++;
    return this.vector(text);
  }

  vector(text: string): number[] {
    const v = new Array<number>(this.dimensions).fill(0);
    for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const word = this.synonyms[raw] ?? raw;
      v[fnv1a(word) % this.dimensions]! += 1;
    }
    return v;
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
