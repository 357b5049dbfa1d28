import { resolve } from "node:path";
import { expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { ConfigurationError } from "../../src/errors.js";
import { adoptLegacyGraphMigrations, projectMigrations } from "../../src/graph/migrations.js";
import { loadProject } from "../../src/graph/project.js";
import { migrations as bankingMigrations } from "../../graphs/banking/accounts.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/graphs/migrations");
const project = (name: string) => loadProject(resolve(FIXTURES, `${name}.langgraph.json`));

async function recorded(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ entry: string }>(
    "SELECT component || '/' || version || '/' || name AS entry FROM threadline_migrations ORDER BY component, version",
  );
  return rows.map((r) => r.entry);
}

describeBackends("graph migrations under the component their module names", (db) => {
  it("renaming the graph in langgraph.json re-runs none of its migrations", async () => {
    expect(await migrate(db(), await projectMigrations(await project("before")))).toBe(1);
    await db().pool.query("INSERT INTO fixture_notes (id, body) VALUES (1, 'kept')");
    const renamed = await project("renamed");
    expect(renamed.graphIds).toEqual(["jottings"]);
    expect(await adoptLegacyGraphMigrations(db(), renamed)).toEqual([]);
    expect(await migrate(db(), await projectMigrations(renamed))).toBe(0);
    expect((await db().pool.query("SELECT body FROM fixture_notes")).rows).toEqual([{ body: "kept" }]);
    expect(await recorded(db())).toEqual(["notes/0/notes"]);
  });

  it("two keys pointing at one module give one set, migrated once", async () => {
    const sets = await projectMigrations(await project("two-keys"));
    expect(sets.map((s) => s.component)).toEqual(["notes"]);
    expect(await migrate(db(), sets)).toBe(1);
    expect(await recorded(db())).toEqual(["notes/0/notes"]);
  });

  it("two modules claiming one component with different steps is a ConfigurationError naming both", async () => {
    const err = await projectMigrations(await project("conflict")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toBe(
      `graphs "notes" (${resolve(FIXTURES, "notes.ts")}) and "other" (${resolve(FIXTURES, "other-notes.ts")}) both claim the migration component "notes" with different steps; give one of them a component of its own`,
    );
  });

  it("a bare list of migrations is refused with the shape to export, and Threadline's own components are reserved", async () => {
    const invalid = await project("invalid");
    await expect(invalid.load("bare")).rejects.toThrow(
      /^graph "bare": export "migrations" of .*bare-list\.ts is a bare list of migrations; export a MigrationSet that names its component: export const migrations = \{ component: "banking", migrations: \[/,
    );
    await expect(invalid.load("reserved")).rejects.toThrow(/^graph "reserved": export "migrations" of .*reserved\.ts: component: reserved for Threadline's own tables \(core, memory, store, checkpoints\)/);
  });

  it("a database migrated under graph:<key> is adopted without running CREATE TABLE again", async () => {
    // What the old runtime did: the banking module's steps under its langgraph.json key.
    await migrate(db(), [{ component: "graph:banking", migrations: bankingMigrations.migrations }]);
    await db().pool.query("UPDATE banking_accounts SET balance_cents = 1 WHERE account_id = 'ACC-1001'");
    const legacy = await project("legacy");
    expect(await adoptLegacyGraphMigrations(db(), legacy)).toEqual([
      { graphId: "banking", from: "graph:banking", component: "banking", steps: 1 },
    ]);
    expect(await recorded(db())).toEqual(["banking/0/accounts"]);
    expect(await migrate(db(), await projectMigrations(legacy))).toBe(0);
    const { rows } = await db().pool.query("SELECT balance_cents::int AS cents FROM banking_accounts WHERE account_id = 'ACC-1001'");
    expect(rows).toEqual([{ cents: 1 }]);
    // Adopted once: a second start-up finds nothing to move.
    expect(await adoptLegacyGraphMigrations(db(), legacy)).toEqual([]);
  });

  it("legacy records that do not match the module's steps stay where they are", async () => {
    await migrate(db(), [{ component: "graph:banking", migrations: [{ name: "something_else", up: "SELECT 1" }] }]);
    expect(await adoptLegacyGraphMigrations(db(), await project("legacy"))).toEqual([]);
    expect(await recorded(db())).toEqual(["graph:banking/0/something_else"]);
  });

  it("a new database has nothing to adopt", async () => {
    expect(await adoptLegacyGraphMigrations(db(), await project("legacy"))).toEqual([]);
    const { rows } = await db().pool.query("SELECT to_regclass('threadline_migrations') AS t");
    expect(rows).toEqual([{ t: null }]);
  });
});
