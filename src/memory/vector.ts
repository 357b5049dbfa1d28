import type { Database } from "../db/database.js";
import { VECTOR_SQL } from "./sql.js";

/**
 * How archival memory compares embeddings. Both modes scan the scope's
 * passages exactly and return the same ranking; "pgvector" only computes the
 * similarity with the extension's operator instead of SQL array arithmetic.
 */
export type VectorMode = "pgvector" | "exact";

/** "auto" uses pgvector when it is installed or can be installed, else "exact". */
export type VectorPreference = VectorMode | "auto";

/**
 * Makes pgvector usable when the server offers it: installs the extension in
 * `public` (where every schema's search_path finds it) if missing. Never
 * throws for a server without pgvector or a role that may not install it;
 * that server gets the exact fallback. Kept out of the versioned migrations
 * so the same migration version means the same schema everywhere.
 *
 * @example
 * const mode = await ensureVectorSupport(db); // "pgvector" on PGlite, "exact" without the extension
 */
export async function ensureVectorSupport(db: Pick<Database, "pool">): Promise<VectorMode> {
  const probe = async () => (await db.pool.query<{ available: boolean; usable: boolean }>(VECTOR_SQL.probe)).rows[0]!;
  const first = await probe();
  if (first.usable) return "pgvector";
  if (!first.available) return "exact";
  try {
    await db.pool.query(VECTOR_SQL.createExtension);
  } catch {
    // No privilege, or another process installing it at the same moment:
    // the probe below tells which.
  }
  return (await probe()).usable ? "pgvector" : "exact";
}

/**
 * Scales an embedding to unit length (so cosine similarity is a dot product)
 * and rounds it to single precision, as the `real[]` column stores it. A zero
 * or non-finite vector has no direction and yields undefined.
 */
export function normalizeEmbedding(vector: readonly number[]): number[] | undefined {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) return undefined;
  return vector.map((x) => Math.fround(x / norm));
}

/**
 * Reciprocal rank fusion: each list contributes 1 / (k + rank) for every id
 * it holds, so an item ranked well by both text and vector search rises above
 * one ranked well by only one. Ties keep the order of first appearance.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = 60): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return new Map([...scores].sort((a, b) => b[1] - a[1]));
}
