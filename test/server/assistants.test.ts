import { expect, it } from "vitest";
import { systemAssistantId } from "../../src/assistants/service.js";
import { describeBackends } from "../helpers/db.js";
import { serverPerTest } from "./helpers.js";

describeBackends("server: assistants through the SDK", (db) => {
  const start = serverPerTest(db);

  it("lists the system assistants Studio asks for, by their LangGraph ids, and accepts a graph id for one", async () => {
    const s = await start();
    const found = await s.client.assistants.search({ metadata: { created_by: "system" }, limit: 100 });
    expect(found.map((a) => a.graph_id).sort()).toEqual(["asking", "banking", "chat", "nested", "paced", "paused", "slow"]);
    const chat = found.find((a) => a.graph_id === "chat")!;
    expect(chat.assistant_id).toBe(systemAssistantId("chat"));
    expect((await s.client.assistants.get("chat")).assistant_id).toBe(chat.assistant_id);
    expect(await s.client.assistants.count({ graphId: "chat" })).toBe(1);
  });

  it("creates, versions, re-points and deletes an assistant", async () => {
    const s = await start();
    const a = await s.client.assistants.create({ graphId: "paced", name: "fast", config: { configurable: { pace_ms: 1 } }, metadata: { team: "x" } });
    expect(a).toMatchObject({ graph_id: "paced", name: "fast", version: 1, metadata: { team: "x" } });
    await expect(s.client.assistants.create({ graphId: "paced", assistantId: a.assistant_id, ifExists: "raise" })).rejects.toThrow(/409/);
    expect((await s.client.assistants.create({ graphId: "paced", assistantId: a.assistant_id, ifExists: "do_nothing" })).name).toBe("fast");
    const v2 = await s.client.assistants.update(a.assistant_id, { name: "faster", metadata: { owner: "ada" } });
    expect(v2).toMatchObject({ version: 2, name: "faster", metadata: { team: "x", owner: "ada" } });
    expect((await s.client.assistants.getVersions(a.assistant_id)).map((v) => v.version).sort()).toEqual([1, 2]);
    expect((await s.client.assistants.setLatest(a.assistant_id, 1)).name).toBe("fast");
    expect((await s.client.assistants.search({ metadata: { team: "x" } })).map((x) => x.assistant_id)).toEqual([a.assistant_id]);
    // A run of it takes its config.
    const thread = await s.client.threads.create();
    const out = (await s.client.runs.wait(thread.thread_id, a.assistant_id, { input: { label: "a" } })) as { log: string[] };
    expect(out.log).toHaveLength(6);
    await s.client.assistants.delete(a.assistant_id);
    await expect(s.client.assistants.get(a.assistant_id)).rejects.toThrow(/404/);
  });

  it("describes the graph: nodes and edges, schemas, subgraphs", async () => {
    const s = await start();
    const graph = await s.client.assistants.getGraph("nested");
    expect(graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(["prepare", "writer", "finish"]));
    const xray = await s.client.assistants.getGraph("nested", { xray: true });
    expect(xray.nodes.map((n) => String(n.id))).toEqual(expect.arrayContaining(["writer:draft", "writer:review"]));
    const schemas = await s.client.assistants.getSchemas("chat");
    expect(schemas.graph_id).toBe("chat");
    expect(Object.keys((schemas.state_schema as { properties: object }).properties)).toEqual(["messages"]);
    expect(Object.keys((schemas.input_schema as { properties: object }).properties)).toEqual(["messages"]);
    const subgraphs = await s.client.assistants.getSubgraphs("nested", { recurse: true });
    expect(Object.keys(subgraphs)).toEqual(["writer"]);
    expect(Object.keys((subgraphs.writer!.state_schema as { properties: object }).properties).sort()).toEqual(["notes", "topic"]);
    expect(await s.client.assistants.getSubgraphs("nested", { namespace: "nope" })).toEqual({});
  });

  it("answers bad requests with JSON errors and the right status", async () => {
    const s = await start();
    const post = (path: string, body: string, type = "application/json") => fetch(s.url + path, { method: "POST", body, headers: { "content-type": type } });
    const malformed = await post("/assistants", "{nope");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/not valid JSON/);
    const missing = await post("/assistants", JSON.stringify({ name: "x" }));
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { message: string }).message).toMatch(/graph_id/);
    expect((await post("/assistants", JSON.stringify({ graph_id: "nope" }))).status).toBe(404);
    expect((await post("/assistants", JSON.stringify({ graph_id: "chat", color: "red" }))).status).toBe(422);
    expect((await fetch(s.url + "/assistants/not-a-uuid")).status).toBe(404);
    // Studio sends JSON as text/plain.
    const plain = await post("/assistants/search", JSON.stringify({ graph_id: "chat" }), "text/plain;charset=UTF-8");
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { graph_id: string }[])[0]!.graph_id).toBe("chat");
    const cors = await fetch(s.url + "/assistants/search", { method: "OPTIONS", headers: { origin: "https://smith.langchain.com", "access-control-request-method": "POST" } });
    expect(cors.headers.get("access-control-allow-origin")).toBe("*");
    expect((await fetch(s.url + "/nowhere")).status).toBe(404);
  });
});
