import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll, afterEach, beforeEach, describe } from "vitest";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";

export type BackendName = "pglite" | "postgres";

/** PGlite always; the real Postgres too when TEST_DATABASE_URL is set. */
export const BACKENDS: BackendName[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

let shared: Promise<PGlite> | undefined;

/** One in-memory PGlite per test file (worker); tests isolate by schema. */
export function sharedPglite(): Promise<PGlite> {
  shared ??= PGlite.create({ extensions: { vector } });
  return shared;
}

afterAll(async () => {
  if (shared) await (await shared).close();
  shared = undefined;
});

export function uniqueSchema(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

export interface TestDatabase extends Database {
  /** Drops the schema and closes the connection. */
  dispose(): Promise<void>;
}

/** A database on its own fresh schema; nothing in it is seen by any other test. */
export async function openTestDatabase(backend: BackendName, schema = uniqueSchema()): Promise<TestDatabase> {
  const db =
    backend === "postgres"
      ? await openDatabase({ url: TEST_DATABASE_URL!, schema })
      : await openDatabase({ pglite: await sharedPglite(), schema });
  return Object.assign(db, {
    async dispose() {
      try {
        await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.close();
      }
    },
  });
}

/**
 * Declares `fn`'s tests once per backend; `db()` is a fresh schema per test.
 *
 * @example
 * describeBackends("threads", (db) => {
 *   it("lists", async () => { await db().pool.query("SELECT 1"); });
 * });
 */
export function describeBackends(title: string, fn: (db: () => TestDatabase, backend: BackendName) => void): void {
  describe.each(BACKENDS)(`${title} [%s]`, (backend) => {
    let current: TestDatabase | undefined;
    beforeEach(async () => {
      current = await openTestDatabase(backend);
    });
    afterEach(async () => {
      await current?.dispose();
      current = undefined;
    });
    fn(() => {
      if (!current) throw new Error("db() is only available inside a test");
      return current;
    }, backend);
  });
}
