import { resolve } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { expect, it } from "vitest";
import { openCore } from "../../src/core.js";
import { loadProject } from "../../src/graph/project.js";
import { ownerOf } from "../../src/owners.js";
import { startServer } from "../../src/server/serve.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";

const project = await loadProject(resolve(import.meta.dirname, "../../langgraph.json"));

async function serve(db: TestDatabase, anonymousRunsNameUser: boolean) {
  const core = await openCore({ db, project, chatModel: new ScriptedChatModel(() => "Hello!"), anonymousRunsNameUser });
  const server = await startServer({ core, port: 0 });
  return { core, server, client: new Client({ apiUrl: server.url, callerOptions: { maxRetries: 0 } }) };
}

const scopes = async (db: TestDatabase) =>
  (await db.pool.query<{ user_id: string }>("SELECT DISTINCT user_id FROM memory_messages ORDER BY 1")).rows.map((r) => r.user_id);

describeBackends("server: the user an agent run acts for", (db) => {
  it("without authentication, a run names its user in configurable.user_id, as on LangGraph's server", async () => {
    const { server, client } = await serve(db(), true);
    try {
      const thread = await client.threads.create();
      const out = (await client.runs.wait(thread.thread_id, "agent", {
        input: { messages: [{ role: "user", content: "Hi, I am Ada" }] },
        config: { configurable: { user_id: "ada" } },
      })) as { messages: { content: string }[] };
      expect(out.messages.map((m) => m.content)).toEqual(["Hi, I am Ada", "Hello!"]);
      expect(await scopes(db())).toEqual(["ada"]);
      await expect(
        client.runs.wait(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "x" }] }, config: { configurable: { user_id: "no spaces allowed" } } }),
      ).rejects.toThrow(/422/);
      await expect(client.runs.wait(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "x" }] } })).rejects.toThrow(/422/);
    } finally {
      await server.close({ graceMs: 0 });
    }
  });

  it("is never taken from the request when the server does not allow it, nor over an owner's identity", async () => {
    const { core, server, client } = await serve(db(), false);
    try {
      const thread = await client.threads.create();
      await expect(
        client.runs.wait(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "x" }] }, config: { configurable: { user_id: "ada" } } }),
      ).rejects.toThrow(/422.*user_id/s);
      const bob = ownerOf("bob");
      await core.threads.create({ threadId: "b1" }, bob);
      const run = await core.runs.create(
        { threadId: "b1", assistantId: "agent", request: { input: { messages: [{ role: "user", content: "hi" }] }, config: { configurable: { user_id: "ada" } } } },
        bob,
      );
      await core.runs.execute(run.runId);
      expect(await scopes(db())).toEqual(["bob"]);
    } finally {
      await server.close({ graceMs: 0 });
    }
  });
});
