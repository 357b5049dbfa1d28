import { latestCheckpointIdSql } from "../../checkpoints/index.js";
import { RECORD_SET, START_RUN_SET } from "../threads/sql.js";

/** Every statement of runs and their events; snake_case columns mapped once here. */
const COLUMNS = `run_id::text AS "runId", thread_id AS "threadId", assistant_id::text AS "assistantId", graph_id AS "graphId",
                 user_id AS owner, status, request, metadata, multitask_strategy AS "multitaskStrategy", background, cancel,
                 output, error, attempt, run_after AS "runAfter", created_at AS "createdAt", updated_at AS "updatedAt",
                 started_at AS "startedAt", ended_at AS "endedAt"`;

export const RUN_SQL = {
  get: `SELECT ${COLUMNS} FROM runs WHERE run_id = $1::uuid AND user_id = $2`,
  getAny: `SELECT ${COLUMNS} FROM runs WHERE run_id = $1::uuid`,
  insert: `INSERT INTO runs (run_id, thread_id, assistant_id, graph_id, user_id, request, metadata, multitask_strategy, background, run_after)
           VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9, now() + $10::float8 * interval '1 second')
           RETURNING ${COLUMNS}`,
  /** A run created already claimed by the process that will execute it (its thread had nothing else to do). */
  insertRunning: `INSERT INTO runs (run_id, thread_id, assistant_id, graph_id, user_id, request, metadata, multitask_strategy, background, run_after,
                                    status, attempt, started_at)
                  VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9, now() + $10::float8 * interval '1 second', 'running', 1, clock_timestamp())
                  RETURNING ${COLUMNS}`,
  /**
   * A run created already running, in one statement, when its thread has
   * nothing to do: the thread is the owner's ($5), not busy, not locked by
   * anyone (NOWAIT: whoever holds it is changing its runs), of graph $4 or
   * none yet; the assistant ($3) is still at version $10; the run's lock is
   * taken on this statement's connection before its row can be seen (the
   * schema $11 as RUN_SQL.tryLock takes it; null takes none, on PGlite).
   * `busy` is read from the locked row as it now is, and it holds while a
   * thread has runs to do, so two of these never both find a thread free.
   * `latestCheckpointId` is the thread's latest root checkpoint as the run
   * starts. No row: the caller takes the long way (RunService.create).
   * $6 request, $7 metadata, $8 multitask strategy, $9 background.
   */
  startIdle: `WITH assistant AS (
                SELECT 1 FROM assistants WHERE assistant_id = $3::uuid AND (user_id = $5 OR user_id = '~system') AND graph_id = $4 AND version = $10
              ), thread AS (
                SELECT 1 FROM threads WHERE thread_id = $2 AND user_id = $5 AND status <> 'busy' AND (graph_id IS NULL OR graph_id = $4)
                   FOR UPDATE NOWAIT
              ), free AS (
                SELECT 1 FROM thread, assistant WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.thread_id = $2 AND runs.status IN ('pending', 'running'))
              ), held AS (
                SELECT 1 FROM free WHERE $11::text IS NULL OR pg_try_advisory_lock(hashtextextended('threadline.run.' || $11 || '.' || $1, 0))
              ), created AS (
                INSERT INTO runs (run_id, thread_id, assistant_id, graph_id, user_id, request, metadata, multitask_strategy, background, run_after,
                                  status, attempt, started_at)
                SELECT $1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9, now(), 'running', 1, clock_timestamp() FROM held
                RETURNING ${COLUMNS}
              ), busy AS (
                UPDATE threads SET ${START_RUN_SET("$4", "$3::text")} WHERE thread_id = (SELECT "threadId" FROM created)
              )
              SELECT created.*, ${latestCheckpointIdSql("$2")} AS "latestCheckpointId" FROM created`,
  /** The runs of a thread that are not finished, oldest first. */
  active: `SELECT ${COLUMNS} FROM runs WHERE thread_id = $1 AND status IN ('pending', 'running') ORDER BY created_at, run_id`,
  list: `SELECT ${COLUMNS} FROM runs
          WHERE thread_id = $1 AND user_id = $2 AND ($3::text IS NULL OR status = $3) AND NOT request ? 'reserved'
          ORDER BY created_at DESC, run_id DESC LIMIT $4 OFFSET $5`,
  /** A placeholder running run that keeps a thread to one maintenance operation (see withThreadReserved). */
  reserve: `INSERT INTO runs (run_id, thread_id, assistant_id, graph_id, user_id, request, multitask_strategy, background, status, attempt, started_at)
            VALUES ($1::uuid, $2, $3::uuid, $4, '~system', $5, 'reject', false, 'running', 1, clock_timestamp())`,
  /** Background runs that are due, oldest first, for workers. */
  due: `SELECT ${COLUMNS} FROM runs r
          WHERE status = 'pending' AND background AND run_after <= clock_timestamp()
            AND NOT EXISTS (SELECT 1 FROM runs o WHERE o.thread_id = r.thread_id
                              AND (o.status = 'running' OR (o.status = 'pending' AND (o.created_at, o.run_id) < (r.created_at, r.run_id))))
          ORDER BY created_at, run_id LIMIT $1`,
  /** The thread's latest run that has started. */
  latest: `SELECT ${COLUMNS} FROM runs WHERE thread_id = $1 AND started_at IS NOT NULL AND NOT request ? 'reserved' ORDER BY started_at DESC, run_id DESC LIMIT 1`,
  /** Asks a running run to stop; its process sees the flag and stops it. */
  requestCancel: `UPDATE runs SET cancel = $2, updated_at = clock_timestamp() WHERE run_id = $1::uuid AND status = 'running' AND cancel IS NULL`,
  /** A pending run is cancelled at once. */
  cancelPending: `UPDATE runs SET status = 'interrupted', cancel = $2, ended_at = clock_timestamp(), updated_at = clock_timestamp()
                   WHERE run_id = $1::uuid AND status = 'pending' RETURNING run_id`,
  claim: `UPDATE runs SET status = 'running', attempt = attempt + 1, started_at = clock_timestamp(), updated_at = clock_timestamp()
           WHERE run_id = $1::uuid AND status = 'pending' AND run_after <= clock_timestamp() RETURNING ${COLUMNS}`,
  cancelOf: "SELECT cancel, status, attempt FROM runs WHERE run_id = $1::uuid",
  /** How a run ended, written only by the attempt that is running it. */
  finish: `UPDATE runs SET status = $2, output = $3, error = $4, ended_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE run_id = $1::uuid AND status = 'running' AND attempt = $5 RETURNING ${COLUMNS}`,
  /**
   * How a run ended, in one statement with what it leaves: its last events
   * ($6-$8, as EVENT_SQL.append takes them) and its thread's status, values
   * and interrupts ($9-$11; values and interrupts kept when null). The
   * thread is recorded only when the record was still this attempt's. The
   * commit waits for the disk (at least 'on'), so it also makes every
   * checkpoint the run committed before it durable. `queuedAfter` says
   * whether runs wait for the thread.
   */
  finishRecorded: `WITH commit_mode AS MATERIALIZED (
                     SELECT set_config('synchronous_commit',
                                       CASE WHEN current_setting('synchronous_commit') = 'remote_apply' THEN 'remote_apply' ELSE 'on' END, true)
                   ), events AS (
                     INSERT INTO run_events (run_id, seq, event, data)
                     SELECT $1::uuid, s, e, d FROM unnest($6::int[], $7::text[], $8::jsonb[]) AS t(s, e, d)
                   ), ended AS (
                     UPDATE runs SET status = $2, output = $3, error = $4, ended_at = clock_timestamp(), updated_at = clock_timestamp()
                      WHERE run_id = $1::uuid AND status = 'running' AND attempt = $5 RETURNING ${COLUMNS}
                   ), thread AS (
                     UPDATE threads SET ${RECORD_SET({ thread: "threads.thread_id", status: "$9::text", values: "$10", interrupts: "$11", except: "$1" })}
                      WHERE thread_id = (SELECT "threadId" FROM ended)
                   )
                   SELECT ended.*, EXISTS (SELECT 1 FROM runs queued WHERE queued.thread_id = ended."threadId" AND queued.status = 'pending') AS "queuedAfter"
                     FROM ended, commit_mode`,
  /** A run handed back by a worker that is shutting down: due again, for any worker, on its next attempt. */
  requeue: `UPDATE runs SET status = 'pending', run_after = clock_timestamp(), updated_at = clock_timestamp()
             WHERE run_id = $1::uuid AND status = 'running' AND attempt = $2 AND background RETURNING ${COLUMNS}`,
  /** A run whose process died: it ends with an error saying so. */
  abandon: `UPDATE runs SET status = 'error', error = $2, ended_at = clock_timestamp(), updated_at = clock_timestamp()
             WHERE run_id = $1::uuid AND status IN ('pending', 'running')`,
  /** A run that is not running (a running one must be cancelled first). */
  delete: "DELETE FROM runs WHERE run_id = $1::uuid AND status <> 'running' RETURNING run_id",
  /** The record of a run its executor rolled back. */
  deleteRolledBack: "DELETE FROM runs WHERE run_id = $1::uuid",
  status: "SELECT status FROM runs WHERE run_id = $1::uuid",
  /**
   * The session advisory lock a process holds while it is responsible for a
   * run: $1 the schema (so test schemas never collide), $2 the run id.
   */
  tryLock: "SELECT pg_try_advisory_lock(hashtextextended('threadline.run.' || $1 || '.' || $2, 0)) AS locked",
  unlock: "SELECT pg_advisory_unlock(hashtextextended('threadline.run.' || $1 || '.' || $2, 0))",
  /** Probes a run's lock for the length of the caller's transaction only, so nothing outlives it. */
  probeLock: "SELECT pg_try_advisory_xact_lock(hashtextextended('threadline.run.' || $1 || '.' || $2, 0)) AS free",
  ping: "SELECT 1",
  lockThread: "SELECT thread_id, graph_id AS \"graphId\", status FROM threads WHERE thread_id = $1 FOR UPDATE",
} as const;


export type RunStatus = "pending" | "running" | "success" | "error" | "timeout" | "interrupted";

export interface RunRow {
  runId: string;
  threadId: string;
  assistantId: string;
  graphId: string;
  owner: string;
  status: RunStatus;
  request: Record<string, unknown>;
  metadata: Record<string, unknown>;
  multitaskStrategy: "reject" | "interrupt" | "rollback" | "enqueue";
  /** Executed by any worker (true) or by the process that created it (false). */
  background: boolean;
  cancel: "interrupt" | "rollback" | null;
  output: unknown;
  error: { message: string; name?: string; node?: string } | null;
  attempt: number;
  runAfter: Date;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}
