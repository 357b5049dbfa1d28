import type { MigrationSet } from "./migrate.js";

/** Tables of the runtime itself. Append-only: the index is the version. */
export const coreMigrations: MigrationSet = {
  component: "core",
  migrations: [
    {
      name: "threads",
      up: `CREATE TABLE threads (
        thread_id  text        PRIMARY KEY,
        graph_id   text        NOT NULL,
        metadata   jsonb       NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    },
    {
      name: "threads_updated_at_index",
      up: "CREATE INDEX threads_updated_at_idx ON threads (updated_at DESC, thread_id)",
    },
    {
      // Threads of agent graphs belong to the user named in the run's config;
      // threads of graphs without users keep a NULL owner.
      name: "threads_user_id",
      up: [
        "ALTER TABLE threads ADD COLUMN user_id text",
        "CREATE INDEX threads_user_id_idx ON threads (user_id, updated_at DESC, thread_id)",
      ],
    },
  ],
};
