/**
 * Every statement of ThreadlineStore. Operations arrive as JSON parameters
 * (a list of keys, of writes, of filter conditions), so each statement is one
 * constant text whatever the batch holds, and no key or label ever reaches
 * SQL text.
 */

const ITEM_COLUMNS = `string_to_array(s.namespace, '.') AS namespace, s.key, s.value,
       s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

// An item past its TTL is gone for every read, whether or not the sweep has deleted it yet.
const LIVE = "(s.expires_at IS NULL OR s.expires_at > clock_timestamp())";

// $n is a namespace path; everything at it or below it (see migrations.ts for the range).
const UNDER = (n: number, column = "s.namespace") =>
  `($${n}::text = '' OR ${column} = $${n}::text OR (${column} >= $${n}::text || '.' AND ${column} < $${n}::text || '/'))`;

/** $1: [{ namespace, key }] → the items that exist. */
export const GET_ITEMS = `
SELECT ${ITEM_COLUMNS}
  FROM jsonb_to_recordset($1::jsonb) AS o(namespace text COLLATE "C", key text)
  JOIN store_items s ON s.namespace = o.namespace AND s.key = o.key
 WHERE ${LIVE}`;

/**
 * $1: [{ namespace, key, value, ttl, embedding }]; a null value deletes;
 * `ttl` is in minutes (null: kept until deleted); `embedding` a unit-length
 * vector, or null for an item not indexed. One statement, so a batch's writes
 * land together.
 */
export const WRITE_ITEMS = `
WITH ops AS (
  SELECT o.namespace, o.key, o.value, o.ttl, o.embedding
    FROM jsonb_to_recordset($1::jsonb) AS o(namespace text COLLATE "C", key text, value jsonb, ttl float8, embedding jsonb)
), removed AS (
  DELETE FROM store_items s USING ops
   WHERE ops.value IS NULL AND s.namespace = ops.namespace AND s.key = ops.key
)
INSERT INTO store_items (namespace, key, value, ttl_minutes, expires_at, embedding)
SELECT namespace, key, value, ttl, clock_timestamp() + ttl * interval '1 minute',
       (SELECT array_agg(e.x::real ORDER BY e.i) FROM jsonb_array_elements_text(ops.embedding) WITH ORDINALITY AS e(x, i))
  FROM ops WHERE value IS NOT NULL
    ON CONFLICT (namespace, key) DO UPDATE
   SET value = EXCLUDED.value, ttl_minutes = EXCLUDED.ttl_minutes, expires_at = EXCLUDED.expires_at,
       embedding = EXCLUDED.embedding, updated_at = clock_timestamp()`;

/** $1: [{ namespace, key }]: their TTL starts again (items read with refresh_ttl). */
export const REFRESH_ITEMS = `
UPDATE store_items s SET expires_at = clock_timestamp() + s.ttl_minutes * interval '1 minute'
  FROM jsonb_to_recordset($1::jsonb) AS o(namespace text COLLATE "C", key text)
 WHERE s.namespace = o.namespace AND s.key = o.key AND s.ttl_minutes IS NOT NULL AND ${LIVE}`;

/** Deletes up to $1 items past their TTL; returns how many. */
export const SWEEP_ITEMS = `
WITH gone AS (
  DELETE FROM store_items WHERE (namespace, key) IN (
    SELECT namespace, key FROM store_items WHERE expires_at <= clock_timestamp() ORDER BY expires_at LIMIT $1)
  RETURNING 1)
SELECT count(*)::int AS n FROM gone`;

// One filter condition f (key, op, operand) against item s; NULL counts as not met.
const CONDITION = `CASE f.op
  WHEN 'contains' THEN s.value @> jsonb_build_object(f.key, f.operand)
  WHEN '$eq' THEN x.v = f.operand
  WHEN '$ne' THEN x.v IS DISTINCT FROM f.operand
  WHEN '$in' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(f.operand) AS e(el) WHERE e.el = x.v)
  WHEN '$nin' THEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(f.operand) AS e(el) WHERE e.el = x.v)
  ELSE CASE
    WHEN jsonb_typeof(x.v) IS DISTINCT FROM jsonb_typeof(f.operand) THEN false
    WHEN jsonb_typeof(x.v) = 'number' THEN CASE f.op
      WHEN '$gt' THEN x.v::numeric > f.operand::numeric
      WHEN '$gte' THEN x.v::numeric >= f.operand::numeric
      WHEN '$lt' THEN x.v::numeric < f.operand::numeric
      WHEN '$lte' THEN x.v::numeric <= f.operand::numeric END
    WHEN jsonb_typeof(x.v) = 'string' THEN CASE f.op
      WHEN '$gt' THEN (x.v #>> '{}') COLLATE "C" > (f.operand #>> '{}')
      WHEN '$gte' THEN (x.v #>> '{}') COLLATE "C" >= (f.operand #>> '{}')
      WHEN '$lt' THEN (x.v #>> '{}') COLLATE "C" < (f.operand #>> '{}')
      WHEN '$lte' THEN (x.v #>> '{}') COLLATE "C" <= (f.operand #>> '{}') END
    ELSE false END
END`;

/**
 * $1 namespace prefix path ('' for all), $2 filter conditions
 * [{ key, op, operand }], $3 / $4 the text query as written / in its
 * any-word form (NULL for none), $5 limit, $6 offset. With a query, only
 * items sharing a word with it, best first (full matches above partial
 * ones); without, the most recently updated first.
 */
export const SEARCH_ITEMS = `
SELECT ${ITEM_COLUMNS},
       CASE WHEN $4::text IS NULL THEN NULL
            ELSE ((CASE WHEN s.tsv @@ websearch_to_tsquery('english', $3::text) THEN 1 ELSE 0 END)
                  + ts_rank_cd(s.tsv, websearch_to_tsquery('english', $4::text), 32))::float8 END AS score
  FROM store_items s
 WHERE ${UNDER(1)}
   AND ${LIVE}
   AND NOT EXISTS (
         SELECT 1
           FROM jsonb_to_recordset($2::jsonb) AS f(key text, op text, operand jsonb)
          CROSS JOIN LATERAL (SELECT s.value -> f.key AS v) AS x
          WHERE (${CONDITION}) IS NOT TRUE)
   AND ($4::text IS NULL OR s.tsv @@ websearch_to_tsquery('english', $4::text))
 ORDER BY score DESC NULLS LAST, s.updated_at DESC, s.namespace, s.key
 LIMIT $5 OFFSET $6`;

// Both similarity forms round to 6 decimals, so pgvector (single precision)
// and the exact fallback (double) rank alike, as archival memory's do.
const PGVECTOR_SIMILARITY = "round((-(s.embedding::vector <#> $3::real[]::vector))::numeric, 6)::float8";
const EXACT_SIMILARITY = "round((SELECT sum(a::float8 * b::float8) FROM unnest(s.embedding, $3::real[]) AS t(a, b))::numeric, 6)::float8";

/**
 * $1 namespace prefix path, $2 filter conditions, $3 the unit-length query
 * embedding, $4 limit, $5 offset: indexed items, most similar first.
 */
const searchByVector = (similarity: string) => `
SELECT ${ITEM_COLUMNS}, ${similarity} AS score
  FROM store_items s
 WHERE ${UNDER(1)}
   AND ${LIVE}
   AND s.embedding IS NOT NULL AND cardinality(s.embedding) = cardinality($3::real[])
   AND NOT EXISTS (
         SELECT 1
           FROM jsonb_to_recordset($2::jsonb) AS f(key text, op text, operand jsonb)
          CROSS JOIN LATERAL (SELECT s.value -> f.key AS v) AS x
          WHERE (${CONDITION}) IS NOT TRUE)
 ORDER BY score DESC, s.updated_at DESC, s.namespace, s.key
 LIMIT $4 OFFSET $5`;

export const SEARCH_BY_VECTOR = { pgvector: searchByVector(PGVECTOR_SIMILARITY), exact: searchByVector(EXACT_SIMILARITY) } as const;

/**
 * $1 the literal start of a prefix condition as a path ('' for none; it
 * narrows the scan to the index range), $2 match conditions
 * [{ match_type: "prefix" | "suffix", path: [...] }] where "*" matches any
 * label, $3 max depth (NULL for none), $4 limit, $5 offset.
 */
export const LIST_NAMESPACES = `
WITH namespaces AS (
  SELECT DISTINCT string_to_array(s.namespace, '.') AS labels FROM store_items s WHERE ${UNDER(1)} AND ${LIVE}
), matched AS (
  SELECT n.labels FROM namespaces n
   WHERE NOT EXISTS (
           SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS c(match_type text, path text[])
            WHERE cardinality(c.path) > cardinality(n.labels)
               OR EXISTS (
                    SELECT 1 FROM unnest(c.path) WITH ORDINALITY AS p(label, i)
                     WHERE p.label <> '*'
                       AND p.label COLLATE "C" IS DISTINCT FROM n.labels[CASE c.match_type
                             WHEN 'prefix' THEN p.i::int
                             ELSE cardinality(n.labels) - cardinality(c.path) + p.i::int END]))
), cut AS (
  SELECT DISTINCT CASE WHEN $3::int IS NULL THEN labels ELSE labels[1:$3::int] END AS labels FROM matched
)
SELECT labels AS namespace FROM cut
 ORDER BY array_to_string(labels, '.') COLLATE "C"
 LIMIT $4 OFFSET $5`;
