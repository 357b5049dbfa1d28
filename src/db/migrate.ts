import type pg from "pg";
import { ThreadlineError } from "../errors.js";
import { withTransaction, type Database } from "./database.js";
import { assertIdentifier } from "./identifiers.js";

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

const SQL = {
  lock: "SELECT pg_advisory_xact_lock(hashtext($1))",
  createTable: `CREATE TABLE IF NOT EXISTS threadline_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  )`,
  applied: "SELECT component, version, name FROM threadline_migrations WHERE component = ANY($1::text[])",
  record: "INSERT INTO threadline_migrations (component, version, name) VALUES ($1, $2, $3)",
} as const;

/**
 * Brings the schema up to date: creates it if needed and applies every
 * missing step of every set, all in one transaction holding an advisory lock
 * keyed by the schema. Processes starting together therefore queue on the
 * lock, and each after the first finds nothing to do. Returns how many steps
 * were applied.
 */
export async function migrate(db: Database, sets: readonly MigrationSet[]): Promise<number> {
  return withMigrationLock(db, async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${assertIdentifier(db.schema, "schema name")}`);
    await client.query(SQL.createTable);
    const applied = await readApplied(client, sets.map((s) => s.component));
    let count = 0;
    for (const set of sets) count += await applySet(client, set, applied.get(set.component) ?? []);
    return count;
  });
}

/**
 * Runs `fn` in one transaction holding the advisory lock `migrate()` takes
 * (keyed by the schema), so whatever `fn` does to the migration records
 * cannot interleave with a migration in another process.
 *
 * @example
 * await withMigrationLock(db, (client) => client.query("SELECT 1"));
 */
export async function withMigrationLock<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(db, async (client) => {
    await client.query(SQL.lock, [`threadline.migrate.${db.schema}`]);
    return fn(client);
  });
}

async function readApplied(client: pg.PoolClient, components: string[]) {
  const { rows } = await client.query<{ component: string; version: number; name: string }>(SQL.applied, [components]);
  const byComponent = new Map<string, { version: number; name: string }[]>();
  for (const row of rows) {
    const list = byComponent.get(row.component) ?? [];
    list.push(row);
    byComponent.set(row.component, list);
  }
  return byComponent;
}

async function applySet(client: pg.PoolClient, set: MigrationSet, applied: { version: number; name: string }[]) {
  const done = new Set<number>();
  for (const row of applied) {
    const expected = set.migrations[row.version];
    if (!expected) {
      throw new ThreadlineError(
        "configuration",
        `the database has ${set.component} migration ${row.version} (${row.name}) that this version of Threadline does not know; upgrade Threadline`,
      );
    }
    if (expected.name !== row.name) {
      throw new ThreadlineError(
        "configuration",
        `${set.component} migration ${row.version} is "${row.name}" in the database but "${expected.name}" in code; migration lists are append-only`,
      );
    }
    done.add(row.version);
  }
  let count = 0;
  for (const [version, migration] of set.migrations.entries()) {
    if (done.has(version)) continue;
    const statements = typeof migration.up === "string" ? [migration.up] : migration.up;
    for (const statement of statements) await client.query(statement);
    await client.query(SQL.record, [set.component, version, migration.name]);
    count++;
  }
  return count;
}
