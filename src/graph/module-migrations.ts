import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import type { MigrationSet } from "../db/migrate.js";
import { coreMigrations } from "../db/migrations.js";
import { memoryMigrations } from "../memory/migrations.js";
import { storeMigrations } from "../store/migrations.js";
import { checkpointMigrations } from "../../checkpoints/migrations.js";

/** Components Threadline migrates itself; a graph module claiming one would edit their lists. */
const RESERVED = new Set([coreMigrations, memoryMigrations, storeMigrations, checkpointMigrations].map((s) => s.component));

const COMPONENT = /^[a-z][a-z0-9_.-]{0,62}$/;

const Shape = z.object({
  component: z
    .string({ error: "required: the name the migrations are recorded under" })
    .regex(COMPONENT, "use lower-case letters, digits, '_', '.' or '-' (at most 63, starting with a letter)")
    .refine((c) => !RESERVED.has(c), `reserved for Threadline's own tables (${[...RESERVED].join(", ")})`),
  migrations: z.array(
    z.object({
      name: z.string().min(1, "a migration needs a name"),
      up: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: "expected SQL text or a list of statements" }),
    }),
    { error: "expected a list of { name, up } steps" },
  ),
});

const EXAMPLE = 'export const migrations = { component: "banking", migrations: [{ name: "accounts", up: "CREATE TABLE …" }] }';

/**
 * Checks a graph module's `migrations` export: a MigrationSet whose
 * component the module names (so the langgraph.json key does not matter).
 * `where` names the export in errors.
 *
 * @example
 * graphMigrationSet({ component: "banking", migrations: [...] }, "graphs/banking.ts"); // the set
 * graphMigrationSet([...], "graphs/banking.ts"); // ConfigurationError telling the shape to export
 */
export function graphMigrationSet(value: unknown, where: string): MigrationSet | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    throw new ConfigurationError(`${where} is a bare list of migrations; export a MigrationSet that names its component: ${EXAMPLE}`);
  }
  const parsed = Shape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ConfigurationError(`${where}: ${path}${issue.message} (expected ${EXAMPLE})`);
  }
  // The module's own object: the same module under two keys gives the same set.
  return value as MigrationSet;
}
