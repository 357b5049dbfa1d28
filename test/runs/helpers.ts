import { resolve } from "node:path";
import { openCore, type Core } from "../../src/core.js";
import { loadProject } from "../../src/graph/project.js";
import type { Run } from "../../src/runs/service.js";
import type { TestDatabase } from "../helpers/db.js";

export const PROJECT_FILE = resolve(import.meta.dirname, "../fixtures/runs/langgraph.json");
export const project = await loadProject(PROJECT_FILE);

/** The core on the test's schema, with the fixture graphs (paced, asking, banking). */
export function openTestCore(db: TestDatabase): Promise<Core> {
  return openCore({ db, project });
}

/** Resolves once the run is running (its first event was emitted). */
export function whenRunning(core: Core, runId: string): Promise<void> {
  return new Promise((resolvePromise) => {
    const unsubscribe = core.events.subscribe(runId, (event) => {
      if (event?.event === "metadata") {
        unsubscribe();
        resolvePromise();
      }
    });
  });
}

/**
 * Resolves once `count` nodes of the run have finished and been saved. A
 * run's first two checkpoints come before any node (its input, then the
 * first step scheduled), so that is `count + 2` checkpoint events.
 */
export function afterSteps(core: Core, runId: string, count: number): Promise<void> {
  let seen = -2;
  return new Promise((resolvePromise) => {
    const unsubscribe = core.events.subscribe(runId, (event) => {
      if (event?.event === "checkpoints" && ++seen >= count) {
        unsubscribe();
        resolvePromise();
      }
    });
  });
}

/** A paced run on a thread: `label` tags each step it writes to `log`. */
export function pacedRequest(label: string, extra: Record<string, unknown> = {}) {
  return { input: { label }, ifNotExists: "create", streamMode: ["updates", "checkpoints"], config: { configurable: { pace_ms: 60 } }, ...extra };
}

export async function checkpointRowsOf(db: TestDatabase, threadId: string, runId: string): Promise<{ checkpoints: number; writes: number }> {
  const c = await db.pool.query("SELECT count(*)::int AS n FROM tl_checkpoints WHERE thread_id = $1 AND run_id = $2", [threadId, runId]);
  const w = await db.pool.query("SELECT count(*)::int AS n FROM tl_checkpoint_writes WHERE thread_id = $1 AND run_id = $2", [threadId, runId]);
  return { checkpoints: c.rows[0].n, writes: w.rows[0].n };
}

/** Checkpoints of the thread that share a parent: a fork, which one run at a time never makes. */
export async function forkedParents(db: TestDatabase, threadId: string): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM (
       SELECT parent_checkpoint_id FROM tl_checkpoints
        WHERE thread_id = $1 AND checkpoint_ns = '' AND parent_checkpoint_id IS NOT NULL
        GROUP BY parent_checkpoint_id HAVING count(*) > 1) forks`,
    [threadId],
  );
  return rows[0].n;
}

export type { Run };
