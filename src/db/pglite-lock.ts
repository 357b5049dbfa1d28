import { openSync, closeSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DatabaseUnavailableError } from "../errors.js";

/**
 * PGlite runs Postgres inside this process, so two processes on one data
 * folder would corrupt it. A lock file holding our pid keeps a second process
 * out with a clear message; a lock left by a killed process (its pid no
 * longer alive) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const path = join(dataDir, "threadline.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return async () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number.parseInt(readFileSafe(path), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseUnavailableError(
          `the embedded database at ${dataDir} is in use by process ${holder}; stop it or set DATABASE_URL to share a Postgres server`,
        );
      }
      try {
        unlinkSync(path);
      } catch {
        /* raced with another taker; the next attempt decides */
      }
    }
  }
  throw new DatabaseUnavailableError(`could not lock the embedded database at ${dataDir}`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
