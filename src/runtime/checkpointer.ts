import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Database } from "../db/database.js";

/**
 * The single place the runtime creates its checkpointer; every caller (CLI,
 * server, tests) goes through it, so swapping the implementation is one edit.
 */
export async function createCheckpointer(db: Database): Promise<BaseCheckpointSaver> {
  const saver = new PostgresSaver(db.pool, undefined, { schema: db.schema });
  await setupSerialised(db, () => saver.setup());
  return saver;
}

// The stock saver's setup() takes no lock; processes starting together race on
// CREATE TABLE. On a real server, hold a session advisory lock on a connection
// of our own while it runs. PGlite is single-process (guarded by its lock
// file) and has one connection, so it needs no lock and could not take one.
async function setupSerialised(db: Database, setup: () => Promise<void>): Promise<void> {
  if (db.kind === "pglite") return setup();
  const client = await db.pool.connect();
  const key = `threadline.checkpointer.${db.schema}`;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    await setup();
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]).catch(() => undefined);
    client.release();
  }
}
