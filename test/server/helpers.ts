import { resolve } from "node:path";
import { afterEach } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { openCore, type Core } from "../../src/core.js";
import { loadProject } from "../../src/graph/project.js";
import { startServer, type RunningServer, type ServeOptions } from "../../src/server/serve.js";
import type { TestDatabase } from "../helpers/db.js";
import { ScriptedChatModel, type Script } from "../helpers/scripted-model.js";

export const project = await loadProject(resolve(import.meta.dirname, "../fixtures/server/langgraph.json"));

export interface TestServer {
  url: string;
  client: Client;
  core: Core;
  model: ScriptedChatModel;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * The server on port 0 over a core on the test's database, with the
 * fixture graphs and a scripted chat model (by default it answers
 * "hello from the model" word by word).
 */
export async function startTestServer(db: TestDatabase, options: { script?: Script } & Partial<Omit<ServeOptions, "core" | "port">> = {}): Promise<TestServer> {
  const model = new ScriptedChatModel(options.script ?? (() => "hello from the model"));
  const core = await openCore({ db, project, chatModel: model });
  const errors: unknown[] = [];
  const server = await startServer({ core, port: 0, log: (err) => errors.push(err), ...options });
  // No retries: a test must see the first answer, and an unexpected 5xx fails it at once.
  const client = new Client({ apiUrl: server.url, callerOptions: { maxRetries: 0 } });
  return {
    url: server.url,
    client,
    core,
    model,
    server,
    async close() {
      await server.close({ graceMs: 0 });
      if (errors.length) throw new AggregateError(errors, `the server logged ${errors.length} unexpected error(s): ${errors.map((e) => (e as Error)?.message ?? String(e)).join("; ")}`);
    },
  };
}

/** Collects a stream's events (event name and data). */
export async function collect(stream: AsyncIterable<any>) {
  const events: { event: string; data: any; id?: string }[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

/**
 * Registers a server per test, closed after it: call the returned function
 * inside a test to start it.
 */
export function serverPerTest(db: () => TestDatabase): (options?: Parameters<typeof startTestServer>[1]) => Promise<TestServer> {
  let current: TestServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await startTestServer(db(), options));
}
