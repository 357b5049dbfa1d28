/**
 * Every statement of the checkpointer, parameterised. Table names are
 * unqualified: they resolve through the connection's search_path to the
 * database's schema, so no identifier is ever interpolated.
 *
 * Writes take `commit` ($n text, 'on' or 'off'), set for that statement's
 * transaction only (set_config(..., true)): 'on' waits for the disk even
 * where the server or database defaults synchronous_commit to off, as
 * managed servers tuned for throughput do (a default of remote_apply, which
 * waits for more, is kept); 'off' commits without waiting.
 */

const AT_LEAST_ON = (mode: string) =>
  `CASE WHEN ${mode} = 'on' AND current_setting('synchronous_commit') = 'remote_apply' THEN 'remote_apply' ELSE ${mode} END`;

const COMMIT_MODE = (n: number) =>
  `commit_mode AS MATERIALIZED (SELECT set_config('synchronous_commit', ${AT_LEAST_ON(`$${n}::text`)}, true))`;

// A sliding expiry moves at most once per hundredth of its TTL, so a busy
// thread does not rewrite its TTL row on every step.
const SLIDE = `expires_at < now() + ttl_ms * interval '0.99 millisecond'`;

const CHECKPOINT_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, flags, body, checksum";

const ON_CONFLICT_CHECKPOINT = `
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE
SET parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, run_id = EXCLUDED.run_id, flags = EXCLUDED.flags, body = EXCLUDED.body,
    checksum = EXCLUDED.checksum`;

/**
 * One checkpoint row, with TTL bookkeeping. A row that stores changes
 * against its parent ($8 true) is only written while the parent exists; a
 * row count of 0 means it was pruned or deleted meanwhile and the caller
 * must store the checkpoint whole.
 *
 * $1 thread, $2 namespace, $3 id, $4 parent id, $5 run id, $6 flags, $7 body,
 * $8 needs parent, $9 commit mode, $10 default TTL ms, $11 default TTL policy,
 * $12 checksum.
 */
export const PUT_CHECKPOINT = `
WITH ${COMMIT_MODE(9)}, ttl_new AS (
  INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
  SELECT $1, $11, $10::bigint, now() + $10::bigint * interval '1 millisecond'
  WHERE $10::bigint IS NOT NULL
  ON CONFLICT (thread_id) DO NOTHING
), ttl_slide AS (
  UPDATE tl_checkpoint_ttl SET expires_at = now() + ttl_ms * interval '1 millisecond'
  WHERE thread_id = $1 AND policy = 'sliding' AND ${SLIDE}
)
INSERT INTO tl_checkpoints (${CHECKPOINT_COLUMNS})
SELECT $1, $2, $3, $4, $5, $6, $7, $12 FROM commit_mode
WHERE NOT $8::boolean
   OR EXISTS (SELECT 1 FROM tl_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $4)
${ON_CONFLICT_CHECKPOINT}`;

const WRITE_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob, checksum";

const WRITES_INSERT = (commit: number) => `
WITH ${COMMIT_MODE(commit)}
INSERT INTO tl_checkpoint_writes (${WRITE_COLUMNS})
SELECT $1, $2, $3, $4, $5, $6, w.idx, w.channel, w.type, w.blob, w.checksum
FROM commit_mode, unnest($7::integer[], $8::text[], $9::text[], $10::bytea[], $12::integer[]) AS w(idx, channel, type, blob, checksum)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)`;

/** One putWrites() to special channels (errors, interrupts...): they replace earlier writes. $11 commit mode, $12 checksums. */
export const UPSERT_WRITES = `${WRITES_INSERT(11)}
DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob, task_path = EXCLUDED.task_path,
  checksum = EXCLUDED.checksum`;

/** One putWrites(): ordinary writes are idempotent, a retried task keeps its first result. $11 commit mode, $12 checksums. */
export const INSERT_WRITES = `${WRITES_INSERT(11)} DO NOTHING`;

/**
 * Several puts and putWrites (from concurrent threads) in one statement:
 * pending writes (special channels replace, ordinary writes keep the first
 * attempt), TTL bookkeeping and checkpoint rows; rows that need their parent
 * are only written while it exists. The rows written come back.
 */
export const BATCH_WRITE = `
WITH ${COMMIT_MODE(1)}, writes AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::integer[], $9::text[], $10::text[], $11::bytea[], $12::boolean[], $24::integer[])
    AS w(thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob, upsert, checksum)
), upserted_writes AS (
  INSERT INTO tl_checkpoint_writes (${WRITE_COLUMNS})
  SELECT ${WRITE_COLUMNS} FROM writes WHERE upsert
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob, task_path = EXCLUDED.task_path,
  checksum = EXCLUDED.checksum
), inserted_writes AS (
  INSERT INTO tl_checkpoint_writes (${WRITE_COLUMNS})
  SELECT ${WRITE_COLUMNS} FROM writes WHERE NOT upsert
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING
), ttl_new AS (
  INSERT INTO tl_checkpoint_ttl (thread_id, policy, ttl_ms, expires_at)
  SELECT t, $14, $13::bigint, now() + $13::bigint * interval '1 millisecond' FROM unnest($15::text[]) AS t
  WHERE $13::bigint IS NOT NULL
  ON CONFLICT (thread_id) DO NOTHING
), ttl_slide AS (
  UPDATE tl_checkpoint_ttl SET expires_at = now() + ttl_ms * interval '1 millisecond'
  WHERE thread_id = ANY($15::text[]) AND policy = 'sliding' AND ${SLIDE}
)
INSERT INTO tl_checkpoints (${CHECKPOINT_COLUMNS})
SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_id, c.run_id, c.flags, c.body, c.checksum
FROM commit_mode, unnest($16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::smallint[], $22::bytea[], $23::boolean[],
                         $25::integer[])
  AS c(thread_id, checkpoint_ns, checkpoint_id, parent_id, run_id, flags, body, needs_parent, checksum)
-- LATERAL ... LIMIT 1 keeps the parent check an index probe per row: as an
-- EXISTS under OR, the planner may hash the whole table instead, and a
-- prepared statement keeps that plan as the table grows.
LEFT JOIN LATERAL (
  SELECT true AS found FROM tl_checkpoints p
  WHERE p.thread_id = c.thread_id AND p.checkpoint_ns = c.checkpoint_ns AND p.checkpoint_id = c.parent_id
  LIMIT 1
) parent ON c.needs_parent
WHERE NOT c.needs_parent OR parent.found
${ON_CONFLICT_CHECKPOINT}
RETURNING thread_id AS "threadId", checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId"`;

/**
 * Waits until everything committed before it is on disk: a transactional
 * WAL message gives this transaction an id and a WAL record, so its
 * synchronous commit flushes the WAL up to here, including every earlier
 * commit made with synchronous_commit off. The commit is synchronous
 * whatever the session's default.
 */
export const FLUSH = `
WITH commit_mode AS MATERIALIZED (SELECT set_config('synchronous_commit', ${AT_LEAST_ON("'on'")}, true))
SELECT pg_logical_emit_message(true, 'threadline', '') FROM commit_mode`;

const READ_COLUMNS = `thread_id AS "threadId", checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId",
  parent_checkpoint_id AS "parentCheckpointId", flags, checksum`;

/**
 * The checkpoint rows of `page` (which has a rank column) with what
 * rebuilding them needs: the chain of ancestors (following parent ids until
 * a FULL row, the first checkpoint, or an id in $2: a checkpoint whose state
 * the caller holds), the first child of each page row that carries its
 * pending writes, and the rows of the pending-writes table for each page
 * row and its parent (the parent's pending sends, for checkpoints before
 * v4). One result: kind 0 rows are checkpoints (rank = position in the
 * page, or null), kind 1 rows writes.
 *
 * A page holds every row of its id range, so a row's first carrying child
 * is in the page when any is; only rows without one there are looked up.
 */
const READ = (page: string, walk: string) => `
WITH RECURSIVE page AS (${page}),
chain AS (
  SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, flags, rank FROM page
  UNION
  -- LATERAL ... LIMIT 1 keeps every step an index probe: the planner cannot see how
  -- long the chain is and would otherwise hash-join the whole table per step.
  SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.flags, NULL::bigint
  FROM chain h
  CROSS JOIN LATERAL (
    SELECT x.thread_id, x.checkpoint_ns, x.checkpoint_id, x.parent_checkpoint_id, x.flags
    FROM tl_checkpoints x
    WHERE x.thread_id = h.thread_id AND x.checkpoint_ns = h.checkpoint_ns AND x.checkpoint_id = h.parent_checkpoint_id
    LIMIT 1
  ) c
  WHERE ${walk} AND h.flags & 1 = 0 AND h.parent_checkpoint_id IS NOT NULL
    AND NOT (h.checkpoint_id = ANY($2::text[])) AND NOT (h.parent_checkpoint_id = ANY($2::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM page p
      WHERE p.thread_id = h.thread_id AND p.checkpoint_ns = h.checkpoint_ns AND p.checkpoint_id = h.parent_checkpoint_id
    )
), carriers AS (
  SELECT x.thread_id, x.checkpoint_ns, x.checkpoint_id, x.parent_checkpoint_id, x.flags, NULL::bigint AS rank
  FROM page p
  CROSS JOIN LATERAL (
    SELECT y.thread_id, y.checkpoint_ns, y.checkpoint_id, y.parent_checkpoint_id, y.flags
    FROM tl_checkpoints y
    WHERE y.thread_id = p.thread_id AND y.checkpoint_ns = p.checkpoint_ns AND y.checkpoint_id > p.checkpoint_id
      AND y.parent_checkpoint_id = p.checkpoint_id AND y.flags & 2 <> 0
    ORDER BY y.checkpoint_id
    LIMIT 1
  ) x
  WHERE NOT EXISTS (
    SELECT 1 FROM page c
    WHERE c.thread_id = p.thread_id AND c.checkpoint_ns = p.checkpoint_ns AND c.parent_checkpoint_id = p.checkpoint_id
      AND c.checkpoint_id > p.checkpoint_id AND c.flags & 2 <> 0
  )
  UNION
  -- The row after the page's newest, whatever its flags and parent id say:
  -- in a thread without forks it is the carrier, and the reader checks its
  -- checksum, so a carrier whose flags or parent id were damaged fails the
  -- read instead of silently carrying nothing.
  SELECT x.thread_id, x.checkpoint_ns, x.checkpoint_id, x.parent_checkpoint_id, x.flags, NULL::bigint
  FROM page p
  CROSS JOIN LATERAL (
    SELECT y.thread_id, y.checkpoint_ns, y.checkpoint_id, y.parent_checkpoint_id, y.flags
    FROM tl_checkpoints y
    WHERE y.thread_id = p.thread_id AND y.checkpoint_ns = p.checkpoint_ns AND y.checkpoint_id > p.checkpoint_id
    ORDER BY y.checkpoint_id
    LIMIT 1
  ) x
  WHERE NOT EXISTS (
    SELECT 1 FROM page c
    WHERE c.thread_id = p.thread_id AND c.checkpoint_ns = p.checkpoint_ns AND c.checkpoint_id > p.checkpoint_id
  )
), wanted AS (
  SELECT * FROM chain UNION ALL SELECT * FROM carriers
)
SELECT 0 AS kind, w.thread_id AS "threadId", w.checkpoint_ns AS "checkpointNs", w.checkpoint_id AS "checkpointId",
       w.parent_checkpoint_id AS "parentCheckpointId", w.flags, c.body, c.checksum, w.rank,
       NULL AS "taskId", NULL AS "taskPath", NULL::integer AS idx, NULL AS channel, NULL AS type, NULL::bytea AS blob
FROM wanted w
JOIN tl_checkpoints c ON c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns AND c.checkpoint_id = w.checkpoint_id
UNION ALL
SELECT 1, x.thread_id, x.checkpoint_ns, x.checkpoint_id, NULL, NULL, NULL, x.checksum, NULL,
       x.task_id, x.task_path, x.idx, x.channel, x.type, x.blob
FROM page p
JOIN tl_checkpoint_writes x ON x.thread_id = p.thread_id AND x.checkpoint_ns = p.checkpoint_ns
 AND (x.checkpoint_id = p.checkpoint_id OR (x.checkpoint_id = p.parent_checkpoint_id AND x.channel = '__pregel_tasks'))`;

/**
 * A page of checkpoints, newest first, with what rebuilding them needs.
 * $1 thread, $2 known checkpoint ids of thread $1, $3 namespace, $4 id,
 * $5 before id, $6..$8 keyset cursor (id, thread, namespace) of the previous
 * page's last row, $9 page size, $10 whether to walk the ancestors (later
 * pages of one listing usually have them already). Null parameters do not
 * filter.
 */
export const READ_PAGE = READ(`
  SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, flags,
         row_number() OVER (ORDER BY checkpoint_id DESC, thread_id DESC, checkpoint_ns DESC) AS rank
  FROM (
    SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, flags FROM tl_checkpoints
    WHERE ($1::text IS NULL OR thread_id = $1)
      AND ($3::text IS NULL OR checkpoint_ns = $3)
      AND ($4::text IS NULL OR checkpoint_id = $4)
      AND ($5::text IS NULL OR checkpoint_id < $5)
      AND ($6::text IS NULL OR (checkpoint_id, thread_id, checkpoint_ns) < ($6, $7::text, $8::text))
    ORDER BY checkpoint_id DESC, thread_id DESC, checkpoint_ns DESC
    LIMIT $9
  ) newest`, "$10::boolean");

/** The rows of checkpoints $4 (ids) of thread $1 and namespace $3, with their ancestors; $2 known ids. */
export const READ_CHAINS = READ(`
  SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, flags, NULL::bigint AS rank
  FROM tl_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $3 AND checkpoint_id = ANY($4::text[])`, "true");


/** Removes whole threads: $1 thread ids. */
export const DELETE_THREADS = `
WITH c AS (DELETE FROM tl_checkpoints WHERE thread_id = ANY($1::text[]) RETURNING 1),
w AS (DELETE FROM tl_checkpoint_writes WHERE thread_id = ANY($1::text[]) RETURNING 1),
t AS (DELETE FROM tl_checkpoint_ttl WHERE thread_id = ANY($1::text[]) RETURNING 1)
SELECT (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

/**
 * Deletes up to $1 expired threads in one statement. SKIP LOCKED lets several
 * sweepers share the work without waiting on each other.
 */
export const SWEEP_EXPIRED = `
WITH expired AS (
  SELECT thread_id FROM tl_checkpoint_ttl WHERE expires_at <= now()
  ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
), c AS (DELETE FROM tl_checkpoints WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
w AS (DELETE FROM tl_checkpoint_writes WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING 1),
t AS (DELETE FROM tl_checkpoint_ttl WHERE thread_id IN (SELECT thread_id FROM expired) RETURNING thread_id)
SELECT coalesce((SELECT array_agg(thread_id) FROM t), '{}') AS "threadIds",
       (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

/** Copies every row of thread $1 to thread $2 unless $2 already has checkpoints. */
export const COPY_THREAD = `
WITH target AS (
  SELECT EXISTS (SELECT 1 FROM tl_checkpoints WHERE thread_id = $2) AS taken
), c AS (
  INSERT INTO tl_checkpoints (${CHECKPOINT_COLUMNS})
  SELECT $2, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, flags, body, checksum
  FROM tl_checkpoints WHERE thread_id = $1 AND NOT (SELECT taken FROM target)
  RETURNING 1
), w AS (
  INSERT INTO tl_checkpoint_writes (${WRITE_COLUMNS})
  SELECT $2, checkpoint_ns, checkpoint_id, task_id, task_path, run_id, idx, channel, type, blob, checksum
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
       (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

/**
 * Checkpoints of thread $1 that a prune keeping the newest $2 of each
 * namespace deletes (doomed), and kept ones whose parent is doomed
 * (boundary: they must be stored whole first).
 */
export const PRUNE_PLAN = `
WITH ranked AS (
  SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, flags,
         row_number() OVER (PARTITION BY checkpoint_ns ORDER BY checkpoint_id DESC) AS rn
  FROM tl_checkpoints WHERE thread_id = $1
)
SELECT k.checkpoint_ns AS "checkpointNs", k.checkpoint_id AS "checkpointId", k.rn > $2 AS doomed,
       k.rn <= $2 AND EXISTS (
         SELECT 1 FROM ranked d
         WHERE d.rn > $2 AND d.checkpoint_ns = k.checkpoint_ns AND d.checkpoint_id = k.parent_checkpoint_id
       ) AS boundary
FROM ranked k`;

/** Checkpoints of run $2 on thread $1 (doomed) and other checkpoints whose parent is one (boundary). */
export const RUN_PLAN = `
WITH doomed AS (
  SELECT checkpoint_ns, checkpoint_id FROM tl_checkpoints WHERE thread_id = $1 AND run_id = $2
)
SELECT checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId", true AS doomed, false AS boundary FROM doomed
UNION ALL
SELECT c.checkpoint_ns, c.checkpoint_id, false, true
FROM tl_checkpoints c JOIN doomed d ON d.checkpoint_ns = c.checkpoint_ns AND d.checkpoint_id = c.parent_checkpoint_id
WHERE c.thread_id = $1 AND c.run_id IS DISTINCT FROM $2`;

/** Rewrites checkpoint $3 of thread $1, namespace $2 whole: $4 flags, $5 body, $6 checksum. */
export const REWRITE_CHECKPOINT = `
UPDATE tl_checkpoints SET flags = $4, body = $5, checksum = $6 WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`;

/**
 * Deletes checkpoints ($2 namespaces, $3 ids, pairwise) of thread $1 with
 * the writes against them, and the writes run $4 made (when not null).
 */
export const DELETE_CHECKPOINTS = `
WITH doomed AS (
  SELECT * FROM unnest($2::text[], $3::text[]) AS d(checkpoint_ns, checkpoint_id)
), c AS (
  DELETE FROM tl_checkpoints c USING doomed d
  WHERE c.thread_id = $1 AND c.checkpoint_ns = d.checkpoint_ns AND c.checkpoint_id = d.checkpoint_id
  RETURNING 1
), w AS (
  DELETE FROM tl_checkpoint_writes w
  WHERE w.thread_id = $1 AND (
    w.run_id = $4 OR EXISTS (SELECT 1 FROM doomed d WHERE d.checkpoint_ns = w.checkpoint_ns AND d.checkpoint_id = w.checkpoint_id)
  )
  RETURNING 1
)
SELECT (SELECT count(*) FROM c)::int AS "checkpoints", (SELECT count(*) FROM w)::int AS "writes"`;

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

/**
 * A batch of checkpoint rows for verification, in key order after the
 * cursor ($2..$4: thread, namespace, id of the previous batch's last row);
 * $1 thread ids to scan (null: every thread), $5 batch size.
 */
export const VERIFY_CHECKPOINTS = `
SELECT ${READ_COLUMNS}, body FROM tl_checkpoints
WHERE ($1::text[] IS NULL OR thread_id = ANY($1::text[]))
  AND ($2::text IS NULL OR (thread_id, checkpoint_ns, checkpoint_id) > ($2, $3::text, $4::text))
ORDER BY thread_id, checkpoint_ns, checkpoint_id
LIMIT $5`;

/** A batch of pending-write rows for verification; parameters as VERIFY_CHECKPOINTS, $6..$7 cursor (task, idx). */
export const VERIFY_WRITES = `
SELECT thread_id AS "threadId", checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId", task_id AS "taskId",
       task_path AS "taskPath", idx, channel, type, blob, checksum
FROM tl_checkpoint_writes
WHERE ($1::text[] IS NULL OR thread_id = ANY($1::text[]))
  AND ($2::text IS NULL OR (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) > ($2, $3::text, $4::text, $6::text, $7::integer))
ORDER BY thread_id, checkpoint_ns, checkpoint_id, task_id, idx
LIMIT $5`;

/**
 * Adds checksums to rows stored before them ($1..$3 keys, $4 checksums,
 * $5 bodies, pairwise), only while each row still has no checksum and the
 * body that was checked.
 */
export const STAMP_CHECKPOINTS = `
UPDATE tl_checkpoints c SET checksum = s.checksum
FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::bytea[]) AS s(thread_id, checkpoint_ns, checkpoint_id, checksum, body)
WHERE c.thread_id = s.thread_id AND c.checkpoint_ns = s.checkpoint_ns AND c.checkpoint_id = s.checkpoint_id
  AND c.checksum IS NULL AND c.body = s.body`;

/** As STAMP_CHECKPOINTS, for pending writes: $1..$5 keys, $6 checksums, $7 blobs. */
export const STAMP_WRITES = `
UPDATE tl_checkpoint_writes w SET checksum = s.checksum
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::integer[], $7::bytea[])
  AS s(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, checksum, blob)
WHERE w.thread_id = s.thread_id AND w.checkpoint_ns = s.checkpoint_ns AND w.checkpoint_id = s.checkpoint_id
  AND w.task_id = s.task_id AND w.idx = s.idx AND w.checksum IS NULL AND w.blob = s.blob`;

/** The run id of thread $1's latest root checkpoint (ids sort by time). */
export const LAST_RUN = `SELECT run_id AS "runId" FROM tl_checkpoints WHERE thread_id = $1 AND checkpoint_ns = ''
                          ORDER BY checkpoint_id DESC LIMIT 1`;

/**
 * The id of thread `thread`'s latest root checkpoint, as an SQL expression
 * over a parameter or column of the caller's statement (e.g. "$2"), so a
 * statement of the runtime's can tell whether a thread changed since a
 * checkpoint it knows; null for a thread without checkpoints.
 */
export const latestCheckpointIdSql = (thread: string) =>
  `(SELECT checkpoint_id FROM tl_checkpoints WHERE thread_id = ${thread} AND checkpoint_ns = '' ORDER BY checkpoint_id DESC LIMIT 1)`;
