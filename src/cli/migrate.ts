import { migrateAll } from "../core.js";
import { openDatabase } from "../db/open.js";
import type { CliEnvironment } from "./env.js";
import { openProject } from "./session.js";
import { UsageError } from "./usage.js";

export const MIGRATE_USAGE = "threadline migrate [--json]";

/**
 * Brings the database up to date (core, checkpoints, memory, store, every
 * graph module's own tables) and exits; every other command does the same
 * when it opens, so this is for deploys that migrate before they serve.
 */
export async function migrateCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const json = argv.length === 1 && argv[0] === "--json";
  if (argv.length && !json) throw new UsageError(`usage: ${MIGRATE_USAGE}`);
  const project = await openProject(env);
  const db = await openDatabase(env.database());
  try {
    const applied = await migrateAll(db, project);
    if (json) out(JSON.stringify({ applied, location: db.location }));
    else out(applied ? `applied ${applied} migration step${applied === 1 ? "" : "s"} to ${db.location}` : `${db.location} is up to date`);
  } finally {
    await db.close();
  }
}
