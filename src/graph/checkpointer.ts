import { ThreadlineSaver, type ThreadlineSaverOptions } from "../../checkpoints/index.js";
import type { Database } from "../db/database.js";

/**
 * The single place the runtime creates its checkpointer; every caller (CLI,
 * server, tests) goes through it, so swapping the implementation is one edit.
 * The saver's migrations run under the migration advisory lock, so processes
 * starting together do not race on CREATE TABLE. On Postgres, steps commit
 * without waiting for the disk unless `synchronousCommit` is set; call
 * `flush()` when a run ends (run execution does) before reporting its result.
 *
 * @example
 * const checkpointer = await createCheckpointer(db);
 * const graph = builder.compile({ checkpointer });
 * await graph.invoke(input, { configurable: { thread_id: "t1" }, durability: "sync" });
 * await checkpointer.flush();
 */
export async function createCheckpointer(db: Database, options: ThreadlineSaverOptions = {}): Promise<ThreadlineSaver> {
  return ThreadlineSaver.create(db, options);
}
