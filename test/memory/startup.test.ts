import { expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { checkMemoryReady, createMemory, memoryMigrations, prepareMemory } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";
import { catalogOf, DDL, recordStatements } from "./statements.js";

describeBackends("memory start-up", (db, backend) => {
  it("prepareMemory migrates once and tells the vector mode; the read-only check then agrees", async () => {
    const first = await prepareMemory(db());
    expect(first.applied).toBe(memoryMigrations.migrations.length);
    if (backend === "pglite") expect(first.vectorMode).toBe("pgvector");
    const again = await prepareMemory(db());
    expect(again).toEqual({ applied: 0, vectorMode: first.vectorMode });
    expect(await checkMemoryReady(db())).toBe(first.vectorMode);
    expect(await checkMemoryReady(db(), { vector: "exact" })).toBe("exact");
  });

  it("createMemory without migrating refuses an unprepared schema, naming the start-up, and creates nothing", async () => {
    const before = await catalogOf(db());
    const log = recordStatements(db());
    const error = await createMemory(db(), { migrate: false }).catch((e: unknown) => e);
    log.stop();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(new RegExp(`memory tables are missing in schema "${db().schema}".*threadline migrate`));
    expect(log.statements.length).toBeGreaterThan(0);
    expect(log.statements.filter((s) => DDL.test(s))).toEqual([]);
    expect(await catalogOf(db())).toEqual(before);
  });

  it("refuses a schema whose memory migrations are behind this version", async () => {
    await prepareMemory(db());
    const last = memoryMigrations.migrations.length - 1;
    await db().pool.query("DELETE FROM threadline_migrations WHERE component = 'memory' AND version = $1", [last]);
    await expect(checkMemoryReady(db())).rejects.toThrow(
      new RegExp(`at version ${last}, this version of Threadline needs ${last + 1}; run the start-up migration first: \`threadline migrate\``),
    );
  });

  it("opens memory on a prepared schema with reads only, the vector extension included", async () => {
    const { vectorMode } = await prepareMemory(db());
    const before = await catalogOf(db());
    const log = recordStatements(db());
    const memory = await createMemory(db(), { migrate: false });
    log.stop();
    expect(memory.archival.vectorMode).toBe(vectorMode);
    expect(log.statements.filter((s) => DDL.test(s))).toEqual([]);
    expect(await catalogOf(db())).toEqual(before);
    // The default still prepares, for applications that open memory where they start.
    expect((await createMemory(db())).archival.vectorMode).toBe(vectorMode);
  });

  it("refuses pgvector when required and absent, without installing it", async () => {
    await prepareMemory(db(), { vector: "exact" });
    const { rows } = await db().pool.query<{ usable: boolean }>("SELECT to_regtype('vector') IS NOT NULL AS usable");
    if (rows[0]!.usable) {
      // PGlite shares one database across tests: the extension may be there already.
      expect(await checkMemoryReady(db(), { vector: "pgvector" })).toBe("pgvector");
      return;
    }
    await expect(checkMemoryReady(db(), { vector: "pgvector" })).rejects.toThrow(/pgvector was required/);
    expect(await checkMemoryReady(db())).toBe("exact");
  });
});
