import { parseArgs } from "node:util";
import type { Core } from "../core.js";
import { NotFoundError } from "../errors.js";
import { assertThreadId, ownerOf } from "../owners.js";
import type { Thread } from "../threads/service.js";
import type { CliEnvironment } from "./env.js";
import { formatThread, formatThreadList, showCommand, unknownThread } from "./format.js";
import { parseJsonObject, parsePositiveInt } from "./input.js";
import { withCore } from "./session.js";
import { UsageError } from "./usage.js";

export const THREADS_USAGE = [
  "threadline threads list [--graph <id>] [--user <id>] [--limit <n>] [--json]",
  "threadline threads show <id> [--user <id>] [--history <n>] [--json]",
  "threadline threads delete <id> [--user <id>]",
  "threadline threads rollback <id> [--run <run_id>] [--user <id>]",
  "threadline threads fork <id> --checkpoint <checkpoint_id> [--to <new_id>] [--user <id>]",
  "threadline threads update <id> --values <json> [--as-node <node>] [--user <id>]",
  "threadline threads sweep",
].join(" | ");

/**
 * Threads of a user (or, for `list` without --user, of everyone), and the
 * ways out of a thread whose node keeps failing: delete it, roll its latest
 * run back, fork it from an earlier checkpoint, or write its state.
 */
export async function threadsCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      graph: { type: "string", short: "g" },
      user: { type: "string", short: "u" },
      limit: { type: "string", short: "n" },
      history: { type: "string" },
      run: { type: "string" },
      checkpoint: { type: "string" },
      to: { type: "string" },
      values: { type: "string" },
      "as-node": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const [sub, id, ...extra] = positionals;
  const usage = () => new UsageError(`usage: ${THREADS_USAGE.replaceAll(" | ", "\n       ")}`);
  if (sub === "list") {
    if (id !== undefined) throw usage();
    const limit = parsePositiveInt(values.limit, "--limit", 50);
    const owner = values.user === undefined ? undefined : ownerOf(values.user);
    await withCore(env, async (core) => {
      const rows: Thread[] = [];
      for await (const thread of core.threads.list({ ...(owner ? { owner } : {}), ...(values.graph ? { graphId: values.graph } : {}) })) {
        rows.push(thread);
        if (rows.length >= limit) break;
      }
      out(values.json ? JSON.stringify(rows) : formatThreadList(rows));
    });
    return;
  }
  if (sub === "sweep") {
    if (id !== undefined) throw usage();
    await withCore(env, async (core) => {
      const swept: string[] = [];
      for (let batch; (batch = await core.threads.sweepExpired()).length; ) swept.push(...batch);
      out(values.json ? JSON.stringify({ deleted: swept }) : swept.length ? `deleted ${swept.length} expired thread${swept.length === 1 ? "" : "s"}: ${swept.join(", ")}` : "no thread has expired");
    });
    return;
  }
  if (id === undefined || extra.length) throw usage();
  const threadId = assertThreadId(id);
  const owner = ownerOf(values.user);
  // Without --user a command acts for the anonymous owner: a named user's
  // thread is unknown then, and the refusal says how to reach one.
  const onThread = (fn: (core: Core) => Promise<void>) =>
    withCore(env, fn).catch((err: unknown) => {
      throw values.user === undefined && isUnknownThread(err, threadId) ? new NotFoundError(unknownThread(threadId, undefined)) : err;
    });
  const done = (what: string, result: Record<string, unknown>) =>
    out(values.json ? JSON.stringify(result) : `${what}; see ${showCommand({ threadId, userId: values.user ?? null })}`);
  switch (sub) {
    case "show": {
      const limit = parsePositiveInt(values.history, "--history", 100);
      await onThread(async (core) => {
        const thread = await core.threads.get(threadId, owner);
        const view = { thread, state: await core.threads.state(threadId, owner), history: await core.threads.history(threadId, owner, { limit }) };
        out(values.json ? JSON.stringify(view) : formatThread(view));
      });
      return;
    }
    case "delete":
      await onThread(async (core) => {
        await core.threads.delete(threadId, owner);
        out(values.json ? JSON.stringify({ deleted: threadId }) : `deleted thread ${threadId} with its checkpoints, runs and recall memory`);
      });
      return;
    case "rollback":
      await onThread(async (core) => {
        const run = await core.runs.rollback(threadId, owner, values.run === undefined ? {} : { runId: values.run });
        done(`rolled back run ${run.runId} of thread ${threadId}`, { threadId, rolledBack: run.runId });
      });
      return;
    case "fork": {
      if (!values.checkpoint) throw new UsageError("--checkpoint is required: the checkpoint to fork from (see threads show)");
      const to = values.to === undefined ? undefined : assertThreadId(values.to);
      await onThread(async (core) => {
        const thread = await core.threads.fork(threadId, owner, { checkpointId: values.checkpoint!, ...(to ? { to } : {}) });
        out(
          values.json
            ? JSON.stringify({ threadId: thread.threadId, forkedFrom: values.checkpoint })
            : `thread ${thread.threadId} now continues from checkpoint ${values.checkpoint}; see ${showCommand({ threadId: thread.threadId, userId: values.user ?? null })}`,
        );
      });
      return;
    }
    case "update": {
      if (values.values === undefined) throw new UsageError("--values is required: a JSON object of state values");
      const update = parseJsonObject(values.values, "--values");
      await onThread(async (core) => {
        const result = await core.threads.updateState(threadId, owner, { values: update, ...(values["as-node"] ? { asNode: values["as-node"] } : {}) });
        done(`wrote checkpoint ${result.checkpoint?.checkpointId} on thread ${threadId}`, { threadId, checkpointId: result.checkpoint?.checkpointId ?? null });
      });
      return;
    }
    default:
      throw usage();
  }
}

function isUnknownThread(err: unknown, threadId: string): boolean {
  return err instanceof NotFoundError && err.message === `unknown thread "${threadId}"`;
}
