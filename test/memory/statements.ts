import type pg from "pg";
import type { Database } from "../../src/db/database.js";

/** Statements that change the schema or the server's extensions. */
export const DDL = /^\s*(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE)\b/i;

/**
 * Records the text of every statement any connection of the database's pool
 * runs (through `pool.query` or a checked-out client) until `stop()`.
 *
 * @example
 * const log = recordStatements(db);
 * await run();
 * log.stop();
 * expect(log.statements.filter((s) => DDL.test(s))).toEqual([]);
 */
export function recordStatements(db: Pick<Database, "pool">): { statements: string[]; stop(): void } {
  const statements: string[] = [];
  let recording = true;
  const patched = new WeakSet<pg.PoolClient>();
  const onAcquire = (client: pg.PoolClient) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query;
    client.query = function (this: pg.PoolClient, ...args: unknown[]) {
      const first = args[0] as string | { text?: string } | undefined;
      if (recording) statements.push(typeof first === "string" ? first : (first?.text ?? String(first)));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof client.query;
  };
  db.pool.on("acquire", onAcquire);
  return {
    statements,
    stop() {
      recording = false;
      db.pool.off("acquire", onAcquire);
    },
  };
}

/** What a schema holds: its relations, the migrations recorded, the extensions installed. */
export async function catalogOf(db: Database): Promise<{ relations: string[]; migrations: string[]; extensions: string[] }> {
  const relations = await db.pool.query<{ name: string }>(
    `SELECT c.relkind::text || ':' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 ORDER BY 1`,
    [db.schema],
  );
  const tracked = relations.rows.some((r) => r.name === "r:threadline_migrations");
  const migrations = tracked
    ? await db.pool.query<{ name: string }>("SELECT component || '/' || version || '/' || name AS name FROM threadline_migrations ORDER BY 1")
    : { rows: [] };
  const extensions = await db.pool.query<{ name: string }>("SELECT extname AS name FROM pg_extension ORDER BY 1");
  return {
    relations: relations.rows.map((r) => r.name),
    migrations: migrations.rows.map((r) => r.name),
    extensions: extensions.rows.map((r) => r.name),
  };
}
