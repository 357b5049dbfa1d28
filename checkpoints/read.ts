import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type pg from "pg";
import { rowKey } from "./keys.js";
import { type CheckpointRow, RowStore, type WriteRow } from "./resolve.js";
import { READ_CHAINS, READ_PAGE } from "./sql.js";
import type { ItemCache, State } from "./state.js";

/** Which checkpoints a listing wants; null does not filter. */
export interface PageQuery {
  threadId: string | null;
  checkpointNs: string | null;
  checkpointId: string | null;
  /** Only checkpoints with a smaller id. */
  before: string | null;
}

type ReadRow = (CheckpointRow & { kind: 0; rank: string | null }) | (WriteRow & { kind: 1 });

/** Runs one read statement (the saver prepares them per connection on Postgres). */
export type ReadQuery = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/**
 * Reads checkpoints page by page into one RowStore. The first page walks
 * each row's ancestors in the same statement (stopping at states in
 * `known`); later pages of the same listing are ancestors of the first, so
 * they only fetch what is still missing, in one more statement when any is.
 *
 * @example
 * const pages = readPage((text, values) => db.pool.query(text, values), serde, new Map(), () => 1);
 * const keys = await pages.next({ threadId: "t1", checkpointNs: "", checkpointId: null, before: null }, 10);
 * const tuple = await pages.store.tuple(keys[0]);
 */
export function readPage(
  query: ReadQuery,
  serde: SerializerProtocol,
  known: ReadonlyMap<string, State>,
  nextVersion: () => number | string,
  items?: ItemCache,
) {
  const store = new RowStore(serde, known, nextVersion, items);
  const knownIds = [...known.keys()].map((key) => key.slice(key.lastIndexOf("\u0000") + 1));
  let cursor: (string | null)[] = [null, null, null];
  let first = true;

  const add = (rows: ReadRow[]) => {
    const page: [number, string][] = [];
    for (const row of rows) {
      if (row.kind === 1) {
        store.addWrite(row);
        continue;
      }
      store.addCheckpoint(row);
      if (row.rank !== null) page.push([Number(row.rank), rowKey(row.threadId, row.checkpointNs, row.checkpointId)]);
    }
    return page.sort((a, b) => a[0] - b[0]).map(([, key]) => key);
  };

  return {
    store,
    /** Fetches the next page; returns the keys of its checkpoints, newest first. */
    async next(page: PageQuery, size: number): Promise<string[]> {
      const { rows } = await query(READ_PAGE, [
        page.threadId, knownIds, page.checkpointNs, page.checkpointId, page.before, ...cursor, size, first,
      ]);
      first = false;
      const keys = add(rows as ReadRow[]);
      const missing = new Map<string, { threadId: string; checkpointNs: string; ids: string[] }>();
      for (const key of keys) {
        const row = store.missingAncestor(key);
        if (!row) continue;
        const group = `${row.threadId}\u0000${row.checkpointNs}`;
        const entry = missing.get(group) ?? { threadId: row.threadId, checkpointNs: row.checkpointNs, ids: [] };
        entry.ids.push(row.parentCheckpointId!);
        missing.set(group, entry);
      }
      for (const { threadId, checkpointNs, ids } of missing.values()) {
        const chain = await query(READ_CHAINS, [threadId, knownIds, checkpointNs, ids]);
        add(chain.rows as ReadRow[]);
      }
      const last = keys[keys.length - 1];
      if (last !== undefined) {
        const [threadId, checkpointNs, checkpointId] = last.split("\u0000");
        cursor = [checkpointId!, threadId!, checkpointNs!];
      }
      return keys;
    },
  };
}
