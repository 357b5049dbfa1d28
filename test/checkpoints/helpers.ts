import type { Database } from "../../src/db/database.js";
import { ThreadlineSaver, type ThreadlineSaverOptions } from "../../checkpoints/index.js";
import { buildGraph, inputFor } from "../bench/graph.js";

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
 * Counts the statements sent through `db.pool.query` until `restore()` is
 * called (every saver statement goes through it).
 */
export function countStatements(db: Pick<Database, "pool">): { readonly count: number; restore(): void } {
  const pool = db.pool;
  const original = pool.query.bind(pool);
  let count = 0;
  pool.query = ((...args: Parameters<typeof pool.query>) => {
    count++;
    return (original as (...a: unknown[]) => unknown)(...args);
  }) as typeof pool.query;
  return {
    get count() {
      return count;
    },
    restore: () => {
      pool.query = original as typeof pool.query;
    },
  };
}
