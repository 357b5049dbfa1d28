import pg from "pg";
import { describe, expect, it } from "vitest";
import { MigrationMismatchError, ThreadlineSaver, applyMigrations, checkpointMigrations } from "../../checkpoints/index.js";
import { migrate } from "../../src/db/migrate.js";
import { BACKENDS, TEST_DATABASE_URL, describeBackends, openTestDatabase, uniqueSchema } from "../helpers/db.js";

/**
 * The saver migrates itself (for use without the runtime) with the runtime's
 * protocol: the same records and the same lock, so either runner sees what
 * the other applied.
 */
describeBackends("the saver's migrations", (db) => {
  it("applied by the saver are seen as applied by the runtime, and the other way round", async () => {
    expect(await applyMigrations(db(), [checkpointMigrations])).toBe(checkpointMigrations.migrations.length);
    expect(await migrate(db(), [checkpointMigrations])).toBe(0);
    const sample = { component: "sample", migrations: [{ name: "notes", up: "CREATE TABLE notes (id int)" }] };
    expect(await migrate(db(), [sample])).toBe(1);
    expect(await applyMigrations(db(), [sample])).toBe(0);
  });

  it("refuse a database ahead of the code and an edited list", async () => {
    await applyMigrations(db(), [checkpointMigrations]);
    const fewer = { ...checkpointMigrations, migrations: checkpointMigrations.migrations.slice(0, 2) };
    await expect(applyMigrations(db(), [fewer])).rejects.toThrow(MigrationMismatchError);
    const edited = { ...checkpointMigrations, migrations: [{ name: "renamed", up: "SELECT 1" }, ...checkpointMigrations.migrations.slice(1)] };
    await expect(applyMigrations(db(), [edited])).rejects.toThrow(/append-only/);
  });

  it("can be left to the application", async () => {
    await migrate(db(), [checkpointMigrations]);
    const saver = await ThreadlineSaver.create(db(), { migrate: false });
    expect(await saver.getTuple({ configurable: { thread_id: "none" } })).toBeUndefined();
  });
});

describe.runIf(BACKENDS.includes("postgres"))("the saver's migrations [postgres]", () => {
  it("queue with the runtime's on one lock: every step applied once", async () => {
    const schema = uniqueSchema();
    const dbs = await Promise.all(Array.from({ length: 6 }, () => openTestDatabase("postgres", schema)));
    try {
      const counts = await Promise.all(
        dbs.map((d, i) => (i % 2 ? migrate(d, [checkpointMigrations]) : applyMigrations(d, [checkpointMigrations]))),
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(checkpointMigrations.migrations.length);
    } finally {
      await dbs[0]!.dispose();
      await Promise.all(dbs.slice(1).map((d) => d.close()));
    }
  });

  it("work on a bare pg.Pool, in the schema its search_path selects", async () => {
    const schema = uniqueSchema();
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    try {
      await pool.query(`CREATE SCHEMA ${schema}`);
      const saver = await ThreadlineSaver.create(pool);
      expect(saver.options.preparedStatements).toBe(true);
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM threadline_migrations WHERE component = 'checkpoints'");
      expect(rows[0].n).toBe(checkpointMigrations.migrations.length);
      const tables = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'tl_checkpoints'", [schema]);
      expect(tables.rowCount).toBe(1);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
