import type { Context } from "hono";
import { z } from "zod";
import type { Core } from "../../core.js";
import { NotFoundError } from "../../errors.js";
import { assertRunId } from "../../owners.js";
import type { Run } from "../../runs/service.js";
import type { RunEvent } from "../../stream/log.js";
import { router, type ApiEnv } from "../api.js";
import { meetsFilters } from "../auth.js";
import { ApiError } from "../errors.js";
import { jsonBody, queryOf } from "../input.js";
import { runRequestOf } from "../run-request.js";
import { QueryBoolean, QueryInt, given } from "../schemas/common.js";
import { BulkCancel, RunBatch, RunCreate } from "../schemas/runs.js";
import { resumeAfter, sseResponse } from "../sse.js";
import { runJson } from "../wire.js";

export interface RunRouteOptions {
  /** Tells this process's worker that a run was created, so it starts without waiting for a poll. */
  wake(run: Run): void;
  /** Whether this process's worker has a loop free, so a new run may start here at once. */
  free(): boolean;
  log(err: unknown): void;
}

/** How often a waiting request sends a blank line, so idle connections are not cut while a run takes its time. */
const KEEPALIVE_MS = 1000;

/** /runs and /threads/{id}/runs: runs created, streamed, waited on, joined, cancelled. */
export function runRoutes(core: Core, options: RunRouteOptions) {
  const api = router();

  /** The thread the path names, if the request may run on it or read its runs. */
  async function threadFor(c: Context<ApiEnv>, action: ThreadAction): Promise<string> {
    const id = c.req.param("thread_id")!;
    const thread = await core.threads.find(id, c.var.auth.owner);
    if (!thread) throw new NotFoundError(`unknown thread "${id}"`);
    const filters = await c.var.auth.authorize(`threads:${action}`, { thread_id: id, metadata: thread.metadata });
    if (!meetsFilters(thread.metadata, filters)) throw new NotFoundError(`unknown thread "${id}"`);
    return id;
  }

  /** Refuses (as unknown) a thread the auth handler's filters for `action` do not allow. */
  async function allowedOn(c: Context<ApiEnv>, threadId: string, action: ThreadAction): Promise<void> {
    if (!c.var.auth.checked) return;
    const thread = await core.threads.get(threadId, c.var.auth.owner);
    const filters = await c.var.auth.authorize(`threads:${action}`, { thread_id: threadId, metadata: thread.metadata });
    if (!meetsFilters(thread.metadata, filters)) throw new NotFoundError(`unknown thread "${threadId}"`);
  }

  async function create(c: Context<ApiEnv>, threadId: string | null) {
    const parsed = runRequestOf(await jsonBody(c, RunCreate));
    return createParsed(c, threadId, parsed);
  }

  async function createParsed(c: Context<ApiEnv>, threadId: string | null, parsed: ReturnType<typeof runRequestOf>) {
    if (c.var.auth.checked) {
      // One question to the handler, which may add to the run's metadata; its filters hold for the thread.
      const value = { thread_id: threadId, assistant_id: parsed.assistantId, metadata: { ...parsed.request.metadata } };
      const filters = await c.var.auth.authorize("threads:create_run", value);
      parsed.request.metadata = value.metadata;
      const thread = threadId === null ? undefined : await core.threads.find(threadId, c.var.auth.owner);
      if (thread && !meetsFilters(thread.metadata, filters)) throw new NotFoundError(`unknown thread "${threadId}"`);
    }
    // A stateless run executes in this process: its record goes when it ends,
    // so only this process could tell whoever waits on it how it ended.
    const stateless = threadId === null;
    const run = await core.runs.create(
      { threadId, assistantId: parsed.assistantId, request: parsed.request, background: !stateless, startHere: !stateless && options.free() },
      c.var.auth.owner,
    );
    if (stateless) void core.runs.execute(run.runId).catch(options.log);
    else options.wake(run);
    c.header("Content-Location", threadId === null ? `/runs/${run.runId}` : `/threads/${run.threadId}/runs/${run.runId}`);
    return { run, onDisconnect: parsed.onDisconnect };
  }

  /** The run the path names, on the thread it names (if any), if the request may read it. */
  async function runFor(c: Context<ApiEnv>, action: ThreadAction = "read"): Promise<Run> {
    const threadId = c.req.param("thread_id");
    if (threadId !== undefined) await threadFor(c, action);
    const run = await core.runs.get(c.req.param("run_id")!, c.var.auth.owner, threadId);
    // A run named without its thread (stateless runs, bulk cancel): its thread's handler decides.
    if (threadId === undefined && c.var.auth.checked) {
      const thread = await core.threads.find(run.threadId, c.var.auth.owner);
      const filters = await c.var.auth.authorize(`threads:${action}`, { thread_id: run.threadId, metadata: thread?.metadata ?? {} });
      if (thread && !meetsFilters(thread.metadata, filters)) throw new NotFoundError(`unknown run "${run.runId}"`);
    }
    return run;
  }

  function stream(c: Context<ApiEnv>, run: Run, after: number, onDisconnect: "cancel" | "continue", modes?: string[]) {
    const owner = c.var.auth.owner;
    c.header("Location", run.request.onCompletion ? `/runs/${run.runId}/stream` : `/threads/${run.threadId}/runs/${run.runId}/stream`);
    return sseResponse(c, (signal) => filtered(core.runs.events(run, owner, { after, signal }), modes), {
      log: options.log,
      ...(onDisconnect === "cancel" ? { onDisconnect: () => cancelQuietly(core, run.runId, owner) } : {}),
    });
  }

  /** Waits for the run, sending blank lines meanwhile, then its output as JSON (see outputOf). */
  function waitResponse(c: Context<ApiEnv>, run: Run, cancelOnDisconnect: boolean) {
    const owner = c.var.auth.owner;
    const gone = c.req.raw.signal;
    const result = core.runs.join(run, owner, { signal: gone }).then(outputOf);
    c.header("Content-Type", "application/json");
    let keepalive: NodeJS.Timeout | undefined;
    // Set when the client went (the stream was cancelled): nothing more may be written.
    let closed = false;
    const encoder = new TextEncoder();
    return c.body(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          const send = (text: string) => {
            if (!closed) controller.enqueue(encoder.encode(text));
          };
          keepalive = setInterval(() => send("\n"), KEEPALIVE_MS);
          const onGone = () => {
            if (cancelOnDisconnect) void cancelQuietly(core, run.runId, owner).catch(options.log);
          };
          gone.addEventListener("abort", onGone, { once: true });
          try {
            send(JSON.stringify(await result));
          } catch (err) {
            if (!closed) options.log(err);
            send(JSON.stringify({ __error__: { error: (err as Error).name ?? "Error", message: (err as Error).message ?? String(err) } }));
          } finally {
            clearInterval(keepalive);
            gone.removeEventListener("abort", onGone);
            if (!closed) controller.close();
            closed = true;
          }
        },
        cancel() {
          closed = true;
          clearInterval(keepalive);
        },
      }),
    );
  }

  const StreamQuery = z
    .object({ cancel_on_disconnect: QueryBoolean.optional(), stream_mode: z.union([z.string(), z.array(z.string())]).optional(), namespace: z.string().optional(), checkpoint_id: z.string().optional() })
    .strict();

  // Thread runs.
  api.post("/threads/:thread_id/runs", async (c) => {
    const { run } = await create(c, c.req.param("thread_id"));
    return c.json(runJson(run));
  });
  api.post("/threads/:thread_id/runs/stream", async (c) => {
    const { run, onDisconnect } = await create(c, c.req.param("thread_id"));
    return stream(c, run, 0, onDisconnect);
  });
  api.post("/threads/:thread_id/runs/wait", async (c) => {
    const { run, onDisconnect } = await create(c, c.req.param("thread_id"));
    return waitResponse(c, run, onDisconnect === "cancel");
  });
  api.get("/threads/:thread_id/runs", async (c) => {
    const threadId = await threadFor(c, "read");
    const query = given(queryOf(c, z.object({ limit: QueryInt.optional(), offset: QueryInt.optional(), status: z.enum(["pending", "running", "success", "error", "timeout", "interrupted"]).optional(), select: z.unknown().optional() }).strict()));
    const runs = await core.runs.list(threadId, c.var.auth.owner, query);
    return c.json(runs.map(runJson));
  });
  api.get("/threads/:thread_id/runs/:run_id", async (c) => c.json(runJson(await runFor(c))));
  api.delete("/threads/:thread_id/runs/:run_id", async (c) => {
    const run = await runFor(c, "delete");
    await core.runs.delete(run.runId, c.var.auth.owner, run.threadId);
    return c.body(null, 204);
  });
  api.get("/threads/:thread_id/runs/:run_id/join", async (c) => {
    const run = await runFor(c);
    const { cancel_on_disconnect } = given(queryOf(c, z.object({ cancel_on_disconnect: QueryBoolean.optional() }).strict()));
    return waitResponse(c, run, cancel_on_disconnect === true);
  });
  api.get("/threads/:thread_id/runs/:run_id/stream", async (c) => {
    const run = await runFor(c);
    const query = given(queryOf(c, StreamQuery));
    return stream(c, run, resumeAfter(c), query.cancel_on_disconnect ? "cancel" : "continue", c.req.queries("stream_mode"));
  });
  api.post("/threads/:thread_id/runs/:run_id/cancel", async (c) => {
    const run = await runFor(c, "update");
    const query = given(queryOf(c, z.object({ wait: QueryBoolean.optional(), action: z.enum(["interrupt", "rollback"]).optional(), reason: z.string().optional() }).strict()));
    // A run that ended meanwhile is cancelled enough (a client's stop often races the end).
    if (query.wait) await core.runs.cancel(run.runId, c.var.auth.owner, { action: query.action ?? "interrupt", wait: true, threadId: run.threadId }).catch(ignoreEnded);
    else await cancelQuietly(core, run.runId, c.var.auth.owner, query.action ?? "interrupt");
    return c.body(null, query.wait ? 204 : 202);
  });

  // Every run of a thread, one after another, for as long as the client listens.
  api.get("/threads/:thread_id/stream", async (c) => {
    const threadId = await threadFor(c, "read");
    const joinedAt = new Date();
    // "run_modes" (the default) passes each run's events as the run streams them.
    queryOf(c, z.object({ stream_mode: z.union([z.literal("run_modes"), z.array(z.literal("run_modes"))]).optional() }).strict());
    const owner = c.var.auth.owner;
    const [resumeRun, resumeSeq] = (c.req.header("last-event-id") ?? "").split(":");
    const resume = resumeRun ? { runId: resumeRun, after: Number(resumeSeq) || 0 } : undefined;
    return sseResponse(c, (signal) => threadEvents(core, { threadId, owner, joinedAt, ...(resume ? { resume } : {}) }, signal), { log: options.log });
  });

  // Stateless runs (on a temporary thread, deleted when the run ends unless on_completion is keep).
  api.post("/runs", async (c) => c.json(runJson((await create(c, null)).run)));
  api.post("/runs/stream", async (c) => {
    const { run, onDisconnect } = await create(c, null);
    return stream(c, run, 0, onDisconnect);
  });
  api.post("/runs/wait", async (c) => {
    const { run, onDisconnect } = await create(c, null);
    return waitResponse(c, run, onDisconnect === "cancel");
  });
  api.post("/runs/batch", async (c) => {
    const bodies = await jsonBody(c, z.array(z.record(z.string(), z.unknown())).min(1).max(100).transform((items) => items.map(snakeCase)).pipe(RunBatch));
    const parsed = bodies.map(runRequestOf);
    const runs = [];
    for (const p of parsed) runs.push((await createParsed(c, null, p)).run);
    return c.json(runs.map(runJson));
  });
  api.get("/runs/:run_id/stream", async (c) => {
    const run = await runFor(c);
    const query = given(queryOf(c, StreamQuery));
    return stream(c, run, resumeAfter(c), query.cancel_on_disconnect ? "cancel" : "continue", c.req.queries("stream_mode"));
  });
  api.post("/runs/cancel", async (c) => {
    const body = given(await jsonBody(c, BulkCancel));
    const { action } = given(queryOf(c, z.object({ action: z.enum(["interrupt", "rollback"]).optional() }).strict()));
    let ids: string[];
    if (body.run_ids?.length) {
      ids = body.run_ids.map(assertRunId);
      for (const id of ids) {
        const run = await core.runs.get(id, c.var.auth.owner, body.thread_id);
        await allowedOn(c, run.threadId, "update");
      }
    } else if (body.thread_id) {
      await allowedOn(c, body.thread_id, "update");
      const statuses = body.status === "all" || !body.status ? ["pending", "running"] : [body.status];
      ids = (await core.runs.list(body.thread_id, c.var.auth.owner, { limit: 1000 })).filter((r) => statuses.includes(r.status)).map((r) => r.runId);
    } else {
      throw new ApiError(422, "name the runs to cancel: run_ids, or thread_id (with an optional status)");
    }
    for (const id of ids) await cancelQuietly(core, id, c.var.auth.owner, action ?? "interrupt");
    return c.body(null, 204);
  });

  // Crons come with the workers issue.
  const noCrons = () => {
    throw new ApiError(501, "crons are not supported yet: schedule runs from outside (e.g. a system cron calling POST /threads/{thread_id}/runs)");
  };
  api.post("/runs/crons", noCrons);
  api.post("/runs/crons/search", noCrons);
  api.post("/runs/crons/count", noCrons);
  api.patch("/runs/crons/:cron_id", noCrons);
  api.delete("/runs/crons/:cron_id", noCrons);
  api.post("/threads/:thread_id/runs/crons", noCrons);

  return api;
}

/**
 * The SDK's `createBatch` sends each run's options under their camelCase
 * names (beside `assistant_id`); they mean the same as the snake_case
 * fields, so they are read as those rather than refused or dropped.
 */
function snakeCase(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snake !== key && snake in item) continue;
    out[snake] = value;
  }
  return out;
}

/** Cancels a run, ignoring that it has already ended. */
async function cancelQuietly(core: Core, runId: string, owner: string, action: "interrupt" | "rollback" = "interrupt"): Promise<void> {
  await core.runs.cancel(runId, owner, { action }).catch(ignoreEnded);
}

function ignoreEnded(err: unknown): void {
  if ((err as { code?: string })?.code !== "conflict") throw err;
}

type ThreadAction = "read" | "update" | "delete";

/** How often a thread's stream looks for its next run. */
const THREAD_POLL_MS = 250;

/**
 * The events of the thread's runs, each run whole, in the order they were
 * created: every run that had not ended when the client joined, however
 * fast it ran. Each event's id is `<run id>:<seq>`, so a client that
 * reconnects resumes within the run it was in.
 */
async function* threadEvents(
  core: Core,
  join: { threadId: string; owner: string; joinedAt: Date; resume?: { runId: string; after: number } },
  signal: AbortSignal,
): AsyncIterable<RunEvent> {
  const seen = new Set<string>();
  const before = (r: Run) => r.endedAt !== null && r.endedAt < join.joinedAt && r.runId !== join.resume?.runId;
  while (!signal.aborted) {
    const next = (await core.runs.list(join.threadId, join.owner, { limit: 100 })).filter((r) => !seen.has(r.runId) && !before(r)).at(-1);
    if (!next) {
      await new Promise((resolve) => setTimeout(resolve, THREAD_POLL_MS));
      continue;
    }
    seen.add(next.runId);
    const after = join.resume?.runId === next.runId ? join.resume.after : 0;
    for await (const e of core.runs.events(next.runId, join.owner, { after, signal })) yield { ...e, id: `${next.runId}:${e.seq}` } as RunEvent;
  }
}

/** Only the events of the given stream modes (and the run's own metadata and errors), when modes are given. */
async function* filtered(events: AsyncIterable<RunEvent>, modes: string[] | undefined): AsyncIterable<RunEvent> {
  // "messages-tuple" streams as "messages"; "messages" as the API's messages/* events.
  const wanted = modes?.length ? new Set(modes.flatMap((m) => (m === "messages" ? ["messages/partial", "messages/metadata", "messages/complete"] : m === "messages-tuple" ? ["messages"] : [m]))) : undefined;
  for await (const e of events) {
    if (!wanted || e.event === "metadata" || e.event === "error" || wanted.has(e.event.split("|")[0]!)) yield e;
  }
}

/**
 * What a finished run gives back, as LangGraph's server gives it: its output
 * (the thread's values, with pending interrupts under `__interrupt__`); for
 * a run that failed, `__error__` with the error's name and message.
 */
function outputOf(run: Run): unknown {
  if (run.status === "error") return { __error__: { error: run.error?.name ?? "Error", message: run.error?.message ?? "the run failed" } };
  return run.output ?? {};
}
