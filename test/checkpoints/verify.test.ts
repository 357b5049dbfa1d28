import { describe, expect, it } from "vitest";
import { CorruptCheckpointError, ThreadlineSaver } from "../../checkpoints/index.js";
import { main } from "../../src/cli/main.js";
import { readEnvironment } from "../../src/cli/env.js";
import { BACKENDS, describeBackends } from "../helpers/db.js";
import { cliSandbox } from "../helpers/cli.js";
import { count, freshSaver, rowsOf, runTo } from "./helpers.js";

const unchecksummed = async (db: Parameters<typeof count>[0]) =>
  (await db.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM tl_checkpoints WHERE checksum IS NULL) + (SELECT count(*) FROM tl_checkpoint_writes WHERE checksum IS NULL) AS n`,
  )).rows[0]!.n;

describeBackends("verifying stored checkpoints", (db) => {
  it("gives rows stored before checksums theirs, after which a damaged row is caught", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "old", 8);
    await runTo(saver, "other", 4);
    const rows = await count(db(), "tl_checkpoints", "old");
    // As a database written before checksums existed.
    await db().pool.query("UPDATE tl_checkpoints SET checksum = NULL");
    await db().pool.query("UPDATE tl_checkpoint_writes SET checksum = NULL");

    const scan = await saver.verify({ threadIds: ["old"], batchSize: 3 });
    expect(scan).toMatchObject({ checkpoints: rows, unchecksummed: rows, repaired: 0, corrupt: [] });

    const repaired = await saver.verify({ threadIds: ["old"], repair: true, batchSize: 3 });
    expect(repaired).toMatchObject({ checkpoints: rows, unchecksummed: rows, repaired: rows, corrupt: [] });
    expect(Number(await unchecksummed(db()))).toBe(await count(db(), "tl_checkpoints", "other"));
    expect(await saver.verify({ threadIds: ["old"] })).toMatchObject({ unchecksummed: 0, corrupt: [] });

    // The rows read as before, and a flipped byte is now an error rather than another state.
    const before = await freshSaver(db()).getTuple({ configurable: { thread_id: "old" } });
    expect(before?.checkpoint.channel_values.messages).toHaveLength(8);
    const latest = (await rowsOf(db(), "old")).at(-1)!.id;
    await db().pool.query("UPDATE tl_checkpoints SET body = overlay(body PLACING '\\x00'::bytea FROM 20) WHERE checkpoint_id = $1", [latest]);
    await expect(freshSaver(db()).getTuple({ configurable: { thread_id: "old" } })).rejects.toBeInstanceOf(CorruptCheckpointError);

    const damaged = await saver.verify({ repair: true });
    expect(damaged.corrupt).toEqual([
      expect.objectContaining({ threadId: "old", checkpointId: latest, kind: "checkpoint", reason: "its checksum does not match its contents" }),
    ]);
    expect(damaged.repaired).toBe(await count(db(), "tl_checkpoints", "other"));
  });

  it("reports an old row that no longer decodes, and leaves it as it is", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 4);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    await db().pool.query("UPDATE tl_checkpoints SET checksum = NULL, body = '\\xdeadbeef' WHERE checkpoint_id = $1", [latest]);
    const report = await saver.verify({ repair: true });
    expect(report.corrupt).toEqual([expect.objectContaining({ checkpointId: latest, reason: expect.stringMatching(/cannot decode the stored row/) })]);
    const { rows } = await db().pool.query("SELECT checksum FROM tl_checkpoints WHERE checkpoint_id = $1", [latest]);
    expect(rows[0].checksum).toBeNull();
  });
});

describe.each(BACKENDS)("threadline checkpoints verify [%s]", (backend) => {
  it("reports, repairs, and exits 1 on a corrupt row", async () => {
    const sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: "test/fixtures/langgraph.json" });
    try {
      const env = readEnvironment(sandbox.env);
      const run = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
        return { code, out: out.join("\n"), err: err.join("\n") };
      };
      expect((await run("run", "banking", "--thread", "acct-1", "--user", "ada", "--input", "What's my balance?")).code).toBe(0);
      const clean = await run("checkpoints", "verify", "--user", "ada");
      expect(clean).toMatchObject({ code: 0, err: "" });
      expect(clean.out).toMatch(/^verified \d+ checkpoint rows and \d+ pending-write rows: 0 corrupt, 0 without a checksum$/);

      expect((await run("checkpoints", "verify", "--thread", "acct-1", "--user", "ada")).err).toBe("threadline: give --thread or --user, not both");
      expect((await run("checkpoints", "check")).code).toBe(1);

      const db = await (await import("../../src/db/open.js")).openDatabase(env.database);
      try {
        await db.pool.query("UPDATE tl_checkpoint_writes SET checksum = checksum # 1");
      } finally {
        await db.close();
      }
      const found = await run("checkpoints", "verify", "--json");
      expect(found.code).toBe(1);
      const report = JSON.parse(found.out);
      expect(report.corrupt.length).toBeGreaterThan(0);
      expect(report.corrupt[0]).toMatchObject({ threadId: "acct-1", kind: "pending write", reason: "its checksum does not match its contents" });
    } finally {
      await sandbox.dispose();
    }
  });
});
