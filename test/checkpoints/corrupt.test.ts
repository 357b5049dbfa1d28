import { expect, it } from "vitest";
import { CorruptCheckpointError, ThreadlineSaver } from "../../checkpoints/index.js";
import { emptyCheckpoint } from "@langchain/langgraph-checkpoint";
import { decodeBody, encodeBody } from "../../checkpoints/body.js";
import { checkpointChecksum } from "../../checkpoints/checksum.js";
import { describeBackends } from "../helpers/db.js";
import { freshSaver, rowsOf, runTo } from "./helpers.js";

describeBackends("unreadable checkpoints", (db) => {
  const expectCorrupt = async (threadId: string, checkpointId: string, reason: RegExp) => {
    const error = await freshSaver(db()).getTuple({ configurable: { thread_id: threadId } }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CorruptCheckpointError);
    expect(error).toMatchObject({ code: "corrupt_state", threadId, checkpointId });
    expect((error as Error).message).toContain(threadId);
    expect((error as Error).message).toContain(checkpointId);
    expect((error as Error).message).toMatch(reason);
  };
  /** Rewrites one stored body through `edit`. */
  const editBody = async (threadId: string, checkpointId: string, edit: (body: ReturnType<typeof decodeBody>) => void) => {
    const { rows } = await db().pool.query<{ body: Buffer; parent: string | null; flags: number }>(
      "SELECT body, parent_checkpoint_id AS parent, flags FROM tl_checkpoints WHERE thread_id = $1 AND checkpoint_id = $2",
      [threadId, checkpointId],
    );
    const body = decodeBody(rows[0]!.body);
    edit(body);
    // A valid checksum over the edited body: what is tested is the check behind it.
    const encoded = encodeBody(body);
    await db().pool.query("UPDATE tl_checkpoints SET body = $3, checksum = $4 WHERE thread_id = $1 AND checkpoint_id = $2", [
      threadId, checkpointId, encoded, checkpointChecksum("", checkpointId, rows[0]!.parent, rows[0]!.flags, encoded),
    ]);
  };

  it("a row whose checksum does not match", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    await db().pool.query("UPDATE tl_checkpoints SET checksum = checksum # 1 WHERE checkpoint_id = $1", [latest]);
    await expectCorrupt("t1", latest, /checkpoint row: its checksum does not match/);
  });

  it("a pending write whose checksum does not match, or whose packed value does not unpack", async () => {
    const saver = await ThreadlineSaver.create(db());
    await saver.put({ configurable: { thread_id: "t1", checkpoint_ns: "" } }, emptyCheckpoint(), { source: "input", step: -1, parents: {} }, {});
    const { id } = (await rowsOf(db(), "t1"))[0]!;
    const config = { configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: id } };
    await saver.putWrites(config, [["__interrupt__", { prompt: "x".repeat(200) }]], "task-1");
    await db().pool.query("UPDATE tl_checkpoint_writes SET checksum = checksum # 256");
    await expectCorrupt("t1", id, /pending-write row of task task-1.*checksum does not match/);
    // A row stored before checksums, whose deflated value is damaged.
    await db().pool.query("UPDATE tl_checkpoint_writes SET checksum = NULL, blob = substring(blob FROM 1 FOR 5)");
    await expectCorrupt("t1", id, /pending write of task task-1.*cannot unpack the stored value/);
  });

  it("a row that is not a stored body", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    // As a row stored before checksums would be.
    await db().pool.query("UPDATE tl_checkpoints SET body = '\\x00ff17', checksum = NULL WHERE checkpoint_id = $1", [latest]);
    await expectCorrupt("t1", latest, /cannot decode the stored row/);
  });

  it("a list item that does not deserialise", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    await editBody("t1", latest, (body) => {
      const [, entry] = body.channels.find(([channel]) => channel === "messages")!;
      if (entry.kind !== "list") throw new Error("expected a list entry");
      entry.items[0] = { type: "json", data: Buffer.from("{not json") };
    });
    await expectCorrupt("t1", latest, /channel "messages".*cannot deserialise/);
  });

  it("a channel value that does not deserialise", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    await editBody("t1", latest, (body) => {
      body.channels.push(["extra", { kind: "value", version: "1", value: { type: "json", data: Buffer.from("{") } }]);
      const record = JSON.parse(Buffer.from(body.record).toString());
      record.channel_versions.extra = 1;
      body.record = Buffer.from(JSON.stringify(record));
    });
    await expectCorrupt("t1", latest, /channel "extra".*cannot deserialise/);
  });

  it("a checkpoint whose ancestor is gone", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const rows = await rowsOf(db(), "t1");
    await db().pool.query("DELETE FROM tl_checkpoints WHERE checkpoint_id = $1", [rows[2]!.id]);
    await expectCorrupt("t1", rows.at(-1)!.id, new RegExp(`ancestor checkpoint ${rows[2]!.id} is missing`));
  });

  it("a list that keeps more items than its parent had", async () => {
    await runTo(await ThreadlineSaver.create(db()), "t1", 5);
    const latest = (await rowsOf(db(), "t1")).at(-1)!.id;
    await editBody("t1", latest, (body) => {
      const [, entry] = body.channels.find(([channel]) => channel === "messages")!;
      if (entry.kind === "list") entry.keep = 99;
    });
    await expectCorrupt("t1", latest, /keeps 99 items of a parent list of 4/);
  });
});
