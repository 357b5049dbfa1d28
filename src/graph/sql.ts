/** Statements of the graph layer: adopting migration records of graphs migrated under their langgraph.json key. */

/** Whether the migration records exist yet (a new database has none to adopt). */
export const MIGRATIONS_TABLE_EXISTS = `SELECT to_regclass('threadline_migrations') IS NOT NULL AS "exists"`;

/** $1: components → their recorded steps. */
export const RECORDED_MIGRATIONS = `
SELECT component, version, name FROM threadline_migrations WHERE component = ANY($1::text[])`;

/** $1 old components, $2 the new component of each: every record moves in one statement. */
export const RENAME_COMPONENTS = `
UPDATE threadline_migrations AS m
   SET component = r.new_component
  FROM unnest($1::text[], $2::text[]) AS r(old_component, new_component)
 WHERE m.component = r.old_component`;
