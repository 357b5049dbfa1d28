import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { TEST_DATABASE_URL, uniqueSchema, type BackendName } from "./db.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "src/cli.ts");

export interface CliSandbox {
  /** Environment for CLI processes: a fresh PGlite folder or a fresh Postgres schema. */
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

let template: Promise<string> | undefined;

/**
 * An initialised, empty PGlite data folder made once per test file: copying
 * it spares every sandbox's first process an initdb of several seconds.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "threadline-template-")), "data");
    const db = await PGlite.create(dir, { extensions: { vector } });
    await db.close();
    return dir;
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

/** The JSON document a `--json` invocation printed. */
export function jsonOf<T = any>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`CLI failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as T;
}
