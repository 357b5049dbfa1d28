/**
 * The two servers the server benchmark drives with the same client code,
 * each in a process of its own: Threadline (or in this process, for the SQL
 * profile), and the stock `langgraphjs dev` (from @langchain/langgraph-cli
 * 1.5.1, installed on demand outside the repo). Both serve the very same
 * graph module, written to a temp project folder.
 */
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openCore, type Core } from "../../src/core.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { loadProject } from "../../src/graph/project.js";
import { startServer, type RunningServer } from "../../src/server/serve.js";

/** Never 2.x: 2.0.0 wants SDK 2, and the repo's client is SDK 1. */
export const STOCK_CLI_VERSION = "1.5.1";
export const GRAPH_ID = "bench";

const REPO = resolve(import.meta.dirname, "../..");
export const BENCH_TMP = join(tmpdir(), "threadline-bench");

export interface Target {
  name: string;
  url: string;
  /** Where the server's state lives, for the settings line. */
  where: string;
  close(): Promise<void>;
}

function installedVersion(nodeModules: string, pkg: string): string | undefined {
  const file = join(nodeModules, pkg, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : undefined;
}

/** The repo's own versions of the packages a graph module imports, so the stock server runs the graph on the same code. */
export function repoVersions(): { langgraph: string; core: string; sdk: string } {
  const nm = join(REPO, "node_modules");
  return {
    langgraph: installedVersion(nm, "@langchain/langgraph")!,
    core: installedVersion(nm, "@langchain/core")!,
    sdk: installedVersion(nm, "@langchain/langgraph-sdk")!,
  };
}

/**
 * The cache folder holding @langchain/langgraph-cli 1.5.1 with the repo's
 * @langchain/langgraph and @langchain/core: installed once with npm (its peer
 * dependency warnings are why it is not a devDependency), reused after.
 */
export function ensureStockCli(log: (line: string) => void): string {
  const { langgraph, core } = repoVersions();
  const dir = join(BENCH_TMP, `langgraph-cli-${STOCK_CLI_VERSION}`);
  const nm = join(dir, "node_modules");
  const ready =
    installedVersion(nm, "@langchain/langgraph-cli") === STOCK_CLI_VERSION &&
    installedVersion(nm, "@langchain/langgraph") === langgraph &&
    installedVersion(nm, "@langchain/core") === core;
  if (!ready) {
    mkdirSync(dir, { recursive: true });
    log(`installing @langchain/langgraph-cli@${STOCK_CLI_VERSION} into ${dir} (once; reused by later runs)`);
    const specs = [`@langchain/langgraph-cli@${STOCK_CLI_VERSION}`, `@langchain/langgraph@${langgraph}`, `@langchain/core@${core}`];
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--save-exact", "--prefix", dir, ...specs], { stdio: ["ignore", 2, 2] });
    if (result.status !== 0) throw new Error(`npm install of the stock CLI failed (exit ${result.status}); run with --no-stock to skip the comparison`);
  }
  return dir;
}

// One node returning a constant: all the rest of a run's time is the server's.
const GRAPH_SOURCE = `import { Annotation, END, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ value: Annotation() });

export const graph = new StateGraph(State)
  .addNode("answer", () => ({ value: "done" }))
  .addEdge(START, "answer")
  .addEdge("answer", END)
  .compile();
`;

/**
 * Writes langgraph.json and the graph module to a fresh temp folder whose
 * node_modules links to `nodeModules` (the stock CLI's cache, so the stock
 * server and the graph share one @langchain/langgraph as in a real project;
 * Threadline loads a graph folder's own copy by design). Returns the folder.
 */
export function writeProject(nodeModules: string): string {
  const dir = join(BENCH_TMP, `project-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  symlinkSync(nodeModules, join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "graph.mjs"), GRAPH_SOURCE);
  writeFileSync(join(dir, "langgraph.json"), `${JSON.stringify({ node_version: "20", graphs: { [GRAPH_ID]: "./graph.mjs:graph" }, env: {} }, null, 2)}\n`);
  return dir;
}

export const repoNodeModules = () => join(REPO, "node_modules");

export interface ThreadlineTarget extends Target {
  core: Core;
  db: Database;
  backend: "pglite" | "postgres";
}

/**
 * Threadline in this process (as test/server does; the SQL profile and the
 * benchmark's own server process use it): the core on PGlite in a
 * temp data folder (on disk, as `threadline serve` defaults to; `memory`
 * for memory://) or on DATABASE_URL in a fresh schema dropped at close.
 */
export async function startThreadline(projectDir: string, options: { url?: string; memory: boolean; workers?: number; log: (err: unknown) => void }): Promise<ThreadlineTarget> {
  const project = await loadProject(join(projectDir, "langgraph.json"));
  const schema = `bench_server_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = options.memory ? "memory://" : join(projectDir, "pglite");
  const db = options.url ? await openDatabase({ url: options.url, schema, maxConnections: 10 }) : await openDatabase({ dataDir });
  const core = await openCore({ db, project });
  let server: RunningServer;
  try {
    server = await startServer({ core, port: 0, log: options.log, ...(options.workers ? { concurrency: options.workers } : {}) });
  } catch (err) {
    await core.close();
    throw err;
  }
  const backend = options.url ? "postgres" : "pglite";
  return {
    name: "threadline",
    url: server.url,
    where: `${options.url ? `postgres ${db.location}, schema ${schema}` : `pglite ${options.memory ? "in memory" : `on disk (${dataDir})`}`}, ${options.workers ?? 10} workers`,
    core,
    db,
    backend,
    async close() {
      await server.close({ graceMs: 0 });
      if (options.url) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(options.log);
      await core.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * `langgraphjs dev` on the project, in its own process group (it starts a
 * child of its own), its log in the project folder. Resolves once GET /ok
 * answers; close() ends the whole group.
 */
export async function startStock(cliDir: string, projectDir: string): Promise<Target> {
  const port = await freePort();
  const bin = join(cliDir, "node_modules", ".bin", "langgraphjs");
  const logFile = join(projectDir, "stock-server.log");
  const out = createWriteStream(logFile);
  // --no-reload: the file watcher would restart the server when it writes
  // its own state next to langgraph.json. No analytics: nothing but the
  // npm registry is reachable, and a hanging request must not skew a run.
  const child: ChildProcess = spawn(bin, ["dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser", "--no-reload", "--config", join(projectDir, "langgraph.json")], {
    cwd: projectDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: "1", BROWSER: "none", LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false" },
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // A crash of this process must not leave the server running.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`langgraphjs dev exited before answering; see ${logFile}`);
    try {
      if ((await fetch(`${url}/ok`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup("SIGKILL");
      throw new Error(`langgraphjs dev did not answer GET /ok within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: "stock",
    url,
    where: `langgraphjs dev ${STOCK_CLI_VERSION} (in-memory, child process, pid ${child.pid})`,
    async close() {
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      killGroup("SIGKILL"); // its own children, if any outlived it
      process.removeListener("exit", onExit);
    },
  };
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ThreadlineProcess extends Target {
  /** Statements the server sent to its database since the last call, and the errors it logged. */
  count(): Promise<{ statements: number; errors: string[] }>;
}

/**
 * Threadline in a process of its own (test/bench/server-child.ts), as
 * `threadline serve` runs it and as the stock server runs: the benchmark's
 * clients never share its event loop. Same options as startThreadline.
 */
export async function startThreadlineProcess(projectDir: string, options: { url?: string; memory: boolean; workers?: number }): Promise<ThreadlineProcess> {
  const child = fork(join(import.meta.dirname, "server-child.ts"), [JSON.stringify({ projectDir, ...options })], {
    execArgv: ["--import", "tsx", "--conditions=threadline-source"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const replies: ((message: Record<string, unknown>) => void)[] = [];
  child.on("message", (message: Record<string, unknown>) => replies.shift()?.(message));
  const reply = () =>
    new Promise<Record<string, unknown>>((resolveReply, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the benchmark's threadline process exited (${code})`));
      child.once("exit", onExit);
      replies.push((message) => {
        child.off("exit", onExit);
        resolveReply(message);
      });
    });
  const ready = await reply();
  return {
    name: "threadline",
    url: ready.url as string,
    where: `${ready.where as string}; a process of its own`,
    async count() {
      const answer = reply();
      child.send({ type: "count" });
      const { statements, errors } = (await answer) as { statements: number; errors: string[] };
      return { statements, errors };
    },
    async close() {
      const answer = reply();
      child.send({ type: "close" });
      await answer;
    },
  };
}
