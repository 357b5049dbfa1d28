/**
 * Every statement of the checkpointer, parameterised. Table names are
 * unqualified: they resolve through the connection's search_path to the
 * database's schema, so no identifier is ever interpolated.
 */

/** Blob type marking a list value stored as items; `blob` is the last item's node. */
export const LIST_TYPE = "tl:list";
/**
 * Blob type of a channel that has a version but no value. Only rows written
 * by earlier versions of the saver have it: such versions now get no row.
 */
export const EMPTY_TYPE = "empty";

/**
 * One checkpoint alone (the common case of a single thread): items, blobs,
 * TTL bookkeeping and the checkpoint row. The row is only written when every
 * list item it builds on ($16) already exists; no row back means the
 * caller's cache of stored items was stale and it must resend whole lists.
 */
export const PUT_CHECKPOINT = `
WITH new_items AS (
  INSERT INTO tl_checkpoint_items (thread_id, node, parent, type, blob)
  SELECT $1, i.node, i.parent, i.type, i.blob
  FROM unnest($12::bytea[], $13::bytea[], $14::text[], $15::bytea[]) AS i(node, parent, type, blob)
  ON CONFLICT (thread_id, node) DO NOTHING
), new_blobs AS (
  INSERT INTO tl_checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
  SELECT $1, $2, b.channel, b.version, b.type, b.blob
  FROM unnest($8::text[], $9::text[], $10::text[], $11::bytea[]) AS b(channel, version, type, blob)
  ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
), ttl_new AS (
  INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
  SELECT $1, $18, $17::bigint, now() + $17::bigint * interval '1 millisecond'
  WHERE $17::bigint IS NOT NULL
  ON CONFLICT (thread_id) DO NOTHING
), ttl_slide AS (
  UPDATE tl_checkpoint_ttl SET expires_at = now() + ttl_ms * interval '1 millisecond'
  WHERE thread_id = $1 AND policy = 'sliding'
)
INSERT INTO tl_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, checkpoint, metadata, record)
SELECT $1, $2, $3, $4, $7, $5::jsonb, $6::jsonb, $19::bytea
WHERE cardinality($16::bytea[]) = (
  SELECT count(*) FROM tl_checkpoint_items WHERE thread_id = $1 AND node = ANY($16::bytea[])
)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata, run_id = EXCLUDED.run_id, record = EXCLUDED.record
RETURNING thread_id AS "threadId", checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId"`;

const WRITES_INSERT = `
INSERT INTO tl_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob)
SELECT $1, $2, $3, $4, $5, $6, w.idx, w.channel, w.type, w.blob
FROM unnest($7::integer[], $8::text[], $9::text[], $10::bytea[]) AS w(idx, channel, type, blob)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)`;

/** One putWrites() alone to special channels (errors, interrupts...): they replace earlier writes. */
export const UPSERT_WRITES = `${WRITES_INSERT}
DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob, task_path = EXCLUDED.task_path`;

/** One putWrites() alone: ordinary writes are idempotent, a retried task keeps its first result. */
export const INSERT_WRITES = `${WRITES_INSERT} DO NOTHING`;

/**
 * Several puts and putWrites (from concurrent threads) in one statement: list
 * items, channel blobs, pending writes (special channels replace, ordinary
 * writes keep the first attempt), TTL bookkeeping and the checkpoint rows.
 * A checkpoint row is only written when every list item it builds on
 * ($26..$28, by job) already exists; the rows written come back, and a put
 * missing from them must resend its lists whole (its cache was stale).
 */
export const BATCH_WRITE = `
WITH new_items AS (
  INSERT INTO tl_checkpoint_items (thread_id, node, parent, type, blob)
  SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[], $5::bytea[])
  ON CONFLICT (thread_id, node) DO NOTHING
), new_blobs AS (
  INSERT INTO tl_checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
  SELECT * FROM unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[])
  ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
), writes AS (
  SELECT * FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
                       $18::integer[], $19::text[], $20::text[], $21::bytea[], $22::boolean[])
    AS w(thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob, upsert)
), upserted_writes AS (
  INSERT INTO tl_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob)
  SELECT thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob FROM writes WHERE upsert
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob, task_path = EXCLUDED.task_path
), inserted_writes AS (
  INSERT INTO tl_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob)
  SELECT thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob FROM writes WHERE NOT upsert
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING
), ttl_new AS (
  INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
  SELECT t, $24, $23::bigint, now() + $23::bigint * interval '1 millisecond' FROM unnest($25::text[]) AS t
  WHERE $23::bigint IS NOT NULL
  ON CONFLICT (thread_id) DO NOTHING
), ttl_slide AS (
  UPDATE tl_checkpoint_ttl SET expires_at = now() + ttl_ms * interval '1 millisecond'
  WHERE thread_id = ANY($25::text[]) AND policy = 'sliding'
), bases AS (
  SELECT * FROM unnest($26::integer[], $27::text[], $28::bytea[]) AS b(job, thread_id, node)
)
INSERT INTO tl_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, checkpoint, metadata, record)
SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_id, c.run_id, c.checkpoint::jsonb, c.metadata::jsonb, c.record
FROM unnest($29::integer[], $30::text[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], $36::text[], $37::bytea[])
  AS c(job, thread_id, checkpoint_ns, checkpoint_id, parent_id, run_id, checkpoint, metadata, record)
WHERE NOT EXISTS (
  SELECT 1 FROM bases b
  WHERE b.job = c.job
    AND NOT EXISTS (SELECT 1 FROM tl_checkpoint_items i WHERE i.thread_id = b.thread_id AND i.node = b.node)
)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata, run_id = EXCLUDED.run_id, record = EXCLUDED.record
RETURNING thread_id AS "threadId", checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId"`;

/**
 * A page of checkpoints, newest first, with everything needed to rebuild
 * them: blobs, the items of every list value (each distinct item once for
 * the whole page, walked from the lists' last items), pending writes and,
 * for checkpoints older than v4, the parent's pending sends. Items are
 * returned on the first row only.
 *
 * $1 thread_id, $2 checkpoint_ns, $3 checkpoint_id, $4 metadata filter,
 * $5 before checkpoint_id, $6..$8 keyset cursor (checkpoint_id, thread_id,
 * checkpoint_ns) of the previous page's last row, $9 page size, $10 list
 * nodes of thread $1 the caller already holds (the walk stops there and
 * their items are not sent). Null parameters do not filter.
 */
export const SELECT_CHECKPOINTS = `
WITH RECURSIVE page AS (
  SELECT c.*, row_number() OVER (ORDER BY c.checkpoint_id DESC, c.thread_id DESC, c.checkpoint_ns DESC) AS rn
  FROM (
    SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, record
    FROM tl_checkpoints
    WHERE ($1::text IS NULL OR thread_id = $1)
      AND ($2::text IS NULL OR checkpoint_ns = $2)
      AND ($3::text IS NULL OR checkpoint_id = $3)
      AND ($4::jsonb IS NULL OR metadata @> $4::jsonb)
      AND ($5::text IS NULL OR checkpoint_id < $5)
      AND ($6::text IS NULL OR (checkpoint_id, thread_id, checkpoint_ns) < ($6, $7::text, $8::text))
    ORDER BY checkpoint_id DESC, thread_id DESC, checkpoint_ns DESC
    LIMIT $9
  ) c
), blobs AS (
  SELECT p.rn, p.thread_id, v.key AS channel, b.type, b.blob
  FROM page p
  CROSS JOIN LATERAL jsonb_each_text(p.checkpoint -> 'channel_versions') v
  CROSS JOIN LATERAL (
    SELECT x.type, x.blob FROM tl_checkpoint_blobs x
    WHERE x.thread_id = p.thread_id AND x.checkpoint_ns = p.checkpoint_ns AND x.channel = v.key AND x.version = v.value
    LIMIT 1
  ) b
), blob_agg AS (
  SELECT rn, array_agg(channel) AS channels, array_agg(type) AS types, array_agg(blob) AS blobs
  FROM blobs GROUP BY rn
), chain AS (
  -- LATERAL ... LIMIT 1 keeps every step an index probe: the planner cannot see how
  -- long the chain is and would otherwise hash-join the whole table per step.
  SELECT i.thread_id, i.node, i.parent
  FROM (SELECT DISTINCT thread_id, blob FROM blobs WHERE type = '${LIST_TYPE}') t
  CROSS JOIN LATERAL (
    SELECT x.thread_id, x.node, x.parent FROM tl_checkpoint_items x
    WHERE x.thread_id = t.thread_id AND x.node = t.blob LIMIT 1
  ) i
  UNION
  SELECT i.thread_id, i.node, i.parent
  FROM chain c
  CROSS JOIN LATERAL (
    SELECT x.thread_id, x.node, x.parent FROM tl_checkpoint_items x
    WHERE x.thread_id = c.thread_id AND x.node = c.parent LIMIT 1
  ) i
  WHERE NOT (c.node = ANY($10::bytea[]))
), item_agg AS (
  SELECT array_agg(c.thread_id) AS threads, array_agg(c.node) AS nodes, array_agg(c.parent) AS parents,
         array_agg(i.type) AS types, array_agg(i.blob) AS blobs
  FROM chain c
  CROSS JOIN LATERAL (
    SELECT x.type, x.blob FROM tl_checkpoint_items x WHERE x.thread_id = c.thread_id AND x.node = c.node LIMIT 1
  ) i
  WHERE NOT (c.node = ANY($10::bytea[]))
)
SELECT p.thread_id AS "threadId", p.checkpoint_ns AS "checkpointNs", p.checkpoint_id AS "checkpointId",
       p.parent_checkpoint_id AS "parentCheckpointId", p.checkpoint AS "checkpoint", p.record AS "record", p.metadata::text AS "metadata",
       ba.channels AS "blobChannels", ba.types AS "blobTypes", ba.blobs AS "blobValues",
       wr.task_ids AS "writeTaskIds", wr.channels AS "writeChannels", wr.types AS "writeTypes", wr.blobs AS "writeValues",
       ps.types AS "sendTypes", ps.blobs AS "sendValues",
       ia.threads AS "itemThreads", ia.nodes AS "itemNodes", ia.parents AS "itemParents",
       ia.types AS "itemTypes", ia.blobs AS "itemValues"
FROM page p
LEFT JOIN blob_agg ba ON ba.rn = p.rn
LEFT JOIN item_agg ia ON p.rn = 1
LEFT JOIN LATERAL (
  SELECT array_agg(w.task_id ORDER BY w.task_path, w.task_id, w.idx) AS task_ids,
         array_agg(w.channel ORDER BY w.task_path, w.task_id, w.idx) AS channels,
         array_agg(w.type ORDER BY w.task_path, w.task_id, w.idx) AS types,
         array_agg(w.blob ORDER BY w.task_path, w.task_id, w.idx) AS blobs
  FROM tl_checkpoint_writes w
  WHERE w.thread_id = p.thread_id AND w.checkpoint_ns = p.checkpoint_ns AND w.checkpoint_id = p.checkpoint_id
) wr ON true
LEFT JOIN LATERAL (
  -- Checkpoints before v4 kept pending sends as writes on their parent.
  SELECT array_agg(w.type ORDER BY w.task_path, w.task_id, w.idx) AS types,
         array_agg(w.blob ORDER BY w.task_path, w.task_id, w.idx) AS blobs
  FROM tl_checkpoint_writes w
  WHERE (p.checkpoint ->> 'v')::int < 4 AND p.parent_checkpoint_id IS NOT NULL
    AND w.thread_id = p.thread_id AND w.checkpoint_ns = p.checkpoint_ns
    AND w.checkpoint_id = p.parent_checkpoint_id AND w.channel = '__pregel_tasks'
) ps ON true
ORDER BY p.rn`;

/** Removes whole threads: $1 thread ids. */
export const DELETE_THREADS = `
WITH c AS (DELETE FROM tl_checkpoints WHERE thread_id = ANY($1::text[]) RETURNING 1),
b AS (DELETE FROM tl_checkpoint_blobs WHERE thread_id = ANY($1::text[]) RETURNING 1),
i AS (DELETE FROM tl_checkpoint_items WHERE thread_id = ANY($1::text[]) RETURNING 1),
w AS (DELETE FROM tl_checkpoint_writes WHERE thread_id = ANY($1::text[]) RETURNING 1),
t AS (DELETE FROM tl_checkpoint_ttl WHERE thread_id = ANY($1::text[]) RETURNING 1)
SELECT (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes",
       (SELECT count(*) FROM b)::int AS "blobs", (SELECT count(*) FROM i)::int AS "items"`;

/**
 * Deletes up to $1 expired threads in one statement. SKIP LOCKED lets several
 * sweepers share the work without waiting on each other.
 */
export const SWEEP_EXPIRED = `
WITH expired AS (
  SELECT thread_id FROM tl_checkpoint_ttl WHERE expires_at <= now()
  ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
), c AS (DELETE FROM tl_checkpoints WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
b AS (DELETE FROM tl_checkpoint_blobs WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
i AS (DELETE FROM tl_checkpoint_items WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
w AS (DELETE FROM tl_checkpoint_writes WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
t AS (DELETE FROM tl_checkpoint_ttl WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING thread_id)
SELECT coalesce((SELECT array_agg(thread_id) FROM t), '{}') AS "threadIds",
       (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes",
       (SELECT count(*) FROM b)::int AS "blobs", (SELECT count(*) FROM i)::int AS "items"`;

/** Copies every row of thread $1 to thread $2 unless $2 already has checkpoints. */
export const COPY_THREAD = `
WITH target AS (
  SELECT EXISTS (SELECT 1 FROM tl_checkpoints WHERE thread_id = $2) AS taken
), c AS (
  INSERT INTO tl_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, checkpoint, metadata, record)
  SELECT $2, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, checkpoint, metadata, record
  FROM tl_checkpoints WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  RETURNING 1
), b AS (
  INSERT INTO tl_checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
  SELECT $2, checkpoint_ns, channel, version, type, blob
  FROM tl_checkpoint_blobs WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  ON CONFLICT DO NOTHING RETURNING 1
), i AS (
  INSERT INTO tl_checkpoint_items (thread_id, node, parent, type, blob)
  SELECT $2, node, parent, type, blob
  FROM tl_checkpoint_items WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  ON CONFLICT DO NOTHING RETURNING 1
), w AS (
  INSERT INTO tl_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob)
  SELECT $2, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob
  FROM tl_checkpoint_writes WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  ON CONFLICT DO NOTHING RETURNING 1
), t AS (
  INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
  SELECT $2, policy, ttl_ms,
         CASE WHEN policy = 'sliding' THEN now() + ttl_ms * interval '1 millisecond' ELSE expires_at END
  FROM tl_checkpoint_ttl WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  ON CONFLICT DO NOTHING RETURNING 1
)
SELECT (SELECT taken FROM target) AS "targetExists",
       (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes",
       (SELECT count(*) FROM b)::int AS "blobs", (SELECT count(*) FROM i)::int AS "items"`;

/** Deletes all but the newest $2 checkpoints of each namespace of thread $1, with their writes. */
export const PRUNE_CHECKPOINTS = `
WITH doomed AS (
  SELECT checkpoint_ns, checkpoint_id FROM (
    SELECT checkpoint_ns, checkpoint_id,
           row_number() OVER (PARTITION BY checkpoint_ns ORDER BY checkpoint_id DESC) AS rn
    FROM tl_checkpoints WHERE thread_id = $1
  ) ranked WHERE rn > $2
), w AS (
  DELETE FROM tl_checkpoint_writes w USING doomed d
  WHERE w.thread_id = $1 AND w.checkpoint_ns = d.checkpoint_ns AND w.checkpoint_id = d.checkpoint_id
  RETURNING 1
), c AS (
  DELETE FROM tl_checkpoints c USING doomed d
  WHERE c.thread_id = $1 AND c.checkpoint_ns = d.checkpoint_ns AND c.checkpoint_id = d.checkpoint_id
  RETURNING 1
)
SELECT (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

/**
 * Deletes the checkpoints of run $2 on thread $1, the writes against them,
 * and the writes the run made on the checkpoint it started from.
 */
export const DELETE_RUN = `
WITH c AS (
  DELETE FROM tl_checkpoints WHERE thread_id = $1 AND run_id = $2
  RETURNING checkpoint_ns, checkpoint_id
), w AS (
  DELETE FROM tl_checkpoint_writes w
  WHERE w.thread_id = $1
    AND (w.run_id = $2 OR (w.checkpoint_ns, w.checkpoint_id) IN (SELECT checkpoint_ns, checkpoint_id FROM c))
  RETURNING 1
)
SELECT (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

/** Deletes blobs of thread $1 that no remaining checkpoint names. */
export const GC_BLOBS = `
WITH live AS (
  SELECT DISTINCT c.checkpoint_ns, v.key AS channel, v.value AS version
  FROM tl_checkpoints c CROSS JOIN LATERAL jsonb_each_text(c.checkpoint -> 'channel_versions') v
  WHERE c.thread_id = $1
), d AS (
  DELETE FROM tl_checkpoint_blobs b
  WHERE b.thread_id = $1 AND NOT EXISTS (
    SELECT 1 FROM live l WHERE l.checkpoint_ns = b.checkpoint_ns AND l.channel = b.channel AND l.version = b.version
  )
  RETURNING 1
)
SELECT count(*)::int AS "blobs" FROM d`;

/** Deletes list items of thread $1 that no remaining list blob reaches. */
export const GC_ITEMS = `
WITH RECURSIVE live AS (
  SELECT i.node, i.parent
  FROM tl_checkpoint_blobs b JOIN tl_checkpoint_items i ON i.thread_id = b.thread_id AND i.node = b.blob
  WHERE b.thread_id = $1 AND b.type = '${LIST_TYPE}'
  UNION
  SELECT i.node, i.parent
  FROM live l
  CROSS JOIN LATERAL (
    SELECT x.node, x.parent FROM tl_checkpoint_items x WHERE x.thread_id = $1 AND x.node = l.parent LIMIT 1
  ) i
), d AS (
  DELETE FROM tl_checkpoint_items i
  WHERE i.thread_id = $1 AND NOT EXISTS (SELECT 1 FROM live l WHERE l.node = i.node)
  RETURNING 1
)
SELECT count(*)::int AS "items" FROM d`;

/** $1 thread, $2 policy, $3 ttl in milliseconds. */
export const SET_TTL = `
INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
VALUES ($1, $2, $3::bigint, now() + $3::bigint * interval '1 millisecond')
ON CONFLICT (thread_id) DO UPDATE
SET policy = EXCLUDED.policy, ttl_ms = EXCLUDED.ttl_ms, expires_at = EXCLUDED.expires_at
RETURNING expires_at AS "expiresAt"`;

export const GET_TTL = `
SELECT policy AS "policy", ttl_ms::float8 AS "ttlMs", expires_at AS "expiresAt"
FROM tl_checkpoint_ttl WHERE thread_id = $1`;

export const CLEAR_TTL = "DELETE FROM tl_checkpoint_ttl WHERE thread_id = $1";
