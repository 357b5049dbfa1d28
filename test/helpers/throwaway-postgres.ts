import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/**
 * A private PostgreSQL cluster for fault tests: it can be stopped, crashed,
 * paused and restarted without touching the shared server everyone else
 * uses. Its port is picked free at creation and kept across restarts, so
 * connection strings stay valid.
 *
 * @example
 * const pgx = await startThrowawayPostgres({ settings: { wal_writer_delay: "10s" } });
 * await pgx.stop("immediate"); // a crash of the server
 * await pgx.start();
 * await pgx.dispose();
 */
export interface ThrowawayPostgres {
  /** Connection string of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** `host:port/db`, as `Database.location` names it. */
  readonly location: string;
  readonly running: boolean;
  readonly paused: boolean;
  start(): Promise<void>;
  /** `immediate` is a crash (no checkpoint, WAL buffers not written); `fast` a clean shutdown. */
  stop(mode?: "immediate" | "fast"): Promise<void>;
  /** Freezes the server (SIGSTOP to the postmaster and every backend): it accepts TCP but never answers. */
  pause(): Promise<void>;
  /** Undoes pause() (SIGCONT). */
  resume(): Promise<void>;
  /** Runs SQL on a fresh connection (not pooled: the server may restart between calls). */
  query<T extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  /** Stops the server (resuming it first if paused) and deletes its folder. */
  dispose(): Promise<void>;
}

export interface ThrowawayOptions {
  /** Server settings passed as `-c name=value` at every start. */
  settings?: Record<string, string>;
}

/** Folder of initdb/pg_ctl, or undefined when PostgreSQL's server binaries are not installed. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, "bin") : undefined;
}

// initdb refuses to run as root; the cluster then belongs to the postgres user.
const asRoot = process.getuid?.() === 0;

function pgCommand(tool: string, args: string[]): [string, string[]] {
  const bin = postgresBinaries();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql");
  return asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] : [join(bin, tool), args];
}

function pgTool(tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const [file, argv] = pgCommand(tool, args);
  return run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
}

/** A port nobody listens on right now: bound to port 0, then closed. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(options: ThrowawayOptions = {}): Promise<ThrowawayPostgres> {
  const root = mkdtempSync(join(tmpdir(), "threadline-pg-"));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
  }
  const dataDir = join(root, "data");
  const port = await freePort();
  const serverArgs = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=127.0.0.1",
    ...Object.entries(options.settings ?? {}).map(([k, v]) => `-c ${k}=${v}`),
  ].join(" ");
  let running = false;
  let paused = false;

  // A test process that ends without dispose() (a crash, a killed worker)
  // would leave the server running and its folder behind.
  const onExit = () => {
    try {
      if (paused) signalCluster(dataDir, "SIGCONT");
      if (running) execFileSync(...pgCommand("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]), { stdio: "ignore" });
    } catch {
      // Best effort: the process is going away.
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    location: `127.0.0.1:${port}/postgres`,
    get running() {
      return running;
    },
    get paused() {
      return paused;
    },
    async start() {
      if (running) return;
      await pgTool("pg_ctl", ["-D", dataDir, "-l", join(root, "server.log"), "-w", "-t", "60", "-o", serverArgs, "start"]);
      running = true;
    },
    async stop(mode = "immediate") {
      if (!running) return;
      if (paused) await cluster.resume();
      await pgTool("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
      running = false;
    },
    async pause() {
      if (!running || paused) return;
      signalCluster(dataDir, "SIGSTOP");
      paused = true;
    },
    async resume() {
      if (!paused) return;
      signalCluster(dataDir, "SIGCONT");
      paused = false;
    },
    async query(sql, params) {
      const client = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
    async dispose() {
      process.off("exit", onExit);
      try {
        await cluster.stop("immediate");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  try {
    await pgTool("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "--no-instructions", "-E", "UTF8"]);
    await cluster.start();
  } catch (err) {
    await cluster.dispose().catch(() => undefined);
    throw err;
  }
  return cluster;
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("no postgres user to own the throwaway cluster");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Signals the postmaster and every process it forked; on SIGSTOP the postmaster first, so it forks none we miss. */
function signalCluster(dataDir: string, signal: NodeJS.Signals): void {
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  if (signal === "SIGSTOP") process.kill(postmaster, signal);
  let children = "";
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" });
  } catch {
    // ps exits 1 when there are none.
  }
  for (const pid of children.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, signal);
    } catch {
      // A backend that exited between listing and signalling.
    }
  }
  if (signal !== "SIGSTOP") process.kill(postmaster, signal);
}
