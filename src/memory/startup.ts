import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { ConfigurationError } from "../errors.js";
import { memoryMigrations } from "./migrations.js";
import { READY_SQL, RESCOPE_SQL } from "./sql.js";
import { ensureVectorSupport, type VectorMode, type VectorPreference } from "./vector.js";

export interface MemoryStartupOptions {
  /** "auto" (default): pgvector when the server has it or lets it be installed, else the exact fallback. */
  vector?: VectorPreference;
}

export interface MemoryStartup {
  /** How archival search compares embeddings on this database. */
  vectorMode: VectorMode;
  /** Migration steps applied now (0 when the schema was already up to date). */
  applied: number;
}

const MIGRATE_HINT = "run the start-up migration first: `threadline migrate`, or `await prepareMemory(db)` where your application starts";

/**
 * The memory layer's start-up, for an entry point to run once when it opens
 * the database (the CLI, a server, your application's main): applies the
 * memory migrations and installs pgvector in `public` when the server offers
 * it and the role may. This is the only place memory creates or alters
 * anything; graph nodes reach memory through `createMemory(db, { migrate: false })`,
 * which only checks. Safe to run from several processes at once (migrations
 * queue on an advisory lock).
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * const { vectorMode } = await prepareMemory(db); // "pgvector" on PGlite
 * const runtime = await Runtime.open({ db, project });
 */
export async function prepareMemory(db: Database, options: MemoryStartupOptions = {}): Promise<MemoryStartup> {
  const applied = await migrate(db, [memoryMigrations]);
  const preference = options.vector ?? "auto";
  const available = preference === "exact" ? "exact" : await ensureVectorSupport(db);
  return { vectorMode: chooseVectorMode(db, preference, available), applied };
}

/**
 * Read-only check that memory can be used as it is: the memory migrations of
 * this version are applied in the database's schema. Returns the vector mode
 * from what is installed, never installing anything. A schema that was not
 * prepared (or is behind) fails with a ConfigurationError that says to run
 * the start-up migration; one ahead of this code says to upgrade.
 *
 * @example
 * const vectorMode = await checkMemoryReady(db); // throws until prepareMemory(db) ran
 */
export async function checkMemoryReady(db: Database, options: MemoryStartupOptions = {}): Promise<VectorMode> {
  const { rows } = await db.pool.query<{ tracked: boolean; pgvector: boolean }>(READY_SQL.inspect, [db.schema]);
  const { tracked, pgvector } = rows[0]!;
  const applied = tracked
    ? ((await db.pool.query<{ n: number }>(READY_SQL.applied, [memoryMigrations.component])).rows[0]?.n ?? 0)
    : 0;
  const needed = memoryMigrations.migrations.length;
  if (applied === 0) {
    throw new ConfigurationError(`the memory tables are missing in schema "${db.schema}" of ${db.location}; ${MIGRATE_HINT}`);
  }
  if (applied < needed) {
    throw new ConfigurationError(
      `the memory tables in schema "${db.schema}" of ${db.location} are at version ${applied}, this version of Threadline needs ${needed}; ${MIGRATE_HINT}`,
    );
  }
  if (applied > needed) {
    throw new ConfigurationError(
      `the database has ${applied} memory migrations in schema "${db.schema}" of ${db.location}, more than the ${needed} this version of Threadline knows; upgrade Threadline`,
    );
  }
  const preference = options.vector ?? "auto";
  return chooseVectorMode(db, preference, preference === "exact" || !pgvector ? "exact" : "pgvector");
}

function chooseVectorMode(db: Database, preference: VectorPreference, available: VectorMode): VectorMode {
  if (preference === "exact") return "exact";
  if (preference === "pgvector" && available !== "pgvector") {
    throw new ConfigurationError(`pgvector was required but the database at ${db.location} does not have the vector extension`);
  }
  return available;
}

/**
 * Moves memory kept under one assistant id to another, e.g. from a graph id
 * (the scope before assistants were records) to the id of that graph's
 * system assistant. Idempotent; returns how many rows moved.
 *
 * @example
 * await rescopeAssistantMemory(db, "agent", systemAssistantId("agent"));
 */
export async function rescopeAssistantMemory(db: Pick<Database, "pool">, from: string, to: string): Promise<number> {
  const { rows } = await db.pool.query<{ moved: number }>(RESCOPE_SQL, [from, to]);
  return rows[0]!.moved;
}
