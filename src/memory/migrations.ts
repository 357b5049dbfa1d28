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
/**
 * One statement applying a set of changed messages (`rows`: scope, role,
 * words, +1 or -1) to the statistics: the counts rows of its scopes first
 * (reading "counted" in the words' filter runs it to completion), in key
 * order, even for no net change, then the words.
 */
function messageDelta(rows: string): string {
  return `WITH r AS MATERIALIZED (${rows}),
               counted AS (
                 INSERT INTO memory_counts AS c (assistant_id, user_id, messages)
                 SELECT assistant_id, user_id, sum(sign) FROM r GROUP BY 1, 2 ORDER BY 1, 2
                 ON CONFLICT (assistant_id, user_id) DO UPDATE SET messages = c.messages + EXCLUDED.messages
                 RETURNING 1
               )
             INSERT INTO memory_terms AS t (assistant_id, user_id, lexeme, df)
             SELECT r.assistant_id, r.user_id, w.lexeme, sum(r.sign)
               FROM r CROSS JOIN LATERAL unnest(tsvector_to_array(r.tsv)) AS w(lexeme)
              WHERE r.role IN ('user', 'assistant') AND (SELECT count(*) FROM counted) >= 0
              GROUP BY 1, 2, 3 HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3
             ON CONFLICT (assistant_id, user_id, lexeme) DO UPDATE SET df = t.df + EXCLUDED.df;`;
}

/**
 * The three statement triggers that run `fn` with a statement's rows: the
 * inserted ones as `added`, the deleted ones as `removed`, both for updates.
 */
function statementTriggers(table: string, fn: string): string[] {
  return [
    `CREATE TRIGGER ${table}_added AFTER INSERT ON ${table} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_changed AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_removed AFTER DELETE ON ${table} REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

/** The same for passages (`rows`: scope, +1 or -1), which only count. */
function passageDelta(rows: string): string {
  return `INSERT INTO memory_counts AS c (assistant_id, user_id, passages)
             SELECT assistant_id, user_id, sum(sign) FROM (${rows}) r GROUP BY 1, 2 ORDER BY 1, 2
             ON CONFLICT (assistant_id, user_id) DO UPDATE SET passages = c.passages + EXCLUDED.passages;`;
}

// What reaches zero goes: an erased user leaves no word and no count behind.
const EMPTIED_COUNTS = `DELETE FROM memory_counts c USING (SELECT DISTINCT assistant_id, user_id FROM removed) s
              WHERE (c.assistant_id, c.user_id) = (s.assistant_id, s.user_id) AND c.messages <= 0 AND c.passages <= 0;`;
const EMPTIED = `DELETE FROM memory_terms t
                USING (SELECT DISTINCT r.assistant_id, r.user_id, w.lexeme
                         FROM removed r CROSS JOIN LATERAL unnest(tsvector_to_array(r.tsv)) AS w(lexeme)) s
                WHERE (t.assistant_id, t.user_id, t.lexeme) = (s.assistant_id, s.user_id, s.lexeme) AND t.df <= 0;
             ${EMPTIED_COUNTS}`;

const UPDATE_ROWS = `SELECT a.assistant_id, a.user_id, a.role, a.tsv, 1 AS sign FROM added a
                WHERE NOT EXISTS (SELECT 1 FROM removed o WHERE (o.assistant_id, o.user_id, o.thread_id, o.message_id, o.role, o.tsv)
                                                              = (a.assistant_id, a.user_id, a.thread_id, a.message_id, a.role, a.tsv))
               UNION ALL
               SELECT o.assistant_id, o.user_id, o.role, o.tsv, -1 FROM removed o
                WHERE NOT EXISTS (SELECT 1 FROM added a WHERE (o.assistant_id, o.user_id, o.thread_id, o.message_id, o.role, o.tsv)
                                                            = (a.assistant_id, a.user_id, a.thread_id, a.message_id, a.role, a.tsv))`;

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
      // each user and assistant message keeps its unit-length embedding,
      // and its sign bits (one per number), which pick the candidates the
      // embeddings then rank (see RECALL_SQL.relevant).
      name: "recall_embeddings",
      up: ["ALTER TABLE memory_messages ADD COLUMN embedding real[]", "ALTER TABLE memory_messages ADD COLUMN embedding_sketch bit varying"],
    },
    {
      // Counts every model call reads, kept as rows change instead of counted
      // each time: how many messages and passages a scope has (the prompt's
      // memory metadata, BM25's document count) and in how many of its user
      // and assistant messages each word is (BM25's document frequency).
      //
      // The triggers see each statement's rows at once. Every call first
      // writes the counts row of each scope it touches (in key order, even
      // for no net change), then the words: one statement can fire several
      // triggers (an upsert fires INSERT and UPDATE), and taking the scope's
      // counts row first makes it the one lock writers of a user queue on,
      // instead of word rows taken in different orders (a deadlock).
      // The functions resolve the tables in the schema they were created in
      // (search_path FROM CURRENT): a schema renamed later needs them
      // recreated.
      name: "memory_statistics",
      up: [
        // No write may fall between the backfill and the triggers.
        "LOCK TABLE memory_messages, memory_passages IN SHARE ROW EXCLUSIVE MODE",
        `CREATE TABLE memory_counts (
          assistant_id text   NOT NULL,
          user_id      text   NOT NULL,
          messages     bigint NOT NULL DEFAULT 0,
          passages     bigint NOT NULL DEFAULT 0,
          PRIMARY KEY (assistant_id, user_id)
        )`,
        `CREATE TABLE memory_terms (
          assistant_id text   NOT NULL,
          user_id      text   NOT NULL,
          lexeme       text   NOT NULL,
          df           bigint NOT NULL,
          PRIMARY KEY (assistant_id, user_id, lexeme)
        )`,
        `INSERT INTO memory_counts (assistant_id, user_id, messages, passages)
         SELECT assistant_id, user_id, sum(messages), sum(passages)
           FROM (SELECT assistant_id, user_id, count(*) AS messages, 0 AS passages FROM memory_messages GROUP BY 1, 2
                 UNION ALL
                 SELECT assistant_id, user_id, 0, count(*) FROM memory_passages GROUP BY 1, 2) c
          GROUP BY 1, 2`,
        `INSERT INTO memory_terms (assistant_id, user_id, lexeme, df)
         SELECT m.assistant_id, m.user_id, w.lexeme, count(*)
           FROM memory_messages m CROSS JOIN LATERAL unnest(tsvector_to_array(m.tsv)) AS w(lexeme)
          WHERE m.role IN ('user', 'assistant')
          GROUP BY 1, 2, 3`,
        // The rows a statement changed, as (scope, role, words, +1 or -1): an
        // update counts as its old row leaving and its new row coming, unless
        // it kept its scope, role and words (a new embedding, say). Static
        // SQL, one branch per event, so each session plans it once.
        `CREATE FUNCTION memory_messages_statistics() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
         BEGIN
           IF TG_OP = 'INSERT' THEN
             ${messageDelta("SELECT assistant_id, user_id, role, tsv, 1 AS sign FROM added")}
           ELSIF TG_OP = 'DELETE' THEN
             ${messageDelta("SELECT assistant_id, user_id, role, tsv, -1 AS sign FROM removed")}
             ${EMPTIED}
           ELSE
             ${messageDelta(UPDATE_ROWS)}
             ${EMPTIED}
           END IF;
           RETURN NULL;
         END $$`,
        ...statementTriggers("memory_messages", "memory_messages_statistics"),
        `CREATE FUNCTION memory_passages_statistics() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
         BEGIN
           IF TG_OP = 'INSERT' THEN
             ${passageDelta("SELECT assistant_id, user_id, 1 AS sign FROM added")}
           ELSIF TG_OP = 'DELETE' THEN
             ${passageDelta("SELECT assistant_id, user_id, -1 AS sign FROM removed")}
             ${EMPTIED_COUNTS}
           ELSE
             ${passageDelta("SELECT assistant_id, user_id, 1 AS sign FROM added UNION ALL SELECT assistant_id, user_id, -1 FROM removed")}
             ${EMPTIED_COUNTS}
           END IF;
           RETURN NULL;
         END $$`,
        ...statementTriggers("memory_passages", "memory_passages_statistics"),
      ],
    },
  ],
};
