import { z } from "zod";
import { AssistantCount, AssistantCreate, AssistantLatest, AssistantPatch, AssistantSearch, AssistantVersions } from "./schemas/assistants.js";
import { BulkCancel, RunBatch, RunCreate } from "./schemas/runs.js";
import { StoreDelete, StoreNamespaces, StorePut, StoreSearch } from "./schemas/store.js";
import { HistoryRequest, StateAtCheckpoint, StateUpdate, ThreadCount, ThreadCreate, ThreadPatch, ThreadPrune, ThreadSearch } from "./schemas/threads.js";

type Route = [method: string, path: string, summary: string, body?: z.ZodType];

/** Every route the server answers, with the schema its body must pass. */
const ROUTES: Route[] = [
  ["get", "/ok", "Health check"],
  ["get", "/info", "Server version and capabilities"],
  ["post", "/assistants", "Create an assistant", AssistantCreate],
  ["post", "/assistants/search", "Search assistants", AssistantSearch],
  ["post", "/assistants/count", "Count assistants", AssistantCount],
  ["get", "/assistants/{assistant_id}", "Get an assistant (an assistant id or a graph id)"],
  ["patch", "/assistants/{assistant_id}", "Update an assistant (a new version)", AssistantPatch],
  ["delete", "/assistants/{assistant_id}", "Delete an assistant (?delete_threads=true deletes its threads)"],
  ["post", "/assistants/{assistant_id}/versions", "List an assistant's versions", AssistantVersions],
  ["post", "/assistants/{assistant_id}/latest", "Make a version the latest", AssistantLatest],
  ["get", "/assistants/{assistant_id}/graph", "The graph's nodes and edges (?xray)"],
  ["get", "/assistants/{assistant_id}/schemas", "The graph's input, output, state, config and context schemas"],
  ["get", "/assistants/{assistant_id}/subgraphs", "The graph's subgraphs (?recurse)"],
  ["get", "/assistants/{assistant_id}/subgraphs/{namespace}", "The subgraphs under a namespace (?recurse)"],
  ["post", "/threads", "Create a thread", ThreadCreate],
  ["post", "/threads/search", "Search threads", ThreadSearch],
  ["post", "/threads/count", "Count threads", ThreadCount],
  ["post", "/threads/prune", "Delete threads, or keep only their latest checkpoint", ThreadPrune],
  ["get", "/threads/{thread_id}", "Get a thread"],
  ["patch", "/threads/{thread_id}", "Update a thread's metadata or TTL", ThreadPatch],
  ["delete", "/threads/{thread_id}", "Delete a thread with its checkpoints, runs, events and memory"],
  ["post", "/threads/{thread_id}/copy", "Copy a thread"],
  ["get", "/threads/{thread_id}/state", "The thread's state (?subgraphs)"],
  ["post", "/threads/{thread_id}/state", "Write state as a new checkpoint (as_node)", StateUpdate],
  ["get", "/threads/{thread_id}/state/{checkpoint_id}", "The state at a checkpoint"],
  ["post", "/threads/{thread_id}/state/checkpoint", "The state at a checkpoint", StateAtCheckpoint],
  ["get", "/threads/{thread_id}/history", "Checkpoints newest first (?limit, ?before)"],
  ["post", "/threads/{thread_id}/history", "Checkpoints newest first", HistoryRequest],
  ["post", "/threads/{thread_id}/runs", "Create a run in the background", RunCreate],
  ["post", "/threads/{thread_id}/runs/stream", "Create a run and stream it (SSE)", RunCreate],
  ["post", "/threads/{thread_id}/runs/wait", "Create a run and wait for its output", RunCreate],
  ["get", "/threads/{thread_id}/runs", "List a thread's runs"],
  ["get", "/threads/{thread_id}/runs/{run_id}", "Get a run"],
  ["delete", "/threads/{thread_id}/runs/{run_id}", "Delete a run that is not running"],
  ["get", "/threads/{thread_id}/runs/{run_id}/join", "Wait for a run and get its output"],
  ["get", "/threads/{thread_id}/runs/{run_id}/stream", "Stream a run's events (SSE; Last-Event-ID resumes)"],
  ["post", "/threads/{thread_id}/runs/{run_id}/cancel", "Cancel a run (?action=interrupt|rollback, ?wait)"],
  ["post", "/runs", "Create a stateless run", RunCreate],
  ["post", "/runs/stream", "Create a stateless run and stream it", RunCreate],
  ["post", "/runs/wait", "Create a stateless run and wait for its output", RunCreate],
  ["post", "/runs/batch", "Create stateless runs", RunBatch],
  ["post", "/runs/cancel", "Cancel runs", BulkCancel],
  ["get", "/runs/{run_id}/stream", "Stream a run's events"],
  ["put", "/store/items", "Put an item", StorePut],
  ["get", "/store/items", "Get an item (?namespace=a.b&key=k)"],
  ["delete", "/store/items", "Delete an item", StoreDelete],
  ["post", "/store/items/search", "Search items", StoreSearch],
  ["post", "/store/namespaces", "List namespaces", StoreNamespaces],
];

/** The OpenAPI 3.1 document of the server, its request bodies from the zod schemas the routes check. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary, body] of ROUTES) {
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    (paths[path] ??= {})[method] = {
      summary,
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(body, { unrepresentable: "any", io: "input" }) } } } } : {}),
      responses: { 200: { description: "OK" }, 404: { description: "Unknown id" }, 409: { description: "Conflict" }, 422: { description: "Invalid request" } },
    };
  }
  return { openapi: "3.1.0", info: { title: "Threadline: the LangGraph API on Postgres", version }, paths };
}
