import type { MigrationSet } from "./migrate.js";

/**
 * Tables of the checkpointer. Names carry a `tl_` prefix so they can live in
 * the same schema as the stock saver's `checkpoints`/`checkpoint_blobs`
 * during a migration. Append-only: the index is the version.
 */
export const checkpointMigrations: MigrationSet = {
  component: "checkpoints",
  migrations: [
    {
      name: "tables",
      up: [
        `CREATE TABLE tl_checkpoints (
          thread_id            text  NOT NULL,
          checkpoint_ns        text  NOT NULL,
          checkpoint_id        text  NOT NULL,
          parent_checkpoint_id text,
          run_id               text,
          checkpoint           jsonb NOT NULL,
          metadata             jsonb NOT NULL,
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
        )`,
        // Whole-value channel blobs, or for list values the id of the list's
        // last item (type 'tl:list'); shared by every checkpoint whose
        // channel_versions names this version.
        `CREATE TABLE tl_checkpoint_blobs (
          thread_id     text NOT NULL,
          checkpoint_ns text NOT NULL,
          channel       text NOT NULL,
          version       text NOT NULL,
          type          text NOT NULL,
          blob          bytea,
          PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
        )`,
        // Items of list values as a persistent linked list: node = hash(parent,
        // item), so a list that extends another stores only its new items and
        // forks share their common prefix.
        `CREATE TABLE tl_checkpoint_items (
          thread_id text  NOT NULL,
          node      bytea NOT NULL,
          parent    bytea,
          type      text  NOT NULL,
          blob      bytea NOT NULL,
          PRIMARY KEY (thread_id, node)
        )`,
        `CREATE TABLE tl_checkpoint_writes (
          thread_id     text    NOT NULL,
          checkpoint_ns text    NOT NULL,
          checkpoint_id text    NOT NULL,
          task_id       text    NOT NULL,
          idx           integer NOT NULL,
          channel       text    NOT NULL,
          type          text    NOT NULL,
          blob          bytea   NOT NULL,
          task_path     text    NOT NULL DEFAULT '',
          run_id        text,
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
        )`,
        "CREATE INDEX tl_checkpoints_run_idx ON tl_checkpoints (thread_id, run_id) WHERE run_id IS NOT NULL",
        "CREATE INDEX tl_checkpoint_writes_run_idx ON tl_checkpoint_writes (thread_id, run_id) WHERE run_id IS NOT NULL",
        `CREATE TABLE tl_checkpoint_ttl (
          thread_id  text        PRIMARY KEY,
          policy     text        NOT NULL CHECK (policy IN ('fixed', 'sliding')),
          ttl_ms     bigint      NOT NULL CHECK (ttl_ms > 0),
          expires_at timestamptz NOT NULL
        )`,
        "CREATE INDEX tl_checkpoint_ttl_expires_idx ON tl_checkpoint_ttl (expires_at)",
      ],
    },
    {
      // deleteRun() filters one thread, which the primary keys already lead
      // with; the partial run_id indexes only cost space (and a page each even
      // when empty).
      name: "drop run indexes",
      up: ["DROP INDEX IF EXISTS tl_checkpoints_run_idx", "DROP INDEX IF EXISTS tl_checkpoint_writes_run_idx"],
    },
    {
      // Most of a checkpoint record (ts, versions_seen...) is never queried
      // in SQL: it moves to a deflated column, and `checkpoint` keeps only
      // what queries read (v, channel_versions). Rows without it are whole.
      name: "packed checkpoint record",
      up: ["ALTER TABLE tl_checkpoints ADD COLUMN record bytea"],
    },
    {
      // One row per checkpoint: its changes since its parent (new list
      // items, changed values) and the pending writes that produced it, in
      // one compressed body. The previous tables stay, renamed, until
      // ThreadlineSaver.create() has converted what they hold (checkpoints/
      // legacy/convert.ts); an empty install drops them here.
      name: "one row per checkpoint",
      up: [
        "ALTER TABLE tl_checkpoints RENAME TO tl_legacy_checkpoints",
        "ALTER TABLE tl_legacy_checkpoints RENAME CONSTRAINT tl_checkpoints_pkey TO tl_legacy_checkpoints_pkey",
        "ALTER TABLE tl_checkpoint_blobs RENAME TO tl_legacy_checkpoint_blobs",
        "ALTER TABLE tl_legacy_checkpoint_blobs RENAME CONSTRAINT tl_checkpoint_blobs_pkey TO tl_legacy_checkpoint_blobs_pkey",
        "ALTER TABLE tl_checkpoint_items RENAME TO tl_legacy_checkpoint_items",
        "ALTER TABLE tl_legacy_checkpoint_items RENAME CONSTRAINT tl_checkpoint_items_pkey TO tl_legacy_checkpoint_items_pkey",
        `CREATE TABLE tl_checkpoints (
          thread_id            text     NOT NULL,
          checkpoint_ns        text     NOT NULL,
          checkpoint_id        text     NOT NULL,
          parent_checkpoint_id text,
          run_id               text,
          flags                smallint NOT NULL,
          body                 bytea    NOT NULL,
          PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
        )`,
        // Bodies are deflated already: a large one goes out of line as is.
        "ALTER TABLE tl_checkpoints ALTER COLUMN body SET STORAGE EXTERNAL",
        `DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM tl_legacy_checkpoints) THEN
            DROP TABLE tl_legacy_checkpoints, tl_legacy_checkpoint_blobs, tl_legacy_checkpoint_items;
          END IF;
        END $$`,
      ],
    },
    {
      // CRC32C of each row (checkpoints/checksum.ts), checked on every read.
      // Rows stored before it have none until `threadline checkpoints verify
      // --repair` adds it.
      name: "row checksums",
      up: [
        "ALTER TABLE tl_checkpoints ADD COLUMN checksum integer",
        "ALTER TABLE tl_checkpoint_writes ADD COLUMN checksum integer",
      ],
    },
  ],
};
