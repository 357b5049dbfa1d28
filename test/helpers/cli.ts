import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { readEnvironment } from "../../src/cli/env.js";
import { main } from "../../src/cli/main.js";
import { TEST_DATABASE_URL, uniqueSchema, type BackendName } from "./db.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "src/cli.ts");

const versionOf = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
const PGLITE_VERSION = versionOf("@electric-sql/pglite");
const VECTOR_VERSION = versionOf("@electric-sql/pglite-pgvector");

export interface CliSandbox {
  /** Environment for CLI processes: a fresh PGlite folder or a fresh Postgres schema. */
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

let template: Promise<string> | undefined;

/**
 * An initialised, empty PGlite data folder, made once per machine and
 * PGlite version (an initdb takes several seconds): every sandbox copies
 * it. Built in a folder of its own and renamed into place, so a test file
 * never sees one half-made, and two files making it at once both succeed.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const versions = [PGLITE_VERSION, VECTOR_VERSION].join("-");
    const shared = join(tmpdir(), `threadline-pglite-template-${versions}`);
    if (existsSync(join(shared, "data", "PG_VERSION"))) return join(shared, "data");
    const building = mkdtempSync(join(tmpdir(), "threadline-template-"));
    const db = await PGlite.create(join(building, "data"), { extensions: { vector } });
    await db.close();
    try {
      renameSync(building, shared);
    } catch {
      // Another test file made it first (or something else holds the name: use this one).
      if (!existsSync(join(shared, "data", "PG_VERSION"))) return join(building, "data");
      rmSync(building, { recursive: true, force: true });
    }
    return join(shared, "data");
  })();
  return template;
}

/** A database of its own for one test's CLI processes. */
export async function cliSandbox(
  backend: BackendName,
  extra: NodeJS.ProcessEnv = {},
  options: { emptyFolder?: boolean } = {},
): Promise<CliSandbox> {
  const base = { ...process.env, DATABASE_URL: "", THREADLINE_DATA_DIR: "", THREADLINE_SCHEMA: "", ...extra };
  if (backend === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "threadline-cli-"));
    if (!options.emptyFolder) cpSync(await pgliteTemplate(), join(dir, "data"), { recursive: true });
    return {
      env: { ...base, THREADLINE_DATA_DIR: join(dir, "data") },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = uniqueSchema();
  return {
    env: { ...base, DATABASE_URL: TEST_DATABASE_URL, THREADLINE_SCHEMA: schema },
    async dispose() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion; `onStdout` may kill the child mid-way. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStdout?: (soFar: string, child: ChildProcess) => void,
): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export interface MainOptions {
  /** Lines for `chat` to read, as from a pipe that closes after them. */
  input?: string[];
  /** Sees stdout as it grows (lines and streamed tokens). */
  onStdout?: (soFar: string) => void;
}

/**
 * Runs one CLI invocation in this process (`main()`, as `src/cli.ts` does
 * for a process) with the environment a process would get: a second process
 * costs seconds of start-up, this costs nothing. Relative project files are
 * read from the repository root, as a CLI process started there would.
 * The result has the shape of `runCli`'s (the signal is always null).
 */
export async function runMain(args: string[], env: NodeJS.ProcessEnv, options: MainOptions = {}): Promise<CliResult> {
  const project = env.THREADLINE_PROJECT || "langgraph.json";
  const cliEnv = readEnvironment({ ...env, THREADLINE_PROJECT: isAbsolute(project) ? project : join(ROOT, project) });
  let stdout = "";
  let stderr = "";
  const write = (text: string) => {
    stdout += text;
    options.onStdout?.(stdout);
  };
  const code = await main(args, cliEnv, {
    out: (line) => write(`${line}\n`),
    err: (line) => (stderr += `${line}\n`),
    write,
    input: Readable.from(options.input ? [options.input.map((l) => `${l}\n`).join("")] : []),
  });
  return { code, signal: null, stdout, stderr };
}

/** The JSON document a `--json` invocation printed. */
export function jsonOf<T = any>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`CLI failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as T;
}
