import type pg from "pg";
import { type CheckpointDatabase, withTransaction } from "./database.js";
import { CheckpointInputError, MigrationMismatchError } from "./errors.js";

/**
 * One step of a component's schema. The position in the component's list is
 * its version, so lists are append-only: never edit or reorder a shipped step.
 */
export interface Migration {
  /** Short name, stored beside the version to detect an edited list. */
  name: string;
  /** Statements run in order inside the migration transaction. */
  up: string | readonly string[];
}

export interface MigrationSet {
  /** Component that owns the migrations (e.g. "core", "checkpoints", "graph:banking"). */
  component: string;
  migrations: readonly Migration[];
}

/**
 * The runtime's migration protocol (src/db/migrate.ts), so that the saver
 * can bring its own tables up to date when used without the runtime and
 * both agree on what has been applied: the same `threadline_migrations`
 * table, and the same transaction-scoped advisory lock keyed by the schema.
 */
const SQL = {
  lock: "SELECT pg_advisory_xact_lock(hashtext('threadline.migrate.' || coalesce($1::text, current_schema())))",
  createTable: `CREATE TABLE IF NOT EXISTS threadline_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  )`,
  applied: "SELECT version, name FROM threadline_migrations WHERE component = $1",
  record: "INSERT INTO threadline_migrations (component, version, name) VALUES ($1, $2, $3)",
} as const;

// The schema name reaches SQL text (CREATE SCHEMA), where parameters cannot be used.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Applies every missing step of every set in one transaction under the
 * migration lock, so processes starting together queue and all but the
 * first find nothing to do. Refuses a database ahead of the code or an
 * edited list. Returns how many steps were applied.
 *
 * @example
 * await applyMigrations({ pool, schema: "public" }, [checkpointMigrations]);
 */
export async function applyMigrations(db: Pick<CheckpointDatabase, "pool" | "schema">, sets: readonly MigrationSet[]): Promise<number> {
  const { schema } = db;
  return withMigrationLock(db, async (client) => {
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(SQL.createTable);
    let count = 0;
    for (const set of sets) count += await applySet(client, set);
    return count;
  });
}

/**
 * Runs `fn` in one transaction holding the migration lock (keyed by the
 * schema), so whatever `fn` does to the migration records cannot
 * interleave with a migration in another process.
 *
 * @example
 * await withMigrationLock(db, (client) => client.query("SELECT 1"));
 */
export async function withMigrationLock<T>(db: Pick<CheckpointDatabase, "pool" | "schema">, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { schema } = db;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new CheckpointInputError(`invalid schema name "${schema}": use lower-case letters, digits and underscores (at most 63, not starting with a digit)`);
  }
  return withTransaction(db, async (client) => {
    await client.query(SQL.lock, [schema ?? null]);
    return fn(client);
  });
}

async function applySet(client: pg.PoolClient, set: MigrationSet): Promise<number> {
  const { rows } = await client.query<{ version: number; name: string }>(SQL.applied, [set.component]);
  const done = new Set<number>();
  for (const row of rows) {
    const expected = set.migrations[row.version];
    if (!expected) {
      throw new MigrationMismatchError(
        `the database has ${set.component} migration ${row.version} (${row.name}) that this version of Threadline does not know; upgrade Threadline`,
      );
    }
    if (expected.name !== row.name) {
      throw new MigrationMismatchError(
        `${set.component} migration ${row.version} is "${row.name}" in the database but "${expected.name}" in code; migration lists are append-only`,
      );
    }
    done.add(row.version);
  }
  let count = 0;
  for (const [version, migration] of set.migrations.entries()) {
    if (done.has(version)) continue;
    for (const statement of typeof migration.up === "string" ? [migration.up] : migration.up) await client.query(statement);
    await client.query(SQL.record, [set.component, version, migration.name]);
    count++;
  }
  return count;
}
