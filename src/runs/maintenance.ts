import { randomUUID } from "node:crypto";
import type { ThreadlineSaver } from "../../checkpoints/index.js";
import type { Database } from "../db/database.js";
import { ConflictError } from "../errors.js";
import type { Project } from "../graph/project.js";
import type { ThreadService } from "../threads/service.js";
import { THREAD_SQL } from "../threads/sql.js";
import { holdRun } from "./lock.js";
import { withThreadQueue } from "./queue.js";
import { RUN_SQL, type RunRow } from "./sql.js";

export interface MaintenanceDependencies {
  db: Database;
  project: Project;
  checkpointer: ThreadlineSaver;
  threads: ThreadService;
}

/** The assistant id a reservation records; it names no assistant. */
const NO_ASSISTANT = "00000000-0000-0000-0000-000000000000";

/**
 * Runs `fn` with the thread to itself: a placeholder run in state running
 * (held like a real one, so it goes if this process dies) keeps every run
 * from starting meanwhile, as the one-running-run-per-thread index admits
 * no second. Refused while a run is running on the thread, or pending
 * (unless `allowPending`: the operation deletes them).
 */
export async function withThreadReserved<T>(
  deps: MaintenanceDependencies,
  threadId: string,
  what: string,
  fn: (reservation: string) => Promise<T>,
  options: { allowPending?: boolean } = {},
): Promise<T> {
  const runId = randomUUID();
  const hold = await holdRun(deps.db, runId);
  if (!hold) throw new Error(`could not take the lock of a new run ${runId}`);
  try {
    const { abandoned } = await withThreadQueue(deps.db, threadId, async (client, queue) => {
      const busy = queue.active.find((r) => r.status === "running" || !options.allowPending);
      if (busy) throw new ConflictError(`thread "${threadId}" has a run in progress (${busy.runId}); wait for it or cancel it`);
      await client.query(RUN_SQL.reserve, [runId, threadId, NO_ASSISTANT, queue.thread.graphId ?? "", { reserved: what }]);
    });
    await cleanUpAbandoned(deps, abandoned);
    try {
      return await fn(runId);
    } finally {
      await deps.db.pool.query(RUN_SQL.deleteRolledBack, [runId]);
    }
  } finally {
    await hold.release();
  }
}

/** Ends the thread's runs whose process died (the next queue operation would anyway). */
export async function reconcileThread(deps: MaintenanceDependencies, threadId: string): Promise<void> {
  const { abandoned } = await withThreadQueue(deps.db, threadId, async () => undefined);
  await cleanUpAbandoned(deps, abandoned);
}

/**
 * Runs whose process died: a rollback they were asked for is finished here,
 * and the thread records its latest state again (keeping busy if another
 * run already runs on it).
 */
export async function cleanUpAbandoned(deps: MaintenanceDependencies, abandoned: readonly RunRow[]): Promise<void> {
  for (const run of abandoned) {
    if (run.cancel === "rollback") {
      await deps.checkpointer.deleteRun(run.threadId, run.runId);
      await deps.db.pool.query(RUN_SQL.deleteRolledBack, [run.runId]);
    }
  }
  for (const threadId of new Set(abandoned.map((r) => r.threadId))) {
    const thread = (await deps.db.pool.query<{ graphId: string | null }>(THREAD_SQL.getAny, [threadId])).rows[0];
    if (!thread?.graphId) continue;
    const loaded = await deps.project.load(thread.graphId).catch(() => undefined);
    if (!loaded) continue;
    const graph = await loaded.instantiate({ configurable: { thread_id: threadId } }, { checkpointer: deps.checkpointer });
    // A state that cannot be read is reported by whoever reads it next.
    await deps.threads.refresh(threadId, graph).catch(() => undefined);
  }
}
