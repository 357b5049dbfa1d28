import { resolve } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterEach, expect, it } from "vitest";
import { readEnvironment } from "../../src/cli/env.js";
import { serveCommand } from "../../src/cli/serve.js";
import type { RunningServer } from "../../src/server/serve.js";
import { BACKENDS, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import { describe } from "vitest";

const PROJECT = resolve(import.meta.dirname, "../fixtures/server/user/langgraph.json");

/**
 * `threadline serve` on a project folder written as a user would: its own
 * langgraph.json and package.json, graphs exported as a promise, an async
 * factory and a zod-state graph, one module that does not compile, a Hono
 * app of its own and an Auth handler.
 */
describe.each(BACKENDS)("serve a user's project folder [%s]", (backend) => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function serve() {
    const schema = uniqueSchema();
    const env = readEnvironment({
      PATH: process.env.PATH,
      ...(backend === "postgres" ? { DATABASE_URL: TEST_DATABASE_URL, THREADLINE_SCHEMA: schema } : { THREADLINE_DATA_DIR: "memory://" }),
    });
    const out: string[] = [];
    const err: string[] = [];
    const shutdown = new AbortController();
    let listening!: (server: RunningServer) => void;
    const ready = new Promise<RunningServer>((r) => (listening = r));
    const done = serveCommand(["--config", PROJECT, "--port", "0", "--grace", "0"], env, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      signal: shutdown.signal,
      onListening: (server) => listening(server),
    });
    const server = await Promise.race([ready, done.then(() => Promise.reject(new Error(`serve ended: ${err.join("\n")}`)))]);
    stop = async () => {
      shutdown.abort();
      await done;
      if (backend === "postgres") {
        const pg = await import("pg");
        const client = new pg.default.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    };
    return { url: server.url, out, err, client: (key?: string) => new Client({ apiUrl: server.url, apiKey: key ?? null, callerOptions: { maxRetries: 0 } }) };
  }

  it("serves the graphs that load, names the one that does not, and prints the Studio link", async () => {
    const s = await serve();
    expect(s.err.join("\n")).toMatch(/graph "broken" is not served: .*broken\.js/);
    expect(s.out.join("\n")).toContain(`https://smith.langchain.com/studio/?baseUrl=${s.url}`);
    const ada = s.client("key-ada");
    const graphs = (await ada.assistants.search({ metadata: { created_by: "system" } })).map((a) => a.graph_id).sort();
    expect(graphs).toEqual(["factory", "promised", "topics"]);

    const t = await ada.threads.create();
    expect(await ada.runs.wait(t.thread_id, "promised", { input: { name: "Ada" } })).toMatchObject({ greeting: "hello Ada" });
    const f = await ada.threads.create();
    expect(await ada.runs.wait(f.thread_id, "factory", { input: { name: "Ada" }, config: { configurable: { tone: "howdy" } } })).toMatchObject({ greeting: "howdy Ada" });
    const z = await ada.threads.create();
    expect(await ada.runs.wait(z.thread_id, "topics", { input: { topic: "owls" } })).toEqual({ topic: "owls", words: ["owls!"] });
    const schemas = await ada.assistants.getSchemas("topics");
    expect(schemas.input_schema).toMatchObject({ type: "object", properties: { topic: { type: "string" }, words: { type: "array" } } });
    await expect(ada.runs.wait(z.thread_id, "topics", { input: { topic: 7 } })).rejects.toThrow(/422|topic/);
  });

  it("mounts the project's Hono app in front of the API, its middleware running for the API too", async () => {
    const s = await serve();
    const hello = await fetch(`${s.url}/custom/hello`, { headers: { "x-api-key": "key-ada" } });
    expect(await hello.json()).toEqual({ hello: "world" });
    const ok = await fetch(`${s.url}/ok`, { headers: { "x-api-key": "key-ada" } });
    expect(ok.headers.get("x-served-by")).toBe("my-agents");
  });

  it("authenticates with the project's Auth handler and keeps each user's threads and store to them", async () => {
    const s = await serve();
    const anonymous = await fetch(`${s.url}/threads/search`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { message: string }).message).toMatch(/x-api-key/);
    const ada = s.client("key-ada");
    const bob = s.client("key-bob");
    const t = await ada.threads.create({ metadata: { topic: "travel" } });
    expect(t.metadata).toMatchObject({ owner: "ada", topic: "travel" });
    await expect(bob.threads.get(t.thread_id)).rejects.toThrow(/404/);
    await expect(bob.runs.wait(t.thread_id, "promised", { input: { name: "Bob" } })).rejects.toThrow(/404/);
    expect(await bob.threads.search()).toEqual([]);
    expect((await ada.threads.search()).map((x) => x.thread_id)).toEqual([t.thread_id]);
    await expect(bob.assistants.create({ graphId: "promised" })).rejects.toThrow(/403/);
    expect((await ada.assistants.create({ graphId: "promised", name: "mine" })).name).toBe("mine");

    await ada.store.putItem(["notes"], "n1", { text: "ada's" });
    await bob.store.putItem(["notes"], "n1", { text: "bob's" });
    expect((await ada.store.getItem(["notes"], "n1"))!.value).toEqual({ text: "ada's" });
    expect((await bob.store.getItem(["notes"], "n1"))!.value).toEqual({ text: "bob's" });
    expect((await ada.store.searchItems(["notes"])).items.map((i) => i.namespace)).toEqual([["ada", "notes"]]);
    // store.index in langgraph.json: search by meaning, with the project's own embedding function.
    await ada.store.putItem(["notes"], "drink", { text: "earl grey tea" });
    await ada.store.putItem(["notes"], "commute", { text: "the railway" });
    const found = await ada.store.searchItems(["notes"], { query: "chai" });
    expect(found.items[0]).toMatchObject({ key: "drink", score: expect.any(Number) });
  });
});
