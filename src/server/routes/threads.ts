import type { Context } from "hono";
import { z } from "zod";
import type { Core } from "../../core.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import type { Thread, ThreadTtlOption } from "../../threads/service.js";
import type { ThreadStateView } from "../../threads/state.js";
import { paginate, router, type ApiEnv } from "../api.js";
import { filtersAsContainment, meetsFilters } from "../auth.js";
import { ApiError } from "../errors.js";
import { jsonBody, queryOf } from "../input.js";
import { QueryBoolean, QueryInt, given, selected } from "../schemas/common.js";
import { HistoryRequest, StateAtCheckpoint, StateUpdate, ThreadCount, ThreadCreate, ThreadPatch, ThreadPrune, ThreadSearch, type Ttl } from "../schemas/threads.js";
import { stateJson, threadJson } from "../wire.js";

/** /threads: threads, their state and its history. */
export function threadRoutes(core: Core) {
  const api = router();

  /** The thread the path names, if the request may do `action` to it (unknown otherwise). */
  async function allowed(c: Context<ApiEnv>, action: "read" | "update" | "delete" = "read", id = c.req.param("thread_id")!): Promise<Thread> {
    const thread = await core.threads.get(id, c.var.auth.owner);
    const filters = await c.var.auth.authorize(`threads:${action}`, { thread_id: thread.threadId, metadata: thread.metadata });
    if (!meetsFilters(thread.metadata, filters)) throw new NotFoundError(`unknown thread "${id}"`);
    return thread;
  }

  api.post("/threads", async (c) => {
    const body = given(await jsonBody(c, ThreadCreate));
    const value = { ...body, metadata: { ...body.metadata } };
    await c.var.auth.authorize("threads:create", value);
    const graphId = typeof value.metadata.graph_id === "string" && core.project.graphIds.includes(value.metadata.graph_id) ? value.metadata.graph_id : undefined;
    if (body.supersteps && !graphId) throw new ApiError(422, "supersteps need metadata.graph_id naming a graph of the project");
    const thread = await core.threads.create(
      {
        ...(value.thread_id ? { threadId: value.thread_id } : {}),
        metadata: value.metadata,
        ...(value.if_exists ? { ifExists: value.if_exists } : {}),
        ...(value.ttl ? { ttl: ttlOf(value.ttl) } : {}),
        ...(graphId ? { graphId } : {}),
      },
      c.var.auth.owner,
    );
    for (const step of body.supersteps ?? []) {
      for (const update of step.updates) {
        await core.threads.updateState(thread.threadId, c.var.auth.owner, { values: update.values ?? null, asNode: update.as_node });
      }
    }
    return c.json(threadJson(body.supersteps ? await core.threads.get(thread.threadId, c.var.auth.owner) : thread));
  });

  api.post("/threads/search", async (c) => {
    const body = given(await jsonBody(c, ThreadSearch));
    const filters = await c.var.auth.authorize("threads:search", { ...body });
    const metadata = filtersAsContainment(filters, body.metadata);
    const limit = body.limit ?? 10;
    const offset = body.offset ?? 0;
    const found = metadata === null ? [] : await core.threads.search(
      {
        ...(Object.keys(metadata).length ? { metadata } : {}),
        ...(body.values ? { values: body.values } : {}),
        ...(body.status ? { status: body.status } : {}),
        ...(body.ids ? { ids: body.ids } : {}),
        sortBy: body.sort_by === "state_updated_at" ? "updated_at" : (body.sort_by ?? "created_at"),
        ...(body.sort_order ? { sortOrder: body.sort_order } : {}),
        limit,
        offset,
      },
      c.var.auth.owner,
    );
    paginate(c, offset, limit, found.length);
    return c.json(selected(found.map(threadJson), body.select));
  });

  api.post("/threads/count", async (c) => {
    const body = given(await jsonBody(c, ThreadCount));
    const filters = await c.var.auth.authorize("threads:search", { ...body });
    const metadata = filtersAsContainment(filters, body.metadata);
    if (metadata === null) return c.json(0);
    return c.json(
      await core.threads.count(
        { ...(Object.keys(metadata).length ? { metadata } : {}), ...(body.values ? { values: body.values } : {}), ...(body.status ? { status: body.status } : {}) },
        c.var.auth.owner,
      ),
    );
  });

  api.post("/threads/prune", async (c) => {
    const body = given(await jsonBody(c, ThreadPrune));
    let pruned = 0;
    for (const id of body.thread_ids) {
      const thread = await allowed(c, "delete", id).catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
      if (!thread) continue;
      try {
        if (body.strategy === "keep_latest") await core.threads.prune(thread.threadId, c.var.auth.owner);
        else await core.threads.delete(thread.threadId, c.var.auth.owner);
        pruned++;
      } catch (err) {
        // A thread with a run in progress is left as it is, one deleted meanwhile
        // is gone already, and the rest are still pruned.
        if (!(err instanceof ConflictError) && !(err instanceof NotFoundError)) throw err;
      }
    }
    return c.json({ pruned_count: pruned });
  });

  api.get("/threads/:thread_id", async (c) => c.json(threadJson(await allowed(c))));

  api.patch("/threads/:thread_id", async (c) => {
    const thread = await allowed(c, "update");
    const body = given(await jsonBody(c, ThreadPatch));
    const updated = await core.threads.update(
      thread.threadId,
      { ...(body.metadata ? { metadata: body.metadata } : {}), ...(body.ttl ? { ttl: ttlOf(body.ttl) } : {}) },
      c.var.auth.owner,
    );
    if (c.req.header("prefer") === "return=minimal") return c.body(null, 204);
    return c.json(threadJson(updated));
  });

  api.delete("/threads/:thread_id", async (c) => {
    const thread = await allowed(c, "delete");
    await core.threads.delete(thread.threadId, c.var.auth.owner);
    return c.body(null, 204);
  });

  api.post("/threads/:thread_id/copy", async (c) => {
    const thread = await allowed(c);
    await c.var.auth.authorize("threads:create", { thread_id: null, metadata: { ...thread.metadata } });
    return c.json(threadJson(await core.threads.copy(thread.threadId, c.var.auth.owner)));
  });

  const StateQuery = z.object({ subgraphs: QueryBoolean.optional(), select: z.union([z.string(), z.array(z.string())]).optional() }).strict();

  api.get("/threads/:thread_id/state", async (c) => {
    const thread = await allowed(c);
    const query = given(queryOf(c, StateQuery));
    const view = await core.threads.state(thread.threadId, c.var.auth.owner, { subgraphs: query.subgraphs === true });
    return c.json(selectState(view, c.req.queries("select")));
  });

  api.post("/threads/:thread_id/state", async (c) => {
    const thread = await allowed(c, "update");
    const body = given(await jsonBody(c, StateUpdate));
    if (body.checkpoint?.checkpoint_ns) throw new ApiError(422, "updating a subgraph's state (checkpoint.checkpoint_ns) is not supported");
    const checkpointId = body.checkpoint_id ?? body.checkpoint?.checkpoint_id ?? undefined;
    const { checkpoint } = await core.threads.updateState(thread.threadId, c.var.auth.owner, {
      values: body.values ?? null,
      ...(body.as_node ? { asNode: body.as_node } : {}),
      ...(checkpointId ? { checkpointId } : {}),
    });
    return c.json({ checkpoint: checkpoint ? { thread_id: checkpoint.threadId, checkpoint_ns: checkpoint.checkpointNs, checkpoint_id: checkpoint.checkpointId, checkpoint_map: null } : null });
  });

  api.patch("/threads/:thread_id/state", () => {
    throw new ApiError(501, "patching the metadata of a thread's checkpoint is not supported; update the thread's metadata (PATCH /threads/{thread_id}) instead");
  });

  api.post("/threads/:thread_id/state/checkpoint", async (c) => {
    const thread = await allowed(c);
    const body = given(await jsonBody(c, StateAtCheckpoint));
    if (body.checkpoint.checkpoint_ns) throw new ApiError(422, "reading a subgraph's state by checkpoint.checkpoint_ns is not supported; ask for the parent's state with subgraphs=true");
    const id = body.checkpoint.checkpoint_id ?? undefined;
    const view = await core.threads.state(thread.threadId, c.var.auth.owner, { ...(id ? { checkpointId: id } : {}), subgraphs: body.subgraphs === true });
    return c.json(selectState(view, body.select));
  });

  api.get("/threads/:thread_id/state/:checkpoint_id", async (c) => {
    const thread = await allowed(c);
    const query = given(queryOf(c, StateQuery));
    const view = await core.threads.state(thread.threadId, c.var.auth.owner, { checkpointId: c.req.param("checkpoint_id"), subgraphs: query.subgraphs === true });
    return c.json(selectState(view, c.req.queries("select")));
  });

  api.get("/threads/:thread_id/history", async (c) => {
    const thread = await allowed(c);
    const query = given(queryOf(c, z.object({ limit: QueryInt.optional(), before: z.string().min(1).optional() }).strict()));
    const states = await core.threads.history(thread.threadId, c.var.auth.owner, { ...(query.limit ? { limit: query.limit } : {}), ...(query.before ? { before: query.before } : {}) });
    return c.json(states.map(stateJson));
  });

  api.post("/threads/:thread_id/history", async (c) => {
    const thread = await allowed(c);
    const body = given(await jsonBody(c, HistoryRequest));
    if (body.checkpoint?.checkpoint_ns) throw new ApiError(422, "the history of a subgraph (checkpoint.checkpoint_ns) is not supported");
    const before = typeof body.before === "string" ? body.before : body.before?.configurable.checkpoint_id;
    const from = body.checkpoint?.checkpoint_id ?? undefined;
    const states = await core.threads.history(thread.threadId, c.var.auth.owner, {
      ...(body.limit ? { limit: body.limit } : {}),
      ...(before ? { before } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
      ...(from ? { checkpointId: from } : {}),
    });
    return c.json(states.map((s) => selectState(s, body.select)));
  });

  return api;
}

/** LangGraph's TTL (minutes since the thread was last used, then deleted) as the core's. */
function ttlOf(ttl: z.output<typeof Ttl>): ThreadTtlOption {
  const minutes = typeof ttl === "number" ? ttl : ttl.ttl;
  return { strategy: "sliding", ttlMs: Math.max(1, Math.round(minutes * 60_000)) };
}

/** The state, with only the selected fields (`values.<key>` picks one key of the values) when a selection is given. */
function selectState(view: ThreadStateView, select: string[] | undefined): Record<string, unknown> {
  const state = stateJson(view);
  if (!select?.length) return state;
  const out: Record<string, unknown> = {};
  for (const field of select) {
    if (field.startsWith("values.")) {
      const key = field.slice("values.".length);
      out.values = { ...(out.values as object), ...(key in view.values ? { [key]: view.values[key] } : {}) };
    } else if (field in state) {
      out[field] = state[field];
    } else {
      throw new ApiError(422, `cannot select "${field}"; fields: ${Object.keys(state).join(", ")}, values.<key>`);
    }
  }
  return out;
}
