import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const CHILD = join(ROOT, "test/fixtures/pglite-lock-child.ts");

/**
 * Why `unshare -fp --mount-proc` cannot be used here, or undefined when it
 * can: each child then runs as pid 1 of its own pid namespace, like a
 * container's first process.
 */
export const unshareUnavailable: string | undefined = (() => {
  const probe = spawnSync("unshare", ["-fp", "--mount-proc", "sh", "-c", "echo $$"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error) return `unshare cannot run: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare -fp --mount-proc is not permitted: ${probe.stderr.trim()}`;
  if (probe.stdout.trim() !== "1") return `unshare -fp did not start a pid namespace (pid ${probe.stdout.trim()})`;
  return undefined;
})();

export interface LockChild {
  proc: ChildProcess;
  /** Stdout lines so far. */
  lines: string[];
  stderr(): string;
  /** Resolves when stdout and stderr have closed, so every printed line is in `lines`. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first line matching, waiting for it; rejects if the child ends without one. */
  line(match: RegExp): Promise<string>;
  /** Lets an open that waits for stdin go ahead. */
  go(): void;
  /** SIGKILL, to the process itself even inside a pid namespace; resolves once it is reaped. */
  kill(): Promise<void>;
}

const live = new Set<LockChild>();

/** Runs the lock fixture (`hold`), in a pid namespace of its own when asked. */
export function startLockChild(args: string[], options: { namespace?: boolean } = {}): LockChild {
  const node = [process.execPath, "--import", "tsx", CHILD, ...args];
  // --kill-child: should the test runner die, the namespace dies with it.
  const [cmd, ...argv] = options.namespace ? ["unshare", "-fp", "--mount-proc", "--kill-child", ...node] : node;
  const proc = spawn(cmd!, argv, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
    wake();
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  proc.stdin!.on("error", () => undefined);
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    proc.on("close", (code, signal) => {
      ended = true;
      live.delete(child);
      wake();
      done({ code, signal });
    }),
  );
  const child: LockChild = {
    proc,
    lines,
    stderr: () => stderr,
    exited,
    line(match) {
      return new Promise((found, fail) => {
        const check = () => {
          const hit = lines.find((l) => match.test(l));
          if (hit !== undefined) return found(hit);
          if (ended) return fail(new Error(`child ended without a line matching ${match}: ${stderr.trim() || lines.join(" | ")}`));
          waiters.push(check);
        };
        check();
      });
    },
    go: () => proc.stdin!.write("go\n"),
    async kill() {
      if (ended) return;
      // unshare forks the node process. Killing that one (pid 1 inside) ends
      // the namespace, and unshare exits only after reaping it, so its exit
      // means the lock's holder is gone; killing unshare first would not.
      const inner = options.namespace ? innerPids(proc.pid!) : [];
      for (const pid of inner) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      if (inner.length === 0) proc.kill("SIGKILL");
      await exited;
    },
  };
  live.add(child);
  return child;
}

function innerPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Kills every child still running; for afterEach. */
export async function killLockChildren(): Promise<void> {
  await Promise.all([...live].map((c) => c.kill()));
}
