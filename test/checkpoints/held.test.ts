import { describe, expect, it } from "vitest";
import { type HeldWrites, WriteHolder } from "../../checkpoints/held.js";
import { rowKey } from "../../checkpoints/keys.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function holderStoring(holdMs: number) {
  const stored: HeldWrites[] = [];
  const holder = new WriteHolder(holdMs, async (held) => {
    stored.push(held);
    held.resolve();
  });
  return { holder, stored };
}

const call = (checkpointId: string) => ({
  threadId: "t1",
  checkpointNs: "",
  checkpointId,
  runId: null,
  upsert: false,
  writes: [{ taskId: "task", taskPath: "", idx: 0, channel: "messages", value: { type: "json", data: Buffer.from("[1]") } }],
});

describe("WriteHolder", () => {
  it("stores writes no checkpoint claims once they have waited holdMs", async () => {
    const { holder, stored } = holderStoring(5);
    const done = holder.hold(call("c1"));
    await sleep(1);
    expect(stored).toHaveLength(0);
    await done;
    expect(stored.map((h) => h.checkpointId)).toEqual(["c1"]);
    expect(holder.take("t1", "", "c1")).toBeUndefined();
  });

  it("holds writes against a checkpoint while its own put runs, then gives the child holdMs", async () => {
    const { holder, stored } = holderStoring(5);
    const key = rowKey("t1", "", "c1");
    holder.storingStarted(key);
    let settled = false;
    const done = holder.hold(call("c1")).then(() => (settled = true));
    await sleep(30);
    expect(stored).toHaveLength(0);
    holder.storingEnded(key);
    // The child's put, right after its parent's: it takes the writes.
    const taken = holder.take("t1", "", "c1");
    expect(taken?.map((h) => h.checkpointId)).toEqual(["c1"]);
    taken![0]!.resolve();
    await done;
    expect(settled).toBe(true);
    expect(stored).toHaveLength(0);
  });

  it("stores writes holdMs after the put of their checkpoint ends when no child claims them", async () => {
    const { holder, stored } = holderStoring(5);
    const key = rowKey("t1", "", "c1");
    holder.storingStarted(key);
    const done = holder.hold(call("c1"));
    const other = holder.hold(call("c2"));
    await other;
    expect(stored.map((h) => h.checkpointId)).toEqual(["c2"]);
    await sleep(20);
    holder.storingEnded(key);
    await sleep(1);
    expect(stored).toHaveLength(1);
    await done;
    expect(stored.map((h) => h.checkpointId)).toEqual(["c2", "c1"]);
  });
});
