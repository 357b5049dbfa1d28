import type { MigrationSet } from "../db/migrate.js";

/**
 * The table of ThreadlineStore, LangGraph's long-term store. Append-only:
 * the index is the version.
 *
 * A namespace is stored as its labels joined by "." (which labels may not
 * contain), in the "C" collation so that byte order holds: every namespace
 * under `a.b` sorts between `a.b.` and `a.b/`, a range the primary key's
 * index serves. The text of string and number values is indexed for
 * full-text search.
 */
export const storeMigrations: MigrationSet = {
  component: "store",
  migrations: [
    {
      name: "store_items",
      up: [
        `CREATE TABLE store_items (
          namespace  text        COLLATE "C" NOT NULL CHECK (namespace <> ''),
          key        text        NOT NULL,
          value      jsonb       NOT NULL CHECK (jsonb_typeof(value) = 'object'),
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          tsv        tsvector    GENERATED ALWAYS AS (jsonb_to_tsvector('english', value, '["string", "numeric"]')) STORED,
          PRIMARY KEY (namespace, key)
        )`,
        "CREATE INDEX store_items_tsv_idx ON store_items USING gin (tsv)",
      ],
    },
    {
      name: "store_items_ttl",
      up: [
        "ALTER TABLE store_items ADD COLUMN ttl_minutes float8 CHECK (ttl_minutes > 0), ADD COLUMN expires_at timestamptz",
        "CREATE INDEX store_items_expires_idx ON store_items (expires_at) WHERE expires_at IS NOT NULL",
      ],
    },
    {
      // Unit length, so cosine similarity is a dot product (as archival memory's).
      name: "store_items_embedding",
      up: "ALTER TABLE store_items ADD COLUMN embedding real[]",
    },
  ],
};
