import { expect, it } from "vitest";
import { withTransaction } from "../src/db/database.js";
import { openDatabase } from "../src/db/open.js";
import { describeBackends } from "./helpers/db.js";

describeBackends("database connection", (db) => {
  it("keeps working after failed statements, inside and outside transactions", async () => {
    const pool = db().pool;
    await expect(pool.query("SELECT 1/0")).rejects.toThrow(/division by zero/);
    await expect(pool.query("SELECT $1::int", ["x"])).rejects.toThrow(/invalid input syntax/);
    await expect(pool.query("SELECT * FROM no_such_table")).rejects.toThrow(/does not exist/);
    expect((await pool.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);

    await pool.query("CREATE TABLE kv (k text PRIMARY KEY)");
    await expect(
      withTransaction(db(), async (client) => {
        await client.query("INSERT INTO kv VALUES ('a')");
        await client.query("INSERT INTO kv VALUES ('a')");
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await pool.query("SELECT count(*)::int AS n FROM kv")).rows).toEqual([{ n: 0 }]);
    await Promise.all([pool.query("SELECT 1/0").catch(() => undefined), pool.query("INSERT INTO kv VALUES ('b')")]);
    expect((await pool.query("SELECT k FROM kv")).rows).toEqual([{ k: "b" }]);
  });

  it("resolves unqualified tables in the database's own schema", async () => {
    await db().pool.query("CREATE TABLE here (x int)");
    const { rows } = await db().pool.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'here'");
    expect(rows).toEqual([{ table_schema: db().schema }]);
  });
});

it("rejects a schema name that is not a plain identifier", async () => {
  await expect(openDatabase({ dataDir: "memory://", schema: "x; DROP TABLE y" })).rejects.toThrow(/invalid schema name/);
});
