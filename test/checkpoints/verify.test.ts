import { describe, expect, it } from "vitest";
import { CorruptCheckpointError, ThreadlineSaver } from "../../checkpoints/index.js";
import { main } from "../../src/cli/main.js";
import { readEnvironment } from "../../src/cli/env.js";
import { BACKENDS, describeBackends } from "../helpers/db.js";
import { cliSandbox } from "../helpers/cli.js";
import { decodeBody, encodeBody } from "../../checkpoints/body.js";
import { STAMP_CHECKPOINTS } from "../../checkpoints/sql.js";
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
    // Pending writes of their own rows too, as an interrupt leaves them.
    const head = (await rowsOf(db(), "old")).at(-1)!.id;
    const at = { configurable: { thread_id: "old", checkpoint_ns: "", checkpoint_id: head } };
    await saver.putWrites(at, [["__interrupt__", { prompt: "PIN?".repeat(40) }]], "task-a");
    await saver.putWrites(at, [["__interrupt__", { prompt: "again" }]], "task-b");
    const rows = (await count(db(), "tl_checkpoints", "old")) + (await count(db(), "tl_checkpoint_writes", "old"));
    expect(await count(db(), "tl_checkpoint_writes", "old")).toBe(2);
    // As a database written before checksums existed.
    await db().pool.query("UPDATE tl_checkpoints SET checksum = NULL");
    await db().pool.query("UPDATE tl_checkpoint_writes SET checksum = NULL");

    const scan = await saver.verify({ threadIds: ["old"], batchSize: 3 });
    expect(scan).toMatchObject({ checkpoints: rows - 2, writes: 2, unchecksummed: rows, repaired: 0, corrupt: [] });

    // One write per batch: the writes' cursor pages too.
    const repaired = await saver.verify({ threadIds: ["old"], repair: true, batchSize: 1 });
    expect(repaired).toMatchObject({ checkpoints: rows - 2, writes: 2, unchecksummed: rows, repaired: rows, corrupt: [] });
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

  it("does not stamp an old row whose values no longer deserialise, nor one that changed after it was checked", async () => {
    const saver = await ThreadlineSaver.create(db());
    await runTo(saver, "t1", 4);
    const [first, second] = await rowsOf(db(), "t1");
    // A row whose body decodes but whose metadata is not JSON any more.
    const { rows } = await db().pool.query<{ body: Buffer }>("SELECT body FROM tl_checkpoints WHERE checkpoint_id = $1", [second!.id]);
    const body = decodeBody(rows[0]!.body);
    body.metadata = { type: "json", data: Buffer.from("{not json") };
    await db().pool.query("UPDATE tl_checkpoints SET checksum = NULL, body = $2 WHERE checkpoint_id = $1", [second!.id, encodeBody(body)]);
    const report = await saver.verify({ threadIds: ["t1"] });
    expect(report.corrupt).toEqual([expect.objectContaining({ checkpointId: second!.id, reason: expect.stringMatching(/^metadata: cannot read the stored value/) })]);

    // The stamp applies only to the body that was checked.
    await db().pool.query("UPDATE tl_checkpoints SET checksum = NULL WHERE checkpoint_id = $1", [first!.id]);
    const stamp = await db().pool.query(STAMP_CHECKPOINTS, [["t1"], [""], [first!.id], [123], [Buffer.from("another body")]]);
    expect(stamp.rowCount).toBe(0);
  });

  it("finds nothing to scan of a thread it has never seen", async () => {
    const saver = await ThreadlineSaver.create(db());
    expect(await saver.verify({ threadIds: ["nobody"] })).toMatchObject({ checkpoints: 0, writes: 0, corrupt: [] });
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
      // Bad usage exits 2, a refused request 1.
      expect((await run("checkpoints", "check")).code).toBe(2);
      expect(await run("checkpoints", "verify", "--batch", "0")).toMatchObject({ code: 2, err: 'threadline: --batch must be a positive whole number, not "0"' });
      expect((await run("run", "banking", "--input", "hi")).code).toBe(2);
      expect((await run("checkpoints", "verify", "--thread", "nobody")).err).toBe('threadline: unknown thread "nobody"');

      const db = await (await import("../../src/db/open.js")).openDatabase(env.database());
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
