import type { Database } from "../db/database.js";
import { withMigrationLock, type Migration, type MigrationSet } from "../db/migrate.js";
import { ConfigurationError } from "../errors.js";
import type { Project } from "./project.js";
import { MIGRATIONS_TABLE_EXISTS, RECORDED_MIGRATIONS, RENAME_COMPONENTS } from "./sql.js";

/** A graph whose module exports migrations, and the set that stands for them in the project. */
interface GraphMigrations {
  graphId: string;
  file: string;
  set: MigrationSet;
}

/** Migration records of one graph moved from its old component to the one its module names. */
export interface LegacyAdoption {
  graphId: string;
  /** `graph:<langgraph.json key>`, the component the old runtime recorded them under. */
  from: string;
  /** The component the module's MigrationSet names. */
  component: string;
  /** How many recorded steps moved. */
  steps: number;
}

/**
 * The migration sets of every graph of the project (each graph module
 * loaded), once per component: a module under two keys gives one set, and
 * two modules naming one component must carry the same steps (else a
 * ConfigurationError naming both). Apply them at start-up with `migrate()`,
 * after `adoptLegacyGraphMigrations`.
 *
 * @example
 * const project = await loadProject("langgraph.json");
 * await adoptLegacyGraphMigrations(db, project);
 * await migrate(db, [coreMigrations, ...(await projectMigrations(project))]);
 */
export async function projectMigrations(project: Project): Promise<MigrationSet[]> {
  const { sets } = await collect(project);
  return sets;
}

/**
 * Databases migrated before modules named their component recorded a
 * graph's steps under `graph:<langgraph.json key>`. For each graph whose
 * component has no records yet but whose old component has records that
 * match the module's list (same name at each version), the records move to
 * the new component, so `migrate()` finds them applied instead of running
 * the graph's CREATE TABLE again. Records that do not match stay where they
 * are. Runs in one transaction under the lock `migrate()` takes; returns
 * what moved.
 *
 * @example
 * const moved = await adoptLegacyGraphMigrations(db, project);
 * // [{ graphId: "banking", from: "graph:banking", component: "banking", steps: 1 }]
 */
export async function adoptLegacyGraphMigrations(db: Database, project: Project): Promise<LegacyAdoption[]> {
  const { graphs } = await collect(project);
  if (graphs.length === 0) return [];
  return withMigrationLock(db, async (client) => {
    const { rows: table } = await client.query<{ exists: boolean }>(MIGRATIONS_TABLE_EXISTS);
    if (!table[0]?.exists) return [];
    const components = [...new Set(graphs.flatMap((g) => [g.set.component, legacyComponent(g.graphId)]))];
    const { rows } = await client.query<{ component: string; version: number; name: string }>(RECORDED_MIGRATIONS, [components]);
    const recorded = new Map<string, { version: number; name: string }[]>();
    for (const row of rows) recorded.set(row.component, [...(recorded.get(row.component) ?? []), row]);
    const claimed = new Set(graphs.map((g) => g.set.component).filter((c) => recorded.has(c)));
    const adopted: LegacyAdoption[] = [];
    for (const { graphId, set } of graphs) {
      if (claimed.has(set.component)) continue;
      const from = legacyComponent(graphId);
      const legacy = recorded.get(from);
      if (!legacy || !legacy.every((row) => set.migrations[row.version]?.name === row.name)) continue;
      adopted.push({ graphId, from, component: set.component, steps: legacy.length });
      claimed.add(set.component);
    }
    if (adopted.length) {
      await client.query(RENAME_COMPONENTS, [adopted.map((a) => a.from), adopted.map((a) => a.component)]);
    }
    return adopted;
  });
}

function legacyComponent(graphId: string): string {
  return `graph:${graphId}`;
}

async function collect(project: Project): Promise<{ sets: MigrationSet[]; graphs: GraphMigrations[] }> {
  const owners = new Map<string, GraphMigrations>();
  const graphs: GraphMigrations[] = [];
  for (const graphId of project.graphIds) {
    const loaded = await project.load(graphId);
    const set = loaded.migrations;
    if (!set) continue;
    const owner = owners.get(set.component);
    if (!owner) owners.set(set.component, { graphId, file: loaded.file, set });
    else if (owner.set !== set && !sameSteps(owner.set.migrations, set.migrations)) {
      throw new ConfigurationError(
        `graphs "${owner.graphId}" (${owner.file}) and "${graphId}" (${loaded.file}) both claim the migration component "${set.component}" with different steps; give one of them a component of its own`,
      );
    }
    graphs.push({ graphId, file: loaded.file, set: owner?.set ?? set });
  }
  return { sets: [...owners.values()].map((o) => o.set), graphs };
}

function sameSteps(a: readonly Migration[], b: readonly Migration[]): boolean {
  const statements = (m: Migration) => (typeof m.up === "string" ? [m.up] : [...m.up]);
  return a.length === b.length && a.every((m, i) => m.name === b[i]!.name && JSON.stringify(statements(m)) === JSON.stringify(statements(b[i]!)));
}
