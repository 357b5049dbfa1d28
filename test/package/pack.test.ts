import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/.bin/tsc");
const exec = promisify(execFile);

// A user's processes know nothing of the development export condition: with
// it, "threadline" would resolve to sources the tarball does not ship.
const USER_ENV = { ...process.env, NODE_OPTIONS: "", THREADLINE_DATA_DIR: "memory://", DATABASE_URL: "" };

function run(command: string, args: string[], cwd: string) {
  return exec(command, args, { cwd, env: USER_ENV, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The package as a user gets it: built, packed, installed into an empty
 * project from the tarball, then imported from plain Node, run through its
 * bin on a TypeScript graph, served over HTTP by its bin, and type-checked
 * by a strict consumer.
 */
describe("the packed package, installed", () => {
  const work = mkdtempSync(join(tmpdir(), "threadline-pack-"));
  const app = join(work, "app");
  let files: string[] = [];

  beforeAll(async () => {
    await run("npm", ["run", "build"], ROOT);
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path);
    mkdirSync(join(app, "graphs"), { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    for (const [name, text] of Object.entries(APP_FILES)) writeFileSync(join(app, name), text);
    // The dependencies are mostly in npm's cache already (this repository installed them).
    await run("npm", ["install", join(work, packed!.filename), "--no-audit", "--no-fund", "--prefer-offline"], app);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("holds compiled JavaScript with declarations, and no sources, tests or data", () => {
    expect(files.filter((f) => !f.startsWith("dist/")).sort()).toEqual(["README.md", "package.json"]);
    expect(files).toEqual(expect.arrayContaining(["dist/src/index.js", "dist/src/index.d.ts", "dist/checkpoints/index.d.ts", "dist/src/bin/threadline.js"]));
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => /^dist\/(test|graphs)\//.test(f))).toEqual([]);
  });

  it("imports from plain Node ESM", async () => {
    const { stdout } = await run(process.execPath, ["app.mjs"], app);
    expect(JSON.parse(stdout)).toEqual({ saver: true, reply: "echo: hi", migrations: 5, agent: "function", tools: "function" });
  });

  it("runs its bin on a project's TypeScript graph", async () => {
    const { stdout } = await run(join(app, "node_modules/.bin/threadline"), ["run", "echo", "--thread", "t1", "--input", '{"message":"hello"}', "--json"], app);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toMatchObject({ status: "complete", values: { reply: "echo: hello", notes: 1 } });
  });

  it("serves the project's graphs over the LangGraph API from its bin, and stops on SIGTERM", async () => {
    const child = spawn(join(app, "node_modules/.bin/threadline"), ["serve", "--port", "0"], { cwd: app, env: USER_ENV });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = setInterval(() => {
          const found = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (found) (clearInterval(check), resolve(found[1]!));
        }, 50);
        void exited.then(() => (clearInterval(check), reject(new Error(`serve exited: ${output}`))));
      });
      const reply = await fetch(`${url}/runs/wait`, { method: "POST", body: JSON.stringify({ assistant_id: "echo", input: { message: "hi" } }) });
      expect(await reply.json(), output).toMatchObject({ reply: "echo: hi" });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("type-checks in a strict consumer (strict, exactOptionalPropertyTypes, declarations checked)", async () => {
    const result = await run(TSC, ["-p", "."], app).catch((err: { stdout: string }) => err);
    // Other packages' declarations do not all pass exactOptionalPropertyTypes; ours and the consumer's must.
    const ours = result.stdout.split("\n").filter((line) => /^(node_modules\/threadline\/|consumer\.ts|graphs\/|tsconfig\.json|error)/.test(line));
    expect(ours).toEqual([]);
  });
});

const APP_FILES: Record<string, string> = {
  "app.mjs": `
import { HumanMessage } from "@langchain/core/messages";
import { MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgentGraph, createCheckpointer, openDatabase } from "threadline";
import { ThreadlineSaver, checkpointMigrations } from "threadline/checkpoints";
import { createMemoryTools } from "threadline/tools";

const db = await openDatabase({ dataDir: "memory://" });
const saver = await createCheckpointer(db);
const graph = new StateGraph(MessagesAnnotation)
  .addNode("echo", (s) => ({ messages: [{ role: "ai", content: "echo: " + s.messages.at(-1).content }] }))
  .addEdge(START, "echo")
  .compile({ checkpointer: saver });
await graph.invoke({ messages: [new HumanMessage("hi")] }, { configurable: { thread_id: "t1" }, durability: "sync" });
const tuple = await new ThreadlineSaver(db).getTuple({ configurable: { thread_id: "t1" } });
console.log(JSON.stringify({
  saver: saver instanceof ThreadlineSaver,
  reply: tuple.checkpoint.channel_values.messages.at(-1).content,
  migrations: checkpointMigrations.migrations.length,
  agent: typeof createAgentGraph,
  tools: typeof createMemoryTools,
}));
await db.close();
`,
  "langgraph.json": JSON.stringify({ graphs: { echo: "./graphs/echo.ts:graph" } }),
  "graphs/echo.ts": `
import { Annotation, START, StateGraph } from "@langchain/langgraph";
import { databaseOf, type MigrationSet } from "threadline";

const State = Annotation.Root({ message: Annotation<string>, reply: Annotation<string>, notes: Annotation<number> });

export const migrations: MigrationSet = { component: "echo", migrations: [{ name: "notes", up: "CREATE TABLE echo_notes (body text)" }] };

export const graph = new StateGraph(State)
  .addNode("echo", async (state: typeof State.State, config) => {
    const { pool } = databaseOf(config);
    await pool.query("INSERT INTO echo_notes VALUES ($1)", [state.message]);
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM echo_notes");
    return { reply: "echo: " + state.message, notes: rows[0]!.n };
  })
  .addEdge(START, "echo")
  .compile();
`,
  "consumer.ts": `
import { createAgentGraph, createCheckpointer, openDatabase, type Database, type MigrationSet } from "threadline";
import { AgentState } from "threadline/agent";
import { CorruptCheckpointError, ThreadlineSaver, type ThreadlineSaverOptions } from "threadline/checkpoints";
import { createMemory } from "threadline/memory";
import { createMemoryTools } from "threadline/tools";
import { assembleContext } from "threadline/window";

const db: Database = await openDatabase({ dataDir: "memory://" });
const options: ThreadlineSaverOptions = { pageSize: 50, synchronousCommit: true };
const saver: ThreadlineSaver = await createCheckpointer(db, options);
export const graph = createAgentGraph({ basePrompt: "You are Sam." }).compile({ checkpointer: saver });
export const migrations: MigrationSet = { component: "app", migrations: [{ name: "notes", up: "SELECT 1" }] };
export { AgentState, CorruptCheckpointError, assembleContext, createMemory, createMemoryTools };
await saver.flush();
`,
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    files: ["consumer.ts", "graphs/echo.ts"],
  }),
};
