import type { Item } from "@langchain/langgraph-checkpoint";
import type { Core } from "../../core.js";
import { router } from "../api.js";
import { meetsFilters, type AuthFilters } from "../auth.js";
import { ApiError } from "../errors.js";
import { jsonBody, queryOf } from "../input.js";
import { given } from "../schemas/common.js";
import { StoreDelete, StoreGet, StoreNamespaces, StorePut, StoreSearch } from "../schemas/store.js";
import { iso } from "../wire.js";

/** /store: LangGraph's long-term store, the same one graphs get as `config.store`. */
export function storeRoutes(core: Core) {
  const api = router();

  api.put("/store/items", async (c) => {
    const body = given(await jsonBody(c, StorePut));
    // An auth handler may rewrite the namespace (e.g. put the user first).
    const value = { namespace: [...body.namespace], key: body.key, value: body.value };
    const filters = await c.var.auth.authorize("store:put", value);
    // A handler's filters hold for what is replaced and for what replaces it, as in LangGraph's server.
    if (filters) {
      const existing = await core.store.get(value.namespace, value.key);
      if (existing && !visible(existing, filters)) throw new ApiError(404, `no item "${value.key}" in ${value.namespace.join(".")}`);
      if (!meetsFilters({ ...value.value, namespace: value.namespace, key: value.key }, filters)) throw new ApiError(403, "the item does not meet the auth handler's filters");
    }
    if (Array.isArray(body.index) && !core.store.indexed) {
      throw new ApiError(422, "index is not supported here: the store has no embeddings (langgraph.json's store.index), so it cannot search by meaning");
    }
    const index = body.index ?? undefined;
    if (body.ttl) await core.store.putWithTtl(value.namespace, value.key, value.value, body.ttl, index);
    else await core.store.put(value.namespace, value.key, value.value, index);
    return c.body(null, 204);
  });

  api.get("/store/items", async (c) => {
    const query = given(queryOf(c, StoreGet));
    const value = { namespace: query.namespace ? query.namespace.split(".") : [], key: query.key };
    const filters = await c.var.auth.authorize("store:get", value);
    const item = await core.store.get(value.namespace, value.key);
    if (!item || !visible(item, filters)) return c.json(null);
    // Reading an item starts its TTL again, unless the client says not to.
    if (query.refresh_ttl !== "false") await core.store.refresh([item]);
    return c.json(itemJson(item));
  });

  api.delete("/store/items", async (c) => {
    const body = given(await jsonBody(c, StoreDelete));
    const value = { namespace: [...(body.namespace ?? [])], key: body.key };
    const filters = await c.var.auth.authorize("store:delete", value);
    if (filters) {
      const existing = await core.store.get(value.namespace, value.key);
      if (existing && !visible(existing, filters)) throw new ApiError(404, `no item "${value.key}" in ${value.namespace.join(".")}`);
    }
    await core.store.delete(value.namespace, value.key);
    return c.body(null, 204);
  });

  api.post("/store/items/search", async (c) => {
    const body = given(await jsonBody(c, StoreSearch));
    const value = { namespace: [...body.namespace_prefix], filter: body.filter, limit: body.limit, offset: body.offset, query: body.query };
    const filters = await c.var.auth.authorize("store:search", value);
    const items = await core.store.search(value.namespace, {
      ...(body.filter ? { filter: body.filter } : {}),
      limit: body.limit ?? 10,
      offset: body.offset ?? 0,
      ...(body.query ? { query: body.query } : {}),
    });
    const shown = items.filter((item) => visible(item, filters));
    if (body.refresh_ttl !== false) await core.store.refresh(shown);
    return c.json({ items: shown.map(itemJson) });
  });

  api.post("/store/namespaces", async (c) => {
    const body = given(await jsonBody(c, StoreNamespaces));
    const value = { namespace: body.prefix ?? [], suffix: body.suffix, max_depth: body.max_depth, limit: body.limit, offset: body.offset };
    const filters = await c.var.auth.authorize("store:list_namespaces", value);
    const namespaces = await core.store.listNamespaces({
      ...(value.namespace.length ? { prefix: value.namespace } : {}),
      ...(body.suffix ? { suffix: body.suffix } : {}),
      ...(body.max_depth ? { maxDepth: body.max_depth } : {}),
      limit: body.limit ?? 100,
      offset: body.offset ?? 0,
    });
    return c.json({ namespaces: namespaces.filter((namespace) => meetsFilters({ namespace }, filters)) });
  });

  return api;
}

// Handler filters apply to an item's value, with its namespace and key beside it, as in LangGraph's server.
function visible(item: Item, filters: AuthFilters | undefined): boolean {
  return meetsFilters({ ...item.value, namespace: item.namespace, key: item.key }, filters);
}

function itemJson(item: Item & { score?: number }) {
  return {
    namespace: item.namespace,
    key: item.key,
    value: item.value,
    created_at: iso(item.createdAt),
    updated_at: iso(item.updatedAt),
    ...(item.score !== undefined ? { score: item.score } : {}),
  };
}
