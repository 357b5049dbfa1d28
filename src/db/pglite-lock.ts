import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DatabaseUnavailableError } from "../errors.js";

interface FileLocks {
  tryLock(fd: number): boolean;
}

let fileLocks: FileLocks | undefined;

/** The embedded database's data folder is held by another process (a running server, say). */
export class DataDirInUseError extends DatabaseUnavailableError {
  constructor(
    message: string,
    /** The data folder, resolved. */
    readonly dataDir: string,
  ) {
    super(message);
  }
}

/**
 * PGlite runs Postgres inside this process, so two processes on one data
 * folder would corrupt it. The guard is a kernel lock on an open file (an
 * open-file-description lock on Linux, flock on macOS) rather than a pid in
 * a file, because pids say nothing across containers (each one's first
 * process is pid 1) and a stale pid file can only be taken over by a racy
 * unlink-and-create. The kernel drops the lock the instant its holder dies,
 * even on kill -9, and taking it is one atomic call, so whatever a dead
 * process left in the file never blocks and no two takers can both win. The
 * pid written into the file only names the holder in the error message.
 *
 * The returned function releases the lock. The file itself is never
 * deleted: a process that had opened it just before the unlink could then
 * lock the orphaned file while a third creates and locks a new one.
 */
export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const locks = loadFileLocks(dataDir);
  const path = join(dataDir, "threadline.lock");
  // Neither truncating nor exclusive: until we hold the lock, the file's
  // content belongs to whoever might be holding it.
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  let locked: boolean;
  try {
    locked = locks.tryLock(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!locked) {
    closeSync(fd);
    const holder = Number.parseInt(readHolder(path), 10);
    const who = Number.isInteger(holder) ? `process ${holder}` : "another process";
    throw new DataDirInUseError(`the embedded database at ${dataDir} is in use by ${who}; stop it or set DATABASE_URL to share a Postgres server`, dataDir);
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, String(process.pid), 0);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let open = true;
  return async () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
}

function loadFileLocks(dataDir: string): FileLocks {
  try {
    fileLocks ??= createRequire(import.meta.url)("fs-native-extensions") as FileLocks;
    return fileLocks;
  } catch (err) {
    throw new DatabaseUnavailableError(
      `cannot lock the embedded database at ${dataDir}: no file-lock support on ${process.platform}-${process.arch} (${(err as Error).message.split("\n")[0]}); set DATABASE_URL to use a Postgres server`,
      { cause: err },
    );
  }
}

function readHolder(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
