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
import { GET_ITEMS, LIST_NAMESPACES, REFRESH_ITEMS, SEARCH_ITEMS, SWEEP_ITEMS, WRITE_ITEMS } from "./sql.js";

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
 * - `query` is full-text search (English stemming) over the string and
 *   number values of the item: only items sharing a word with it, ranked, with
 *   the rank as `score`. Semantic search with embeddings is not configured:
 *   there is no `index` option, and `put`'s `index` argument is ignored.
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
  constructor(private readonly db: Pick<Database, "pool">) {
    super();
  }

  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = new Array(operations.length).fill(undefined);
    const gets: { index: number; namespace: string; key: string }[] = [];
    const reads: { index: number; run: () => Promise<unknown> }[] = [];
    const writes = new Map<string, { namespace: string; key: string; value: Record<string, unknown> | null; ttl: number | null }>();
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
        writes.set(JSON.stringify([namespace, key]), { namespace, key, value: put.value === null ? null : assertValue(put.value), ttl: ttl ?? null });
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
      if (writes.size) await this.db.pool.query(WRITE_ITEMS, [JSON.stringify([...writes.values()])]);
    });
    return results as OperationResults<Op>;
  }

  /**
   * Puts an item that expires `ttlMinutes` after it is written (or last
   * read with `refresh`); until then it reads as any other.
   *
   * @example
   * await store.putWithTtl(["sessions", "ada"], "draft", { text: "..." }, 60);
   */
  async putWithTtl(namespace: string[], key: string, value: Record<string, unknown>, ttlMinutes: number): Promise<void> {
    await this.batch([{ namespace, key, value, ttl: ttlMinutes } as PutOperation]);
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
