import type { MigrationSet } from "../db/migrate.js";

/**
 * Tables of the memory layer. Append-only: the index is the version, and the
 * steps are the same on every backend. Embeddings live in a portable `real[]`
 * column so the schema does not depend on whether pgvector is installed; the
 * vector path casts to `vector` at query time (see `vector.ts`).
 *
 * Every table leads its btree indexes with (assistant_id, user_id) because
 * every query filters on both. The full-text GIN indexes cannot include them
 * without btree_gin, which is not assumed; the planner combines them with the
 * scope index (BitmapAnd) when that pays.
 */
export const memoryMigrations: MigrationSet = {
  component: "memory",
  migrations: [
    {
      name: "core_blocks",
      up: `CREATE TABLE memory_blocks (
        assistant_id text        NOT NULL,
        user_id      text        NOT NULL,
        label        text        NOT NULL CHECK (label ~ '^[a-z][a-z0-9_]{0,62}$'),
        value        text        NOT NULL DEFAULT '',
        description  text        NOT NULL DEFAULT '',
        char_limit   integer     NOT NULL CHECK (char_limit > 0),
        read_only    boolean     NOT NULL DEFAULT false,
        version      integer     NOT NULL DEFAULT 1,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (assistant_id, user_id, label),
        CHECK (char_length(value) <= char_limit)
      )`,
    },
    {
      name: "recall_messages",
      up: [
        `CREATE TABLE memory_messages (
          seq          bigint      GENERATED ALWAYS AS IDENTITY,
          assistant_id text        NOT NULL,
          user_id      text        NOT NULL,
          thread_id    text        NOT NULL,
          message_id   text        NOT NULL,
          role         text        NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'system')),
          content      text        NOT NULL,
          tool_calls   jsonb,
          tool_call_id text,
          created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
          tsv          tsvector    GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
          PRIMARY KEY (assistant_id, user_id, thread_id, message_id)
        )`,
        "CREATE INDEX memory_messages_scope_time_idx ON memory_messages (assistant_id, user_id, created_at DESC, seq DESC)",
        "CREATE INDEX memory_messages_thread_time_idx ON memory_messages (assistant_id, user_id, thread_id, created_at DESC, seq DESC)",
        "CREATE INDEX memory_messages_tsv_idx ON memory_messages USING gin (tsv)",
      ],
    },
    {
      name: "archival_passages",
      up: [
        `CREATE TABLE memory_passages (
          id           text        PRIMARY KEY,
          assistant_id text        NOT NULL,
          user_id      text        NOT NULL,
          content      text        NOT NULL,
          tags         text[]      NOT NULL DEFAULT '{}',
          embedding    real[],
          created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
          tsv          tsvector    GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
        )`,
        "CREATE INDEX memory_passages_scope_time_idx ON memory_passages (assistant_id, user_id, created_at DESC)",
        "CREATE INDEX memory_passages_tsv_idx ON memory_passages USING gin (tsv)",
        "CREATE INDEX memory_passages_tags_idx ON memory_passages USING gin (tags)",
      ],
    },
    {
      // The checkpoint the graph step that recorded a message ran from, so a
      // step re-run on another branch can tell the rows of an abandoned
      // attempt from those of its own or a parallel node's (see recordStep).
      name: "recall_step_checkpoint",
      up: "ALTER TABLE memory_messages ADD COLUMN step_checkpoint_id text",
    },
    {
      // A thread's deletion or expiry removes its messages in every scope,
      // and recordStep looks only at the rows after the newest held one.
      name: "recall_thread_seq_index",
      up: "CREATE INDEX memory_messages_thread_seq_idx ON memory_messages (thread_id, seq)",
    },
    {
      // Every model call searches recall memory: a GIN index's pending list
      // (its fast-update buffer, up to 4 MB) is read in full by every search
      // until a vacuum merges it, which made a search over a freshly filled
      // memory take tens of milliseconds per word. Inserts merge at once instead.
      name: "recall_text_index_no_pending_list",
      up: [
        "ALTER INDEX memory_messages_tsv_idx SET (fastupdate = off)",
        "SELECT gin_clean_pending_list('memory_messages_tsv_idx'::regclass)",
      ],
    },
    {
      // With an embeddings provider, recall search also ranks by meaning:
      // each user and assistant message keeps its unit-length embedding.
      name: "recall_embeddings",
      up: "ALTER TABLE memory_messages ADD COLUMN embedding real[]",
    },
  ],
};
