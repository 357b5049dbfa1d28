import { describe, expect, it } from "vitest";
import pg from "pg";
import { TEST_DATABASE_URL } from "../helpers/db.js";
import { cliSandbox, runCli } from "../helpers/cli.js";

// Processes starting together are the point, and embedded PGlite admits
// one process; so this runs on the real Postgres only.
describe.skipIf(!TEST_DATABASE_URL)("start-up migration [postgres]", () => {
  it("of a fresh database by 4 processes at once applies every step once", async () => {
    const sandbox = await cliSandbox("postgres");
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => runCli(["migrate"], sandbox.env)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const schema = sandbox.env.THREADLINE_SCHEMA!;
      const { rows } = await client.query(`SELECT component, count(*)::int AS steps FROM ${schema}.threadline_migrations GROUP BY component ORDER BY component`);
      expect(rows.map((r) => r.component)).toEqual(["banking", "checkpoints", "core", "memory", "store"]);
      const applied = results.map((r) => Number(/applied (\d+)/.exec(r.stdout)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
      expect(applied).toBe(rows.reduce((n, r) => n + r.steps, 0));
      const again = await runCli(["migrate"], sandbox.env);
      expect(again.stdout).toMatch(/is up to date/);
    } finally {
      await client.end();
      await sandbox.dispose();
    }
  }, 120_000);
});
