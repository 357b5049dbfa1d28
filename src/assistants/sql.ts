/** Every statement of the assistants; snake_case columns mapped once here. */
const columns = (t = "") => `${t}assistant_id::text AS "assistantId", ${t}graph_id AS "graphId", ${t}name, ${t}description,
  ${t}config, ${t}context, ${t}metadata, ${t}version, ${t}created_at AS "createdAt", ${t}updated_at AS "updatedAt"`;
const COLUMNS = columns();

const VERSION_COLUMNS = `assistant_id::text AS "assistantId", version, graph_id AS "graphId", name, description, config, context,
                         metadata, created_at AS "createdAt"`;

// System assistants are visible to everyone.
const VISIBLE = "(user_id = $2 OR user_id = '~system')";

/** Filters shared by search and count: $1 owner, $2 graph id, $3 metadata containment, $4 name substring. */
const FILTERS = `(user_id = $1 OR user_id = '~system')
            AND ($2::text IS NULL OR graph_id = $2)
            AND ($3::jsonb IS NULL OR metadata @> $3::jsonb)
            AND ($4::text IS NULL OR strpos(lower(name), lower($4)) > 0)`;

/** Columns search may sort by (validated against this list before reaching SQL). */
export const SORT_COLUMNS = {
  assistant_id: "assistant_id",
  graph_id: "graph_id",
  name: "name",
  created_at: "created_at",
  updated_at: "updated_at",
} as const;

export type AssistantSortBy = keyof typeof SORT_COLUMNS;

export const ASSISTANT_SQL = {
  get: `SELECT ${COLUMNS}, user_id AS owner FROM assistants WHERE assistant_id = $1::uuid AND ${VISIBLE}`,
  insert: `INSERT INTO assistants (assistant_id, graph_id, name, description, config, context, metadata, user_id)
           VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (assistant_id) DO NOTHING
           RETURNING ${COLUMNS}`,
  lock: "SELECT 1 FROM assistants WHERE assistant_id = $1::uuid FOR UPDATE",
  /** The assistant as it now is, as a version that must be new (a clash fails loudly). */
  recordVersion: `INSERT INTO assistant_versions (assistant_id, version, graph_id, name, description, config, context, metadata)
                  SELECT assistant_id, version, graph_id, name, description, config, context, metadata
                    FROM assistants WHERE assistant_id = $1::uuid`,
  insertVersion: `INSERT INTO assistant_versions (assistant_id, version, graph_id, name, description, config, context, metadata)
                  SELECT assistant_id, version, graph_id, name, description, config, context, metadata
                    FROM assistants WHERE assistant_id = $1::uuid
                  ON CONFLICT DO NOTHING`,
  // A new version from the latest one, with the given fields replaced and
  // metadata merged (as LangGraph's server does).
  update: `WITH next AS (
             SELECT COALESCE(MAX(version), 0) + 1 AS version FROM assistant_versions WHERE assistant_id = $1::uuid
           )
           UPDATE assistants a
              SET graph_id = COALESCE($3, a.graph_id),
                  name = COALESCE($4, a.name),
                  description = CASE WHEN $5::boolean THEN $6 ELSE a.description END,
                  config = COALESCE($7, a.config),
                  context = COALESCE($8, a.context),
                  metadata = a.metadata || COALESCE($9::jsonb, '{}'),
                  version = next.version,
                  updated_at = now()
             FROM next
            WHERE a.assistant_id = $1::uuid AND a.user_id = $2
        RETURNING ${columns("a.")}`,
  delete: "DELETE FROM assistants WHERE assistant_id = $1::uuid AND user_id = $2",
  search: (sortBy: string, order: "ASC" | "DESC") => `SELECT ${COLUMNS} FROM assistants
          WHERE ${FILTERS}
          ORDER BY ${sortBy} ${order}, assistant_id
          LIMIT $5 OFFSET $6`,
  count: `SELECT count(*)::int AS n FROM assistants WHERE ${FILTERS}`,
  versions: `SELECT ${VERSION_COLUMNS} FROM assistant_versions
              WHERE assistant_id = $1::uuid AND ($2::jsonb IS NULL OR metadata @> $2::jsonb)
              ORDER BY version DESC LIMIT $3 OFFSET $4`,
  setLatest: `UPDATE assistants a
                 SET graph_id = v.graph_id, name = v.name, description = v.description, config = v.config,
                     context = v.context, metadata = v.metadata, version = v.version, updated_at = now()
                FROM assistant_versions v
               WHERE a.assistant_id = $1::uuid AND a.user_id = $2 AND v.assistant_id = a.assistant_id AND v.version = $3
           RETURNING a.assistant_id::text AS "assistantId"`,
} as const;

export interface AssistantRow {
  assistantId: string;
  graphId: string;
  name: string;
  description: string | null;
  config: Record<string, unknown>;
  context: Record<string, unknown>;
  metadata: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssistantVersionRow extends Omit<AssistantRow, "updatedAt"> {}
