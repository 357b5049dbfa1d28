import { emptyCheckpoint, uuid6 } from "@langchain/langgraph-checkpoint";
import { expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { CheckpointInputError } from "../../checkpoints/index.js";
import { describeBackends } from "../helpers/db.js";
import { count } from "./helpers.js";

const meta = { source: "input" as const, step: -1, parents: {} };

describeBackends("checkpoint TTL", (db) => {
  const put = (saver: ThreadlineSaver, threadId: string) =>
    saver.put({ configurable: { thread_id: threadId } }, { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n: 1 }, channel_versions: { n: 1 } }, meta, { n: 1 });
  // Moves a thread's expiry into the past instead of waiting for it.
  const expire = (threadId: string) =>
    db().pool.query("UPDATE tl_checkpoint_ttl SET expires_at = now() - interval '1 second' WHERE thread_id = $1", [threadId]);
  const expiresAt = async (threadId: string) =>
    (await db().pool.query<{ future: boolean }>("SELECT expires_at > now() AS future FROM tl_checkpoint_ttl WHERE thread_id = $1", [threadId])).rows[0]?.future;

  it("sweeps expired threads in bounded batches and leaves the others", async () => {
    const saver = await ThreadlineSaver.create(db());
    for (let i = 0; i < 5; i++) {
      await put(saver, `old-${i}`);
      await saver.setThreadTtl(`old-${i}`, { ttlMs: 60_000, policy: "fixed" });
      await expire(`old-${i}`);
    }
    await put(saver, "young");
    await saver.setThreadTtl("young", { ttlMs: 60_000, policy: "fixed" });
    await put(saver, "forever");
    const result = await saver.sweep({ batchSize: 2 });
    expect(result.threadIds.sort()).toEqual(["old-0", "old-1", "old-2", "old-3", "old-4"]);
    expect(result.batches).toBe(3);
    expect(result.checkpoints).toBe(5);
    expect(await count(db(), "tl_checkpoints")).toBe(2);
    expect(await count(db(), "tl_checkpoint_ttl")).toBe(1);
    expect((await saver.sweep()).threadIds).toEqual([]);
  });

  it("stops after maxBatches", async () => {
    const saver = await ThreadlineSaver.create(db());
    for (let i = 0; i < 3; i++) {
      await put(saver, `old-${i}`);
      await saver.setThreadTtl(`old-${i}`, { ttlMs: 1_000, policy: "fixed" });
      await expire(`old-${i}`);
    }
    expect((await saver.sweep({ batchSize: 1, maxBatches: 2 })).threadIds).toHaveLength(2);
    expect(await count(db(), "tl_checkpoint_ttl")).toBe(1);
  });

  it("extends a sliding TTL on every checkpoint but not a fixed one", async () => {
    const saver = await ThreadlineSaver.create(db());
    await put(saver, "sliding");
    await put(saver, "fixed");
    await saver.setThreadTtl("sliding", { ttlMs: 60_000, policy: "sliding" });
    await saver.setThreadTtl("fixed", { ttlMs: 60_000, policy: "fixed" });
    await expire("sliding");
    await expire("fixed");
    await put(saver, "sliding");
    await put(saver, "fixed");
    expect(await expiresAt("sliding")).toBe(true);
    expect(await expiresAt("fixed")).toBe(false);
    expect(await saver.getThreadTtl("sliding")).toMatchObject({ policy: "sliding", ttlMs: 60_000 });
    await saver.clearThreadTtl("sliding");
    expect(await saver.getThreadTtl("sliding")).toBeUndefined();
  });

  it("gives new threads the default TTL", async () => {
    const saver = await ThreadlineSaver.create(db(), { defaultTtl: { ttlMs: 3_600_000, policy: "sliding" } });
    await put(saver, "t1");
    expect(await saver.getThreadTtl("t1")).toMatchObject({ policy: "sliding", ttlMs: 3_600_000 });
    expect(await expiresAt("t1")).toBe(true);
  });

  it("rejects invalid policies", async () => {
    const saver = await ThreadlineSaver.create(db());
    await expect(saver.setThreadTtl("t1", { ttlMs: 0, policy: "fixed" })).rejects.toBeInstanceOf(CheckpointInputError);
    await expect(saver.setThreadTtl("t1", { ttlMs: 10, policy: "never" as "fixed" })).rejects.toBeInstanceOf(CheckpointInputError);
  });
});
