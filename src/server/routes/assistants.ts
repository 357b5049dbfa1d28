import type { Context } from "hono";
import { z } from "zod";
import type { Assistant } from "../../assistants/service.js";
import type { Core } from "../../core.js";
import { NotFoundError } from "../../errors.js";
import { describeSubgraphs, drawGraph, graphSchemas } from "../../graph/describe.js";
import { paginate, router, type ApiEnv } from "../api.js";
import { filtersAsContainment, meetsFilters } from "../auth.js";
import { jsonBody, queryOf } from "../input.js";
import { AssistantCount, AssistantCreate, AssistantLatest, AssistantPatch, AssistantSearch, AssistantVersions } from "../schemas/assistants.js";
import { QueryBoolean, QueryInt, given, selected } from "../schemas/common.js";
import { assistantJson } from "../wire.js";

/** /assistants: the project's graphs with their configuration, versioned. */
export function assistantRoutes(core: Core) {
  const api = router();

  /** The assistant the path names, if the request may read it. */
  async function readable(c: Context<ApiEnv>, action: "read" | "update" | "delete" = "read"): Promise<Assistant> {
    const id = c.req.param("assistant_id")!;
    const assistant = await core.assistants.get(id, c.var.auth.owner);
    const filters = await c.var.auth.authorize(`assistants:${action}`, { assistant_id: assistant.assistantId, metadata: assistant.metadata });
    if (!meetsFilters(assistant.metadata, filters)) throw new NotFoundError(`unknown assistant "${id}"`);
    return assistant;
  }

  async function graphOf(assistant: Assistant) {
    const loaded = await core.project.load(assistant.graphId);
    const graph = await loaded.instantiate({ configurable: { ...(assistant.config.configurable as object) } }, { checkpointer: core.checkpointer, store: core.store });
    return { loaded, graph };
  }

  api.post("/assistants", async (c) => {
    const body = given(await jsonBody(c, AssistantCreate));
    const value = { ...body, metadata: { ...body.metadata } };
    await c.var.auth.authorize("assistants:create", value);
    const assistant = await core.assistants.create(
      {
        graphId: value.graph_id,
        ...(value.assistant_id ? { assistantId: value.assistant_id } : {}),
        ...(value.name ? { name: value.name } : {}),
        ...(value.description !== undefined ? { description: value.description } : {}),
        config: given(value.config ?? {}),
        context: value.context ?? {},
        metadata: value.metadata,
        ...(value.if_exists ? { ifExists: value.if_exists } : {}),
      },
      c.var.auth.owner,
    );
    return c.json(assistantJson(assistant));
  });

  api.post("/assistants/search", async (c) => {
    const body = given(await jsonBody(c, AssistantSearch));
    const filters = await c.var.auth.authorize("assistants:search", { ...body });
    const metadata = filtersAsContainment(filters, body.metadata);
    const limit = body.limit ?? 10;
    const offset = body.offset ?? 0;
    const found = metadata === null ? [] : await core.assistants.search(
      {
        ...(body.graph_id ? { graphId: body.graph_id } : {}),
        ...(Object.keys(metadata).length ? { metadata } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.sort_by ? { sortBy: body.sort_by } : {}),
        ...(body.sort_order ? { sortOrder: body.sort_order } : {}),
        limit,
        offset,
      },
      c.var.auth.owner,
    );
    paginate(c, offset, limit, found.length);
    return c.json(selected(found.map(assistantJson), body.select));
  });

  api.post("/assistants/count", async (c) => {
    const body = given(await jsonBody(c, AssistantCount));
    const filters = await c.var.auth.authorize("assistants:search", { ...body });
    const metadata = filtersAsContainment(filters, body.metadata);
    if (metadata === null) return c.json(0);
    const n = await core.assistants.count(
      { ...(body.graph_id ? { graphId: body.graph_id } : {}), ...(Object.keys(metadata).length ? { metadata } : {}), ...(body.name ? { name: body.name } : {}) },
      c.var.auth.owner,
    );
    return c.json(n);
  });

  api.get("/assistants/:assistant_id", async (c) => c.json(assistantJson(await readable(c))));

  api.patch("/assistants/:assistant_id", async (c) => {
    const assistant = await readable(c, "update");
    const body = given(await jsonBody(c, AssistantPatch));
    const updated = await core.assistants.update(
      assistant.assistantId,
      {
        ...(body.graph_id ? { graphId: body.graph_id } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.config ? { config: given(body.config) } : {}),
        ...(body.context ? { context: body.context } : {}),
        ...(body.metadata ? { metadata: body.metadata } : {}),
      },
      c.var.auth.owner,
    );
    return c.json(assistantJson(updated));
  });

  api.delete("/assistants/:assistant_id", async (c) => {
    const assistant = await readable(c, "delete");
    const { delete_threads } = given(queryOf(c, z.object({ delete_threads: QueryBoolean.optional() })));
    if (delete_threads) {
      for (;;) {
        const threads = await core.threads.search({ metadata: { assistant_id: assistant.assistantId }, limit: 100 }, c.var.auth.owner);
        if (!threads.length) break;
        for (const thread of threads) await core.threads.delete(thread.threadId, c.var.auth.owner);
      }
    }
    await core.assistants.delete(assistant.assistantId, c.var.auth.owner);
    return c.json([assistant.assistantId]);
  });

  api.post("/assistants/:assistant_id/versions", async (c) => {
    const assistant = await readable(c);
    const body = given(await jsonBody(c, AssistantVersions));
    const versions = await core.assistants.versions(assistant.assistantId, body, c.var.auth.owner);
    return c.json(versions.map(assistantJson));
  });

  api.post("/assistants/:assistant_id/latest", async (c) => {
    const assistant = await readable(c, "update");
    const { version } = await jsonBody(c, AssistantLatest);
    return c.json(assistantJson(await core.assistants.setLatest(assistant.assistantId, version, c.var.auth.owner)));
  });

  api.get("/assistants/:assistant_id/graph", async (c) => {
    const { xray } = given(queryOf(c, z.object({ xray: z.string().optional() })));
    const depth = xray === undefined ? undefined : /^\d+$/.test(xray) ? Number(xray) : ["true", "1", "yes"].includes(xray.toLowerCase());
    const { graph } = await graphOf(await readable(c));
    return c.json(await drawGraph(graph, depth === 0 ? false : depth));
  });

  api.get("/assistants/:assistant_id/schemas", async (c) => {
    const assistant = await readable(c);
    const { loaded, graph } = await graphOf(assistant);
    return c.json({ graph_id: assistant.graphId, ...graphSchemas(graph, loaded.configSchema) });
  });

  const subgraphs = async (c: Context<ApiEnv>) => {
    const { recurse } = given(queryOf(c, z.object({ recurse: QueryBoolean.optional() })));
    const namespace = c.req.param("namespace");
    const { graph } = await graphOf(await readable(c));
    return c.json(await describeSubgraphs(graph, { ...(namespace ? { namespace } : {}), recurse: recurse === true }));
  };
  api.get("/assistants/:assistant_id/subgraphs", subgraphs);
  api.get("/assistants/:assistant_id/subgraphs/:namespace", subgraphs);

  void QueryInt;
  return api;
}
