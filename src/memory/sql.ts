/**
 * Every statement of the memory layer; snake_case columns mapped to camelCase
 * once here. Each statement filters on ($1 assistant_id, $2 user_id) first, so
 * no query can reach another user's or assistant's memory. The exceptions are
 * named for what they cross on purpose: a user's erasure (every assistant),
 * a thread's deletion (every scope that recorded it) and the start-up checks.
 */

const BLOCK_COLUMNS = `label, value, description, char_limit AS "limit", read_only AS "readOnly",
  version, updated_at AS "updatedAt"`;

// persona first, then human, then custom blocks in the order they were made.
const BLOCK_ORDER = `CASE label WHEN 'persona' THEN 0 WHEN 'human' THEN 1 ELSE 2 END, created_at, label`;

export const CORE_SQL = {
  get: `SELECT ${BLOCK_COLUMNS} FROM memory_blocks
         WHERE assistant_id = $1 AND user_id = $2 AND label = $3`,
  list: `SELECT ${BLOCK_COLUMNS} FROM memory_blocks
          WHERE assistant_id = $1 AND user_id = $2
          ORDER BY ${BLOCK_ORDER}`,
  // One round trip for all defaults; existing blocks are left as they are.
  ensure: `INSERT INTO memory_blocks (assistant_id, user_id, label, value, description, char_limit, read_only)
           SELECT $1, $2, d.label, d.value, d.description, d.char_limit, d.read_only
             FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::boolean[]) WITH ORDINALITY
                  AS d(label, value, description, char_limit, read_only, ord)
            ORDER BY d.ord
           ON CONFLICT (assistant_id, user_id, label) DO NOTHING`,
  create: `INSERT INTO memory_blocks (assistant_id, user_id, label, value, description, char_limit, read_only)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (assistant_id, user_id, label) DO NOTHING
           RETURNING ${BLOCK_COLUMNS}`,
  // The application's own (re)definition of a block: settings always win, the
  // value only when given ($4 NULL keeps it). Bumps the version so a model
  // edit based on the old settings conflicts.
  define: `INSERT INTO memory_blocks (assistant_id, user_id, label, value, description, char_limit, read_only)
           VALUES ($1, $2, $3, COALESCE($4, ''), $5, $6, $7)
           ON CONFLICT (assistant_id, user_id, label) DO UPDATE
              SET value = COALESCE($4, memory_blocks.value),
                  description = EXCLUDED.description,
                  char_limit = EXCLUDED.char_limit,
                  read_only = EXCLUDED.read_only,
                  version = memory_blocks.version + 1,
                  updated_at = clock_timestamp()
           RETURNING ${BLOCK_COLUMNS}`,
  // Optimistic lock: the edit applies only to the version it was computed from.
  update: `UPDATE memory_blocks
              SET value = $5, version = version + 1, updated_at = clock_timestamp()
            WHERE assistant_id = $1 AND user_id = $2 AND label = $3 AND version = $4 AND NOT read_only
           RETURNING ${BLOCK_COLUMNS}`,
  delete: `DELETE FROM memory_blocks WHERE assistant_id = $1 AND user_id = $2 AND label = $3`,
} as const;

// The counts come from memory_counts, which triggers keep (see the
// memory_statistics migration): one row read, however long the memory.
export const STATS_SQL = {
  get: `SELECT COALESCE((SELECT messages FROM memory_counts WHERE assistant_id = $1 AND user_id = $2), 0)::int AS "recallCount",
               COALESCE((SELECT passages FROM memory_counts WHERE assistant_id = $1 AND user_id = $2), 0)::int AS "archivalCount",
               (SELECT max(updated_at) FROM memory_blocks
                 WHERE assistant_id = $1 AND user_id = $2 AND version > 1) AS "lastEditedAt"`,
} as const;

// Text rank in [0, 2): 1 for matching the whole query (every word, phrases,
// exclusions), plus the cover-density rank over any of its words scaled into
// [0, 1) (normalisation 32), so full matches always come first.
const TEXT_RANK = `((CASE WHEN tsv @@ q THEN 1 ELSE 0 END) + ts_rank_cd(tsv, any_q, 32))::float8`;

// Embeddings are stored unit-length, so cosine similarity is the dot product
// with the query's embedding (parameter `q`). Both vector paths round it to 6
// decimals: pgvector sums in single precision and the exact fallback in
// double, and rounding makes them rank identically.
const PGVECTOR_SIMILARITY = (q: string) => `round((-(embedding::vector <#> ${q}::real[]::vector))::numeric, 6)::float8`;
const EXACT_SIMILARITY = (q: string) => `round((SELECT sum(a::float8 * b::float8) FROM unnest(embedding, ${q}::real[]) AS t(a, b))::numeric, 6)::float8`;

const MESSAGE_COLUMNS = `message_id AS "id", thread_id AS "threadId", role, content,
  tool_calls AS "toolCalls", tool_call_id AS "toolCallId", created_at AS "createdAt"`;

// Shared filters of both recall searches: $3 thread, $4 roles, $5 start, $6 end.
const MESSAGE_FILTERS = `assistant_id = $1 AND user_id = $2
  AND ($3::text IS NULL OR thread_id = $3)
  AND ($4::text[] IS NULL OR role = ANY($4::text[]))
  AND ($5::timestamptz IS NULL OR created_at >= $5)
  AND ($6::timestamptz IS NULL OR created_at <= $6)`;

// The batch arrives as one JSON array ($4) so its order (and so `seq`) is
// kept; $5 is the checkpoint the recording graph step ran from (NULL outside
// a graph). A message id already stored for the thread is the same message
// (as in LangGraph's own messages reducer), so its text and tool calls are
// replaced when they differ: a re-run step's reply supersedes the abandoned
// attempt's. Its time and position stay those of the first record. A
// record's `embedding` (when a provider gave one) goes with its text: a
// changed text takes the new one (or none), an unchanged text keeps the one
// it has and gains one it lacked (its provider failed the first time).
const UPSERT_MESSAGES = `INSERT INTO memory_messages
             (assistant_id, user_id, thread_id, message_id, role, content, tool_calls, tool_call_id, created_at, step_checkpoint_id,
              embedding, embedding_sketch)
           SELECT $1, $2, $3, m.doc->>'id', m.doc->>'role', m.doc->>'content',
                  NULLIF(m.doc->'toolCalls', 'null'::jsonb), m.doc->>'toolCallId',
                  COALESCE((m.doc->>'createdAt')::timestamptz, clock_timestamp()), $5::text,
                  CASE WHEN jsonb_typeof(m.doc->'embedding') = 'array'
                       THEN ARRAY(SELECT x::real FROM jsonb_array_elements_text(m.doc->'embedding') AS x) END,
                  (m.doc->>'sketch')::varbit
             FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS m(doc, ord)
            ORDER BY m.ord
           ON CONFLICT (assistant_id, user_id, thread_id, message_id) DO UPDATE
              SET role = EXCLUDED.role, content = EXCLUDED.content, tool_calls = EXCLUDED.tool_calls,
                  tool_call_id = EXCLUDED.tool_call_id, step_checkpoint_id = EXCLUDED.step_checkpoint_id,
                  embedding = CASE WHEN memory_messages.content IS DISTINCT FROM EXCLUDED.content THEN EXCLUDED.embedding
                                   ELSE COALESCE(memory_messages.embedding, EXCLUDED.embedding) END,
                  embedding_sketch = CASE WHEN memory_messages.content IS DISTINCT FROM EXCLUDED.content THEN EXCLUDED.embedding_sketch
                                          WHEN memory_messages.embedding IS NULL THEN EXCLUDED.embedding_sketch
                                          ELSE memory_messages.embedding_sketch END
            WHERE (memory_messages.role, memory_messages.content, memory_messages.tool_calls, memory_messages.tool_call_id)
                  IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.content, EXCLUDED.tool_calls, EXCLUDED.tool_call_id)
               OR (memory_messages.embedding IS NULL AND EXCLUDED.embedding IS NOT NULL)
           RETURNING 1`;

/**
 * The user and assistant messages most relevant to the words of $4, by
 * Okapi BM25 (k1 = 1.2, b = 0.75) over the scope's messages ($3: one thread,
 * or all when null), in one statement. Over all threads the number of
 * messages (every role) and each word's document frequency are read from
 * memory_counts and memory_terms, which triggers keep, so a search costs the
 * same over a long memory. In one thread they are counted, capped at 10,000
 * messages and 1,000 per word: past those a word's weight barely moves, and
 * the order of words by rarity, which is what ranks, is kept. A message's length is
 * its number of distinct lexemes, the mean length that of the candidates. Messages $5 are
 * left out; $6 the most returned. With $7, each comes with the message
 * just before it in its thread and the two after it (`before`, `after`,
 * `afterThat`, as JSON): a story told to an assistant goes on in the
 * user's next message, past the reply between.
 * The counts are MATERIALIZED: inlined, they would run once per row. A
 * candidate's words are narrowed to the query's before they are unnested
 * (weighted 'A' and filtered), so scoring reads a few lexemes per message
 * rather than all of them.
 * Candidates are the messages with a word of the query that is in
 * neither a fifth of them nor 1,000 (any word in 100 or fewer: a small
 * memory is searched whole; the rarest word when every one is common), the
 * newest 2,000 at most; every word of the query scores them.
 *
 * With a query embedding ($8, unit-length, and $9 its sign bits), the
 * messages nearest to it in meaning are ranked too: the newest 10,000 with
 * an embedding of its size are narrowed to the `pool` whose sign bits differ
 * least from the query's (a bit count, cheap), and those are ranked by
 * cosine similarity (a tenth of a millisecond per 1,536-number vector in SQL
 * arithmetic, far less with pgvector); those with a positive one count.
 * The two rankings are fused by reciprocal rank (k = 60): `rank` is the
 * fused score. Without a query embedding ($8, $9 NULL), the order is BM25's.
 */
function relevantSql(similarity: string, pool: number): string {
  return `WITH terms AS (
               SELECT DISTINCT t.lexeme FROM unnest(to_tsvector('english', $4)) AS t
             ), docs AS MATERIALIZED (
               SELECT (CASE WHEN $3::text IS NULL
                            THEN COALESCE((SELECT messages FROM memory_counts WHERE assistant_id = $1 AND user_id = $2), 0)
                            ELSE (SELECT count(*) FROM (SELECT 1 FROM memory_messages
                                   WHERE assistant_id = $1 AND user_id = $2 AND thread_id = $3 LIMIT 10000) d) END)::float8 AS n
             ), df AS MATERIALIZED (
               SELECT t.lexeme,
                      (CASE WHEN $3::text IS NULL
                            THEN COALESCE((SELECT s.df FROM memory_terms s WHERE s.assistant_id = $1 AND s.user_id = $2 AND s.lexeme = t.lexeme), 0)
                            ELSE (SELECT count(*) FROM (SELECT 1 FROM memory_messages m
                                   WHERE m.assistant_id = $1 AND m.user_id = $2 AND m.thread_id = $3
                                     AND m.role IN ('user', 'assistant') AND m.tsv @@ quote_literal(t.lexeme)::tsquery
                                   LIMIT 1000) c) END)::float8 AS df
                 FROM terms t
             ), candidates AS (
               SELECT m.thread_id, m.message_id, m.created_at, m.seq, m.tsv, length(m.tsv)::float8 AS dl
                 FROM memory_messages m
                WHERE m.assistant_id = $1 AND m.user_id = $2 AND ($3::text IS NULL OR m.thread_id = $3) AND m.role IN ('user', 'assistant')
                  AND m.tsv @@ (SELECT COALESCE(string_agg(quote_literal(df.lexeme), ' | ') FILTER (WHERE df.df > 0 AND df.df <= GREATEST(LEAST(docs.n / 5, 999), 100)),
                                                 (SELECT quote_literal(r.lexeme) FROM df r WHERE r.df > 0 ORDER BY r.df, r.lexeme LIMIT 1),
                                                 '')::tsquery
                                  FROM df CROSS JOIN docs)
                  AND NOT (m.message_id = ANY($5::text[]))
                ORDER BY m.created_at DESC
                LIMIT 2000
             ), mean AS MATERIALIZED (
               SELECT GREATEST(COALESCE(avg(dl), 1), 1) AS avgdl FROM candidates
             ), scored AS (
               SELECT c.thread_id, c.message_id, c.created_at, c.seq,
                      sum(ln(1 + (docs.n - df.df + 0.5) / (df.df + 0.5))
                          * (COALESCE(array_length(u.positions, 1), 1) * 2.2)
                          / (COALESCE(array_length(u.positions, 1), 1) + 1.2 * (0.25 + 0.75 * c.dl / mean.avgdl))) AS score
                 FROM candidates c
                 CROSS JOIN LATERAL unnest(ts_filter(setweight(c.tsv, 'A', (SELECT array_agg(lexeme) FROM terms)), '{a}')) AS u
                 JOIN df ON df.lexeme = u.lexeme
                 CROSS JOIN docs CROSS JOIN mean
                GROUP BY c.thread_id, c.message_id, c.created_at, c.seq
                ORDER BY score DESC, c.created_at DESC, c.seq DESC
                LIMIT $6
             ), near AS (
               SELECT c.thread_id, c.message_id, c.created_at, c.seq
                 FROM (SELECT m.thread_id, m.message_id, m.created_at, m.seq, m.embedding_sketch
                         FROM memory_messages m
                        WHERE $9::varbit IS NOT NULL AND m.assistant_id = $1 AND m.user_id = $2
                          AND ($3::text IS NULL OR m.thread_id = $3) AND m.role IN ('user', 'assistant')
                          AND length(m.embedding_sketch) = length($9::varbit)
                          AND NOT (m.message_id = ANY($5::text[]))
                        ORDER BY m.created_at DESC
                        LIMIT 10000) AS c
                ORDER BY bit_count(c.embedding_sketch # $9::varbit), c.created_at DESC, c.seq DESC
                LIMIT ${pool}
             ), nearest AS (
               SELECT s.thread_id, s.message_id, s.created_at, s.seq, s.sim
                 FROM (SELECT n.thread_id, n.message_id, n.created_at, n.seq, ${similarity} AS sim
                         FROM near n
                         JOIN memory_messages e ON e.assistant_id = $1 AND e.user_id = $2 AND e.thread_id = n.thread_id AND e.message_id = n.message_id
                        WHERE cardinality(e.embedding) = cardinality($8::real[])
                       OFFSET 0) AS s
                WHERE s.sim > 0
                ORDER BY s.sim DESC, s.created_at DESC, s.seq DESC
                LIMIT $6
             ), fused AS (
               SELECT r.thread_id, r.message_id, r.created_at, r.seq, sum(1.0 / (60 + r.n))::float8 AS score
                 FROM (SELECT thread_id, message_id, created_at, seq, row_number() OVER (ORDER BY score DESC, created_at DESC, seq DESC) AS n FROM scored
                       UNION ALL
                       SELECT thread_id, message_id, created_at, seq, row_number() OVER (ORDER BY sim DESC, created_at DESC, seq DESC) AS n FROM nearest) AS r
                GROUP BY r.thread_id, r.message_id, r.created_at, r.seq
                ORDER BY score DESC, r.created_at DESC, r.seq DESC
                LIMIT $6
             )
             SELECT h.message_id AS "id", h.thread_id AS "threadId", h.role, h.content, h.tool_calls AS "toolCalls",
                    h.tool_call_id AS "toolCallId", h.created_at AS "createdAt", s.score AS rank,
                    before.doc AS "before", after.docs -> 0 AS "after", after.docs -> 1 AS "afterThat"
               FROM fused s
               JOIN memory_messages h ON h.assistant_id = $1 AND h.user_id = $2 AND h.thread_id = s.thread_id AND h.message_id = s.message_id
               LEFT JOIN LATERAL (
                 SELECT jsonb_build_object('id', p.message_id, 'threadId', p.thread_id, 'role', p.role, 'content', p.content, 'createdAt', p.created_at) AS doc
                   FROM memory_messages p
                  WHERE $7::boolean AND p.assistant_id = $1 AND p.user_id = $2 AND p.thread_id = h.thread_id
                    AND (p.created_at, p.seq) < (h.created_at, h.seq) AND p.role IN ('user', 'assistant')
                  ORDER BY p.created_at DESC, p.seq DESC LIMIT 1
               ) before ON true
               LEFT JOIN LATERAL (
                 SELECT jsonb_agg(n.doc ORDER BY n.created_at, n.seq) AS docs
                   FROM (SELECT jsonb_build_object('id', p.message_id, 'threadId', p.thread_id, 'role', p.role, 'content', p.content, 'createdAt', p.created_at) AS doc,
                                p.created_at, p.seq
                           FROM memory_messages p
                          WHERE $7::boolean AND p.assistant_id = $1 AND p.user_id = $2 AND p.thread_id = h.thread_id
                            AND (p.created_at, p.seq) > (h.created_at, h.seq) AND p.role IN ('user', 'assistant')
                          ORDER BY p.created_at, p.seq LIMIT 2) AS n
               ) after ON true
              ORDER BY s.score DESC, h.created_at DESC, h.seq DESC`;
}

export const RECALL_SQL = {
  // Returns the rows written (new or changed).
  insert: `WITH written AS (${UPSERT_MESSAGES}) SELECT count(*)::int AS written FROM written`,
  // One graph step's messages, in one statement. $6 are the ids the thread
  // held when the step started. A row of this thread newer than the newest of
  // those, recorded by a step that ran from another checkpoint ($5), and
  // neither held nor being written now, was left by an attempt whose steps
  // the thread lost (it went on from an earlier checkpoint): it goes. Rows of
  // a parallel node of the same step share $5 and stay; rows recorded outside
  // a graph (NULL checkpoint) are never touched; rows folded into a summary
  // are older than every held message. The newest held row is a scalar
  // subquery so it runs once, and the (thread_id, seq) index bounds the scan
  // to the rows after it, usually none.
  recordStep: `WITH abandoned AS (
                 DELETE FROM memory_messages m
                  WHERE m.thread_id = $3 AND m.assistant_id = $1 AND m.user_id = $2
                    AND m.seq > (SELECT max(h.seq) FROM memory_messages h
                                  WHERE h.assistant_id = $1 AND h.user_id = $2 AND h.thread_id = $3
                                    AND h.message_id = ANY($6::text[]))
                    AND m.step_checkpoint_id <> $5::text
                    AND m.message_id <> ALL($6::text[])
                    AND m.message_id NOT IN (SELECT d->>'id' FROM jsonb_array_elements($4::jsonb) AS d)
                 RETURNING 1
               ), written AS (${UPSERT_MESSAGES})
               SELECT (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM abandoned)::int AS removed`,
  delete: `DELETE FROM memory_messages WHERE assistant_id = $1 AND user_id = $2 AND thread_id = $3 AND message_id = $4`,
  // Up to $3 of the scope's user and assistant messages recorded without an
  // embedding (before a provider was configured, or while it failed), newest
  // first; not those the provider refused (an empty sketch marks them).
  unembedded: `SELECT thread_id AS "threadId", message_id AS "id", content FROM memory_messages
                WHERE assistant_id = $1 AND user_id = $2 AND embedding_sketch IS NULL AND role IN ('user', 'assistant') AND btrim(content) <> ''
                ORDER BY created_at DESC, seq DESC LIMIT $3`,
  // Their embeddings ($3: [{threadId, id, content, embedding?, sketch?}]; one
  // without is marked refused), each only if the text is still the one sent.
  setEmbeddings: `UPDATE memory_messages m
                     SET embedding = CASE WHEN d.doc ? 'embedding' THEN ARRAY(SELECT x::real FROM jsonb_array_elements_text(d.doc->'embedding') AS x) END,
                         embedding_sketch = COALESCE((d.doc->>'sketch')::varbit, B'')
                    FROM jsonb_array_elements($3::jsonb) AS d(doc)
                   WHERE m.assistant_id = $1 AND m.user_id = $2 AND m.thread_id = d.doc->>'threadId'
                     AND m.message_id = d.doc->>'id' AND m.content = d.doc->>'content' AND m.embedding_sketch IS NULL`,
  // Every scope's rows of the thread: a deleted or expired thread leaves nothing.
  deleteThread: `DELETE FROM memory_messages WHERE thread_id = $1`,
  count: `SELECT COALESCE((SELECT messages FROM memory_counts WHERE assistant_id = $1 AND user_id = $2), 0)::int AS n`,
  // When each of the messages $4 of thread $3 was recorded (the primary key finds them).
  times: `SELECT message_id AS "id", created_at AS "createdAt" FROM memory_messages
           WHERE assistant_id = $1 AND user_id = $2 AND thread_id = $3 AND message_id = ANY($4::text[])`,
  // $7 query, $8 limit (+1 to learn whether a next page exists), $9 offset,
  // $10 its any-word form.
  searchText: `SELECT ${MESSAGE_COLUMNS}, ${TEXT_RANK} AS rank
                 FROM memory_messages, websearch_to_tsquery('english', $7) AS q,
                      websearch_to_tsquery('english', $10) AS any_q
                WHERE ${MESSAGE_FILTERS} AND tsv @@ any_q
                ORDER BY rank DESC, created_at DESC, seq DESC
                LIMIT $8 OFFSET $9`,
  /** `relevantSql` comparing embeddings with SQL arithmetic (no pgvector needed). */
  relevant: relevantSql(EXACT_SIMILARITY("$8"), 100),
  /** The same, comparing embeddings with pgvector's operator, over more of them for the same cost. */
  relevantPgvector: relevantSql(PGVECTOR_SIMILARITY("$8"), 400),
  searchRecent: `SELECT ${MESSAGE_COLUMNS}, 0::float8 AS rank
                   FROM memory_messages
                  WHERE ${MESSAGE_FILTERS}
                  ORDER BY created_at DESC, seq DESC
                  LIMIT $7 OFFSET $8`,
} as const;

const PASSAGE_COLUMNS = `id, content, tags, created_at AS "createdAt"`;

// Shared filters of the archival searches: $4 tags, $5 all-tags?, $6 start, $7 end.
const PASSAGE_FILTERS = `assistant_id = $1 AND user_id = $2
  AND ($4::text[] IS NULL OR (CASE WHEN $5::boolean THEN tags @> $4::text[] ELSE tags && $4::text[] END))
  AND ($6::timestamptz IS NULL OR created_at >= $6)
  AND ($7::timestamptz IS NULL OR created_at <= $7)`;


function vectorSearch(similarity: string): string {
  return `SELECT ${PASSAGE_COLUMNS}, ${similarity} AS score
            FROM memory_passages
           WHERE ${PASSAGE_FILTERS} AND embedding IS NOT NULL AND cardinality(embedding) = cardinality($3::real[])
           ORDER BY score DESC, created_at DESC, id
           LIMIT $8`;
}

export const ARCHIVAL_SQL = {
  insert: `INSERT INTO memory_passages (id, assistant_id, user_id, content, tags, embedding, created_at)
           VALUES ($3, $1, $2, $4, $5, $6, COALESCE($7::timestamptz, clock_timestamp()))
           RETURNING ${PASSAGE_COLUMNS}`,
  count: `SELECT count(*)::int AS n FROM memory_passages WHERE assistant_id = $1 AND user_id = $2`,
  delete: `DELETE FROM memory_passages WHERE assistant_id = $1 AND user_id = $2 AND id = $3`,
  // $3 query text, $8 limit, $9 its any-word form.
  searchText: `SELECT ${PASSAGE_COLUMNS}, ${TEXT_RANK} AS score
                 FROM memory_passages, websearch_to_tsquery('english', $3) AS q,
                      websearch_to_tsquery('english', $9) AS any_q
                WHERE ${PASSAGE_FILTERS} AND tsv @@ any_q
                ORDER BY score DESC, created_at DESC, id
                LIMIT $8`,
  // $3 unit-length query embedding, $8 limit.
  searchPgvector: vectorSearch(PGVECTOR_SIMILARITY("$3")),
  searchExact: vectorSearch(EXACT_SIMILARITY("$3")),
} as const;

// A user's erasure reaches every assistant, so it filters on user_id alone;
// one statement, so it is all or nothing.
export const ERASURE_SQL = {
  user: `WITH blocks AS (DELETE FROM memory_blocks WHERE user_id = $1 RETURNING 1),
              messages AS (DELETE FROM memory_messages WHERE user_id = $1 RETURNING 1),
              passages AS (DELETE FROM memory_passages WHERE user_id = $1 RETURNING 1)
         SELECT (SELECT count(*) FROM blocks)::int AS "blocks",
                (SELECT count(*) FROM messages)::int AS "messages",
                (SELECT count(*) FROM passages)::int AS "passages"`,
} as const;

// Read-only checks of a node's path: nothing here creates or alters anything.
// The migrations table is looked up in the database's own schema ($1), since
// search_path would fall through to public's when the schema lacks it.
/**
 * Moves an assistant's memory to a new assistant id ($1 old, $2 new) in one
 * statement, leaving rows whose key the new id already holds.
 */
export const RESCOPE_SQL = `WITH blocks AS (
    UPDATE memory_blocks b SET assistant_id = $2 WHERE b.assistant_id = $1
       AND NOT EXISTS (SELECT 1 FROM memory_blocks o WHERE o.assistant_id = $2 AND o.user_id = b.user_id AND o.label = b.label)
    RETURNING 1),
  messages AS (
    UPDATE memory_messages m SET assistant_id = $2 WHERE m.assistant_id = $1
       AND NOT EXISTS (SELECT 1 FROM memory_messages o WHERE o.assistant_id = $2 AND o.user_id = m.user_id
                                                          AND o.thread_id = m.thread_id AND o.message_id = m.message_id)
    RETURNING 1),
  passages AS (UPDATE memory_passages SET assistant_id = $2 WHERE assistant_id = $1 RETURNING 1)
  SELECT (SELECT count(*) FROM blocks)::int + (SELECT count(*) FROM messages)::int + (SELECT count(*) FROM passages)::int AS moved`;

export const READY_SQL = {
  inspect: `SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'threadline_migrations') AS "tracked",
                   to_regtype('vector') IS NOT NULL AS "pgvector"`,
  // Only run once "tracked" is true, so the table resolves in the schema.
  applied: `SELECT count(*)::int AS n FROM threadline_migrations WHERE component = $1`,
} as const;

export const VECTOR_SQL = {
  probe: `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS "available",
                 to_regtype('vector') IS NOT NULL AS "usable"`,
  // Outside the versioned migrations on purpose: the extension may be missing
  // or forbidden, and the schema must not depend on it.
  createExtension: "CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public",
} as const;
