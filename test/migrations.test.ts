import { describe, expect, it } from "vitest";
import { migrate, type MigrationSet } from "../src/db/migrate.js";
import { BACKENDS, describeBackends, openTestDatabase, uniqueSchema } from "./helpers/db.js";

const sample: MigrationSet = {
  component: "sample",
  migrations: [
    { name: "notes", up: "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)" },
    { name: "seed", up: ["INSERT INTO notes (body) VALUES ('a')", "INSERT INTO notes (body) VALUES ('b')"] },
  ],
};

describeBackends("migrate", (db) => {
  it("applies every step once and is a no-op the second time", async () => {
    expect(await migrate(db(), [sample])).toBe(2);
    expect(await migrate(db(), [sample])).toBe(0);
    const { rows } = await db().pool.query("SELECT count(*)::int AS n FROM notes");
    expect(rows[0].n).toBe(2);
    const versions = await db().pool.query("SELECT version, name FROM threadline_migrations ORDER BY version");
    expect(versions.rows).toEqual([
      { version: 0, name: "notes" },
      { version: 1, name: "seed" },
    ]);
  });

  it("applies only the steps appended since the last run", async () => {
    await migrate(db(), [{ ...sample, migrations: sample.migrations.slice(0, 1) }]);
    expect(await migrate(db(), [sample])).toBe(2 - 1);
  });

  it("rolls back a failing step entirely and records nothing", async () => {
    const broken: MigrationSet = {
      component: "broken",
      migrations: [...sample.migrations, { name: "bad", up: "ALTER TABLE missing ADD COLUMN x int" }],
    };
    await expect(migrate(db(), [broken])).rejects.toThrow(/missing/);
    const { rows } = await db().pool.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1",
      [db().schema],
    );
    expect(rows[0].n).toBe(0);
  });

  it("refuses a database that is ahead of the code or an edited list", async () => {
    await migrate(db(), [sample]);
    await expect(migrate(db(), [{ ...sample, migrations: sample.migrations.slice(0, 1) }])).rejects.toThrow(/does not know/);
    const edited = { ...sample, migrations: [sample.migrations[0]!, { name: "renamed", up: "SELECT 1" }] };
    await expect(migrate(db(), [edited])).rejects.toThrow(/append-only/);
  });
});

describe.runIf(BACKENDS.includes("postgres"))("migrate from concurrent processes [postgres]", () => {
  it("applies each step exactly once when many start at once", async () => {
    const schema = uniqueSchema();
    const dbs = await Promise.all(Array.from({ length: 6 }, () => openTestDatabase("postgres", schema)));
    try {
      const counts = await Promise.all(dbs.map((d) => migrate(d, [sample])));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
      const { rows } = await dbs[0]!.pool.query("SELECT count(*)::int AS n FROM notes");
      expect(rows[0].n).toBe(2);
    } finally {
      await dbs[0]!.dispose();
      await Promise.all(dbs.slice(1).map((d) => d.close()));
    }
  });
});
