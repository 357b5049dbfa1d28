import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { InvalidInputError } from "../errors.js";
import { normalizeEmbedding } from "../memory/vector.js";

/**
 * How the store embeds items for search by meaning: the embeddings, and
 * which parts of a value to embed (`"$"` is the whole value; `"a.b"` the
 * field `b` of the field `a`). LangGraph's store index, minus `dims`, which
 * the embeddings decide.
 */
export interface StoreIndex {
  embeddings: EmbeddingsInterface;
  /** Default ["$"]. */
  fields?: string[];
}

/** The text an item is embedded as: its chosen fields, each as text, on lines of their own. */
export function indexText(value: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const field of fields) {
    const found = field === "$" ? value : field.split(".").reduce<unknown>((at, key) => (at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), value);
    if (found === undefined || found === null) continue;
    parts.push(typeof found === "string" ? found : JSON.stringify(found));
  }
  return parts.length ? parts.join("\n") : undefined;
}

/** Unit-length embeddings of `texts`, one per text (undefined for one without a direction). */
export async function embedTexts(index: StoreIndex, texts: string[]): Promise<(number[] | undefined)[]> {
  if (!texts.length) return [];
  const vectors = await index.embeddings.embedDocuments(texts);
  if (vectors.length !== texts.length) throw new InvalidInputError(`the store's embeddings returned ${vectors.length} vectors for ${texts.length} texts`);
  return vectors.map((v) => normalizeEmbedding(v));
}

export async function embedQuery(index: StoreIndex, query: string): Promise<number[] | undefined> {
  return normalizeEmbedding(await index.embeddings.embedQuery(query));
}
