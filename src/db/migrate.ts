/**
 * Migrations: an append-only list of steps per component, whose index is
 * the version, recorded in `threadline_migrations` and applied under an
 * advisory lock keyed by the schema. The runtime and the checkpointer share
 * one implementation of that protocol, the checkpointer's, since it must
 * also run without the runtime.
 */
import { applyMigrations, type MigrationSet } from "../../checkpoints/index.js";
import type { Database } from "./database.js";

export { withMigrationLock, type Migration, type MigrationSet } from "../../checkpoints/index.js";

/**
 * Brings the schema up to date: creates it if needed and applies every
 * missing step of every set, all in one transaction holding an advisory lock
 * keyed by the schema. Processes starting together therefore queue on the
 * lock, and each after the first finds nothing to do. Refuses a database
 * ahead of the code or a list whose steps were renamed or reordered.
 * Returns how many steps were applied.
 */
export function migrate(db: Database, sets: readonly MigrationSet[]): Promise<number> {
  return applyMigrations(db, sets);
}
