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
    {
      // Threads become records of their own: created before any run (no
      // graph yet), always owned ('~anonymous' when no user is named), with
      // the status, latest values and pending interrupts the runs keep, so
      // they can be searched without replaying checkpoints. NULL values mean
      // "not recorded yet" (threads from before this step) and are filled
      // from the checkpoints on first read.
      name: "threads_as_records",
      up: [
        "ALTER TABLE threads ALTER COLUMN graph_id DROP NOT NULL",
        "UPDATE threads SET user_id = '~anonymous' WHERE user_id IS NULL",
        "ALTER TABLE threads ALTER COLUMN user_id SET NOT NULL",
        `ALTER TABLE threads ADD COLUMN status text NOT NULL DEFAULT 'idle'
           CHECK (status IN ('idle', 'busy', 'interrupted', 'error'))`,
        `ALTER TABLE threads ADD COLUMN "values" jsonb`,
        "ALTER TABLE threads ADD COLUMN interrupts jsonb",
        // Time to live: 'fixed' counts from when it was set, 'sliding' from the last run.
        "ALTER TABLE threads ADD COLUMN ttl_strategy text CHECK (ttl_strategy IN ('fixed', 'sliding'))",
        "ALTER TABLE threads ADD COLUMN ttl_ms bigint CHECK (ttl_ms > 0)",
        "ALTER TABLE threads ADD COLUMN expires_at timestamptz",
        "CREATE INDEX threads_status_idx ON threads (user_id, status, updated_at DESC, thread_id)",
        "CREATE INDEX threads_metadata_idx ON threads USING gin (metadata jsonb_path_ops)",
        "CREATE INDEX threads_expires_at_idx ON threads (expires_at) WHERE expires_at IS NOT NULL",
      ],
    },
    {
      // Assistants: a graph plus its configuration, versioned. Every update
      // writes a version row; the assistants row holds the version in use.
      name: "assistants",
      up: [
        `CREATE TABLE assistants (
          assistant_id uuid        PRIMARY KEY,
          graph_id     text        NOT NULL,
          name         text        NOT NULL,
          description  text,
          config       jsonb       NOT NULL DEFAULT '{}',
          context      jsonb       NOT NULL DEFAULT '{}',
          metadata     jsonb       NOT NULL DEFAULT '{}',
          version      integer     NOT NULL DEFAULT 1,
          user_id      text        NOT NULL,
          created_at   timestamptz NOT NULL DEFAULT now(),
          updated_at   timestamptz NOT NULL DEFAULT now()
        )`,
        "CREATE INDEX assistants_owner_idx ON assistants (user_id, updated_at DESC, assistant_id)",
        "CREATE INDEX assistants_metadata_idx ON assistants USING gin (metadata jsonb_path_ops)",
        `CREATE TABLE assistant_versions (
          assistant_id uuid        NOT NULL REFERENCES assistants ON DELETE CASCADE,
          version      integer     NOT NULL,
          graph_id     text        NOT NULL,
          name         text        NOT NULL,
          description  text,
          config       jsonb       NOT NULL,
          context      jsonb       NOT NULL,
          metadata     jsonb       NOT NULL,
          created_at   timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (assistant_id, version)
        )`,
      ],
    },
    {
      // Runs and their event log. At most one run per thread is 'running',
      // and the database says so (the partial unique index), whichever
      // process asks. The process executing a run holds a session advisory
      // lock keyed by its id, so a run whose process died is recognised at
      // once (the server drops the lock with the connection).
      name: "runs",
      up: [
        `CREATE TABLE runs (
          run_id             uuid        PRIMARY KEY,
          thread_id          text        NOT NULL REFERENCES threads ON DELETE CASCADE,
          assistant_id       uuid        NOT NULL,
          graph_id           text        NOT NULL,
          user_id            text        NOT NULL,
          status             text        NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'running', 'success', 'error', 'timeout', 'interrupted')),
          request            jsonb       NOT NULL,
          metadata           jsonb       NOT NULL DEFAULT '{}',
          multitask_strategy text        NOT NULL CHECK (multitask_strategy IN ('reject', 'interrupt', 'rollback', 'enqueue')),
          background         boolean     NOT NULL,
          cancel             text        CHECK (cancel IN ('interrupt', 'rollback')),
          output             jsonb,
          error              jsonb,
          attempt            integer     NOT NULL DEFAULT 0,
          run_after          timestamptz NOT NULL DEFAULT now(),
          created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
          updated_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
          started_at         timestamptz,
          ended_at           timestamptz
        )`,
        "CREATE UNIQUE INDEX runs_one_running_per_thread ON runs (thread_id) WHERE status = 'running'",
        "CREATE INDEX runs_thread_idx ON runs (thread_id, created_at, run_id)",
        "CREATE INDEX runs_pending_idx ON runs (run_after, created_at) WHERE status = 'pending'",
        `CREATE TABLE run_events (
          run_id     uuid        NOT NULL REFERENCES runs ON DELETE CASCADE,
          seq        integer     NOT NULL,
          event      text        NOT NULL,
          data       jsonb,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          PRIMARY KEY (run_id, seq)
        )`,
      ],
    },
  ],
};
