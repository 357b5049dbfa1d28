import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.js";
import { acquireDataDirLock } from "../../src/db/pglite-lock.js";
import { DatabaseUnavailableError } from "../../src/errors.js";
import { killLockChildren, startLockChild, unshareUnavailable } from "../helpers/pglite-lock.js";

const inUse = (dir: string, holder: string) =>
  `the embedded database at ${dir} is in use by ${holder}; stop it or set DATABASE_URL to share a Postgres server`;

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  await killLockChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "threadline-lock-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let template: Promise<string> | undefined;

afterAll(async () => {
  if (template) rmSync(await template, { recursive: true, force: true });
});

/** An initialised PGlite folder, copied from one made per file: an initdb takes seconds. */
async function dataFolder(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "threadline-lock-template-"));
    const db = await PGlite.create(dir, { extensions: { vector } });
    await db.close();
    return dir;
  })();
  const dataDir = join(tempDir(), "data");
  cpSync(await template, dataDir, { recursive: true });
  return dataDir;
}

/** The lock file an old version left: a pid, and no kernel lock behind it. */
function leaveOldLockFile(dir: string): void {
  const dead = spawnSync("true").pid!;
  writeFileSync(join(dir, "threadline.lock"), String(dead));
}

describe("PGlite data folder lock, in one process", () => {
  it("refuses a second holder until the first releases", async () => {
    const dir = tempDir();
    const release = acquireDataDirLock(dir);
    let second: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (err) {
      second = err;
    }
    expect(second).toBeInstanceOf(DatabaseUnavailableError);
    expect((second as Error).message).toBe(inUse(dir, `process ${process.pid}`));
    await release();
    await release(); // a second call is harmless
    const again = acquireDataDirLock(dir);
    await again();
  });

  it("is not blocked by the pid file an old version left behind", async () => {
    const dir = tempDir();
    // pid 1 is always alive, which the old pid check took for a holder.
    writeFileSync(join(dir, "threadline.lock"), "1");
    const release = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(inUse(dir, `process ${process.pid}`));
    await release();
  });

  it("releases on close, so the same process can open the folder again", async () => {
    const dataDir = await dataFolder();
    const db = await openDatabase({ dataDir });
    await expect(openDatabase({ dataDir })).rejects.toThrow(inUse(dataDir, `process ${process.pid}`));
    await db.close();
    const reopened = await openDatabase({ dataDir });
    expect((await reopened.pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await reopened.close();
  });
});

describe("PGlite data folder lock, across processes", () => {
  it.skipIf(unshareUnavailable !== undefined)(
    `keeps out a process in another pid namespace, where both are pid 1${unshareUnavailable ? ` (skipped: ${unshareUnavailable})` : ""}`,
    async () => {
      const dataDir = await dataFolder();
      const a = startLockChild(["hold", dataDir], { namespace: true });
      expect(await a.line(/^pid /)).toBe("pid 1");
      await a.line(/^locked$/);

      const b = startLockChild(["hold", dataDir], { namespace: true });
      // The line's promise rejects once B ends without it.
      const outcome = await b.line(/^locked$/).then(() => "locked", () => "refused");
      expect(outcome).toBe("refused");
      expect(b.lines[0]).toBe("pid 1");
      expect((await b.exited).code).toBe(1);
      expect(b.stderr()).toBe(`${inUse(dataDir, "process 1")}\n`);

      await a.kill();
      const c = startLockChild(["hold", dataDir], { namespace: true });
      expect(await c.line(/^pid /)).toBe("pid 1");
      await c.line(/^locked$/);
    },
  );

  it("lets exactly one of several processes starting together have it", async () => {
    const dataDir = await dataFolder();
    for (let round = 0; round < 2; round++) {
      leaveOldLockFile(dataDir);
      const children = Array.from({ length: 4 }, () => startLockChild(["hold", dataDir, "stdin"]));
      // All modules loaded, then every open at once.
      await Promise.all(children.map((c) => c.line(/^pid /)));
      for (const c of children) c.go();
      const outcomes = await Promise.all(children.map((c) => c.line(/^locked$/).then(() => "locked", () => "refused")));
      expect(outcomes.filter((o) => o === "locked")).toHaveLength(1);
      const winner = children[outcomes.indexOf("locked")]!;
      for (const loser of children.filter((c) => c !== winner)) {
        expect((await loser.exited).code).toBe(1);
        // The holder writes its pid just after locking; a loser can look in between.
        expect(loser.stderr()).toMatch(
          new RegExp(`^${escape(inUse(dataDir, "@@"))}\\n$`.replace("@@", "(process \\d+|another process)")),
        );
      }
      await winner.kill();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
