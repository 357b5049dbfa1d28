import type { Database } from "../../src/db/database.js";
import { ThreadlineSaver, type ThreadlineSaverOptions } from "../../checkpoints/index.js";
import { buildGraph, inputFor } from "../bench/graph.js";
import { StatementCounter } from "../bench/stats.js";

export { buildGraph, inputFor };

/** Runs the three-node message graph on `threadId` until it holds `target` messages. */
export async function runTo(saver: ThreadlineSaver, threadId: string, target: number, extra: Record<string, unknown> = {}) {
  const graph = buildGraph(saver);
  const state = await graph.getState({ configurable: { thread_id: threadId } });
  await graph.invoke(inputFor(state.values.messages === undefined), {
    configurable: { thread_id: threadId, target, ...extra },
    durability: "sync",
    recursionLimit: 1_000,
    ...("metadata" in extra ? { metadata: extra.metadata as Record<string, unknown> } : {}),
  });
  return graph;
}

/** A second saver on the same tables with empty caches, as another process would be. */
export function freshSaver(db: Database, options: ThreadlineSaverOptions = {}): ThreadlineSaver {
  return new ThreadlineSaver(db, options);
}

export async function count(db: Database, table: string, threadId?: string): Promise<number> {
  const where = threadId === undefined ? "" : " WHERE thread_id = $1";
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}${where}`, threadId === undefined ? [] : [threadId]);
  return rows[0]!.n;
}

/**
 * Counts the statements sent by every node-postgres client (both backends
 * use pg.Client; the saver writes on connections it keeps, not through
 * pool.query) until `restore()` is called.
 */
export function countStatements(): { readonly count: number; restore(): void } {
  const counter = new StatementCounter();
  counter.install();
  return {
    get count() {
      return counter.statements + counter.transactionControl;
    },
    restore: () => counter.uninstall(),
  };
}

/** The stored rows of a thread's checkpoints, oldest first. */
export async function rowsOf(db: Database, threadId: string) {
  const { rows } = await db.pool.query<{ id: string; parent: string | null; flags: number; bytes: number }>(
    `SELECT checkpoint_id AS id, parent_checkpoint_id AS parent, flags, octet_length(body) AS bytes
     FROM tl_checkpoints WHERE thread_id = $1 ORDER BY checkpoint_id`,
    [threadId],
  );
  return rows;
}
