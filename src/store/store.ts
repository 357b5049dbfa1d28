import {
  BaseStore,
  type GetOperation,
  type Item,
  type ListNamespacesOperation,
  type Operation,
  type OperationResults,
  type PutOperation,
  type SearchItem,
  type SearchOperation,
} from "@langchain/langgraph-checkpoint";
import type { Database } from "../db/database.js";
import { ConfigurationError, InvalidInputError } from "../errors.js";
import { anyWordQuery } from "../memory/text-query.js";
import {
  DEFAULT_LIST_LIMIT,
  DEFAULT_SEARCH_LIMIT,
  assertKey,
  assertValue,
  filterConditions,
  matchConditions,
  maxDepthOf,
  namespacePath,
  pageOf,
} from "./operations.js";
import type { VectorMode } from "../memory/vector.js";
import { embedQuery, embedTexts, indexText, type StoreIndex } from "./index-text.js";
import { GET_ITEMS, LIST_NAMESPACES, REFRESH_ITEMS, SEARCH_BY_VECTOR, SEARCH_ITEMS, SWEEP_ITEMS, WRITE_ITEMS } from "./sql.js";

export type { StoreIndex } from "./index-text.js";

export interface ThreadlineStoreOptions {
  /** Embeddings (and the fields to embed) for search by meaning; without, `query` is full-text search. */
  index?: StoreIndex;
  /** How similarity is computed: with pgvector where it is installed, else exactly in SQL. Default "exact". */
  vector?: VectorMode;
}

type ItemRow = Item & { score?: number | null };

/**
 * LangGraph's long-term store (`BaseStore`) on Postgres or PGlite, in the
 * table `store_items`: items by namespace and key, shared across threads.
 * Nodes reach it as `config.store` (or `getStore()`) when the graph runs with
 * it attached, e.g. through `LoadedGraph.instantiate(config, { store })`.
 *
 * - `search` filters on top-level keys of the value: a plain value must be
 *   contained (JSON containment), or compare with `$eq`, `$ne`, `$gt`,
 *   `$gte`, `$lt`, `$lte` (numbers with numbers, strings with strings, in
 *   byte order), `$in`, `$nin`.
 * - `query` searches by meaning when the store has an `index` (embeddings):
 *   items are embedded as they are put (their `index` fields, or the
 *   store's; `index: false` leaves one out) and ranked by cosine similarity,
 *   the `score`, with pgvector where it is installed and exactly in SQL
 *   elsewhere (the same ranking). Without an index it is full-text search
 *   (English stemming) over the string and number values: only items
 *   sharing a word with it, ranked, with the rank as `score`.
 * - An item put with a TTL (`putWithTtl`, the API's `ttl` in minutes) reads
 *   as gone once it has passed, and `sweepExpired` deletes it; `refresh`
 *   starts it again (reads through the API do, unless told not to).
 * - In one `batch`, reads see the store as it was before the batch's writes;
 *   of several writes to one item the last wins, and all writes land in one
 *   statement.
 *
 * The table comes from `storeMigrations`, applied at start-up; the store
 * never runs DDL.
 *
 * @example
 * await migrate(db, [storeMigrations]);
 * const store = new ThreadlineStore(db);
 * await store.put(["memories", "ada"], "food", { text: "Ada is allergic to peanuts" });
 * const hits = await store.search(["memories", "ada"], { query: "peanut allergy" });
 */
export class ThreadlineStore extends BaseStore {
  constructor(
    private readonly db: Pick<Database, "pool">,
    private readonly options: ThreadlineStoreOptions = {},
  ) {
    super();
  }

  /** Whether the store embeds items, so `query` searches by meaning. */
  get indexed(): boolean {
    return this.options.index !== undefined;
  }

  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = new Array(operations.length).fill(undefined);
    const gets: { index: number; namespace: string; key: string }[] = [];
    const reads: { index: number; run: () => Promise<unknown> }[] = [];
    const writes = new Map<string, { namespace: string; key: string; value: Record<string, unknown> | null; ttl: number | null; fields?: readonly string[] }>();
    // Everything is checked before anything runs, so a bad operation writes nothing.
    for (const [index, op] of operations.entries()) {
      if ("namespacePrefix" in op) {
        const search = this.searchPlan(op);
        reads.push({ index, run: search });
      } else if ("namespace" in op && "value" in op) {
        const put = op as PutOperation;
        const namespace = namespacePath(put.namespace, "a namespace to write");
        const key = assertKey(put.key);
        const ttl = (put as PutOperation & { ttl?: number }).ttl;
        if (ttl !== undefined && ttl !== null && !(typeof ttl === "number" && ttl > 0)) throw new InvalidInputError(`a TTL is a positive number of minutes, got ${String(ttl)}`);
        const fields = this.fieldsOf(put.index);
        writes.set(JSON.stringify([namespace, key]), { namespace, key, value: put.value === null ? null : assertValue(put.value), ttl: ttl ?? null, ...(fields ? { fields } : {}) });
      } else if ("namespace" in op && "key" in op) {
        const get = op as GetOperation;
        gets.push({ index, namespace: namespacePath(get.namespace, "a namespace to read", { allowEmpty: true }), key: assertKey(get.key) });
      } else if ("limit" in op || "matchConditions" in op || "maxDepth" in op) {
        reads.push({ index, run: this.listPlan(op as ListNamespacesOperation) });
      } else {
        throw new InvalidInputError(`operation ${index} of the batch is not a get, put, search or list of namespaces`);
      }
    }
    await this.translate(async () => {
      if (gets.length) await this.readItems(gets, results);
      for (const read of reads) results[read.index] = await read.run();
      if (writes.size) await this.db.pool.query(WRITE_ITEMS, [JSON.stringify(await this.embedded([...writes.values()]))]);
    });
    return results as OperationResults<Op>;
  }

  /** The fields a put embeds: none without an index or with `index: false`, else its own list or the store's. */
  private fieldsOf(index: PutOperation["index"]): readonly string[] | undefined {
    if (!this.options.index || index === false) return undefined;
    if (index === undefined || index === null) return this.options.index.fields ?? ["$"];
    if (!Array.isArray(index) || !index.every((f) => typeof f === "string" && f !== "")) throw new InvalidInputError("a put's index must be false or a list of field paths");
    return index;
  }

  /** The writes with the embedding of each indexed one (one call to the embeddings for the batch). */
  private async embedded(writes: { namespace: string; key: string; value: Record<string, unknown> | null; ttl: number | null; fields?: readonly string[] }[]) {
    const texts = writes.map((w) => (w.value && w.fields ? indexText(w.value, w.fields) : undefined));
    const wanted = texts.flatMap((t, i) => (t === undefined ? [] : [i]));
    const vectors = this.options.index ? await embedTexts(this.options.index, wanted.map((i) => texts[i]!)) : [];
    const byWrite = new Map(wanted.map((i, n) => [i, vectors[n]]));
    return writes.map(({ fields: _fields, ...w }, i) => ({ ...w, embedding: byWrite.get(i) ?? null }));
  }

  /**
   * Puts an item that expires `ttlMinutes` after it is written (or last
   * read with `refresh`); until then it reads as any other.
   *
   * @example
   * await store.putWithTtl(["sessions", "ada"], "draft", { text: "..." }, 60);
   */
  async putWithTtl(namespace: string[], key: string, value: Record<string, unknown>, ttlMinutes: number, index?: false | string[]): Promise<void> {
    await this.batch([{ namespace, key, value, ttl: ttlMinutes, ...(index !== undefined ? { index } : {}) } as PutOperation]);
  }

  /** Starts the TTL of these items again (the API's `refresh_ttl` on reads). */
  async refresh(items: Pick<Item, "namespace" | "key">[]): Promise<void> {
    if (!items.length) return;
    await this.translate(async () => {
      await this.db.pool.query(REFRESH_ITEMS, [JSON.stringify(items.map((i) => ({ namespace: i.namespace.join("."), key: i.key })))]);
    });
  }

  /** Deletes up to `limit` items past their TTL; returns how many went. */
  async sweepExpired(limit = 1000): Promise<number> {
    let n = 0;
    await this.translate(async () => {
      n = (await this.db.pool.query<{ n: number }>(SWEEP_ITEMS, [limit])).rows[0]!.n;
    });
    return n;
  }

  private async readItems(gets: { index: number; namespace: string; key: string }[], results: unknown[]): Promise<void> {
    const keys = gets.map(({ namespace, key }) => ({ namespace, key }));
    const { rows } = await this.db.pool.query<ItemRow>(GET_ITEMS, [JSON.stringify(keys)]);
    const found = new Map(rows.map((row) => [JSON.stringify([row.namespace.join("."), row.key]), row]));
    for (const { index, namespace, key } of gets) {
      const row = found.get(JSON.stringify([namespace, key]));
      results[index] = row ? item(row) : null;
    }
  }

  private searchPlan(op: SearchOperation): () => Promise<SearchItem[]> {
    const prefix = namespacePath(op.namespacePrefix, "a namespace prefix to search", { allowEmpty: true });
    const conditions = filterConditions(op.filter);
    if (op.query !== undefined && op.query !== null && typeof op.query !== "string") {
      throw new InvalidInputError("a search query must be text");
    }
    const query = op.query?.trim() || null;
    const { limit, offset } = pageOf(op.limit, op.offset, DEFAULT_SEARCH_LIMIT);
    const index = this.options.index;
    if (query && index) {
      return async () => {
        const vector = await embedQuery(index, query);
        if (!vector) return [];
        const { rows } = await this.db.pool.query<ItemRow>(SEARCH_BY_VECTOR[this.options.vector ?? "exact"], [prefix, JSON.stringify(conditions), vector, limit, offset]);
        return rows.map((row) => ({ ...item(row), score: row.score ?? 0 }));
      };
    }
    return async () => {
      const params = [prefix, JSON.stringify(conditions), query, query && anyWordQuery(query), limit, offset];
      const { rows } = await this.db.pool.query<ItemRow>(SEARCH_ITEMS, params);
      return rows.map((row) => (row.score === null || row.score === undefined ? item(row) : { ...item(row), score: row.score }));
    };
  }

  private listPlan(op: ListNamespacesOperation): () => Promise<string[][]> {
    const { json, start } = matchConditions(op.matchConditions);
    const maxDepth = maxDepthOf(op.maxDepth);
    const { limit, offset } = pageOf(op.limit, op.offset, DEFAULT_LIST_LIMIT);
    return async () => {
      const { rows } = await this.db.pool.query<{ namespace: string[] }>(LIST_NAMESPACES, [start, JSON.stringify(json), maxDepth, limit, offset]);
      return rows.map((row) => row.namespace);
    };
  }

  private async translate(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "42P01") {
        throw new ConfigurationError("the store's table store_items does not exist: apply storeMigrations at start-up (migrate(db, [storeMigrations]))");
      }
      if (code === "22P05") throw new InvalidInputError(`a stored value cannot hold this text: ${(err as Error).message}`);
      throw err;
    }
  }
}

function item(row: ItemRow): Item {
  return { namespace: row.namespace, key: row.key, value: row.value, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
