import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { ConflictError, InvalidInputError } from "../../src/errors.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "../runs/helpers.js";

describeBackends("threads as records", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  async function ran(threadId: string, label: string, owner = ANON) {
    const run = await core!.runs.create({ threadId, assistantId: "paced", request: pacedRequest(label, { config: {} }) }, owner);
    return core!.runs.execute(run.runId);
  }

  it("are created empty, before any run, and refuse a second create unless told to keep the first", async () => {
    core = await openTestCore(db());
    const t = await core.threads.create({ threadId: "empty", metadata: { topic: "travel" } }, ANON);
    expect(t).toMatchObject({ threadId: "empty", graphId: null, status: "idle", values: null, metadata: { topic: "travel" } });
    expect(await core.threads.state("empty", ANON)).toMatchObject({ values: {}, next: [], checkpoint: null });
    expect(await core.threads.history("empty", ANON)).toEqual([]);
    await expect(core.threads.create({ threadId: "empty" }, ANON)).rejects.toThrow(ConflictError);
    expect((await core.threads.create({ threadId: "empty", ifExists: "do_nothing" }, ANON)).metadata).toEqual({ topic: "travel" });
    const generated = await core.threads.create({}, ANON);
    expect(generated.threadId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(core.threads.create({ threadId: "bad id!" }, ANON)).rejects.toThrow(InvalidInputError);
  });

  it("keep status, values and interrupts that search and count find", async () => {
    core = await openTestCore(db());
    await ran("done", "d");
    const ask = await core.runs.create({ threadId: "waiting", assistantId: "asking", request: { input: { label: "w" }, ifNotExists: "create" } }, ANON);
    await core.runs.execute(ask.runId);
    await core.threads.create({ threadId: "fresh", metadata: { team: "red" } }, ANON);
    await core.threads.update("done", { metadata: { team: "red", n: 1 } }, ANON);

    const waiting = await core.threads.get("waiting", ANON);
    expect(waiting.status).toBe("interrupted");
    expect(Object.values(waiting.interrupts!).flat().map((i) => i.value)).toEqual([{ question: "name?" }]);
    expect((await core.threads.search({ status: "interrupted" }, ANON)).map((t) => t.threadId)).toEqual(["waiting"]);
    expect((await core.threads.search({ metadata: { team: "red" }, sortBy: "thread_id", sortOrder: "asc" }, ANON)).map((t) => t.threadId)).toEqual(["done", "fresh"]);
    expect((await core.threads.search({ values: { label: "d" } }, ANON)).map((t) => t.threadId)).toEqual(["done"]);
    expect((await core.threads.search({ ids: ["fresh", "nope"] }, ANON)).map((t) => t.threadId)).toEqual(["fresh"]);
    expect(await core.threads.count({ metadata: { team: "red" } }, ANON)).toBe(2);
    expect((await core.threads.search({ sortBy: "thread_id", sortOrder: "asc", limit: 1, offset: 1 }, ANON)).map((t) => t.threadId)).toEqual(["fresh"]);
    await expect(core.threads.search({ status: "sleeping" as never }, ANON)).rejects.toThrow(/unknown thread status/);
    const listed = [];
    for await (const t of core.threads.list({ pageSize: 1 })) listed.push(t.threadId);
    expect(listed.sort()).toEqual(["done", "fresh", "waiting"]);
  });

  it("read state at a checkpoint, history before one and by metadata, and write state as a node", async () => {
    core = await openTestCore(db());
    await ran("t", "a");
    const history = await core.threads.history("t", ANON, { limit: 100 });
    expect(history.map((h) => h.next[0] ?? "end")).toEqual(["end", "s6", "s5", "s4", "s3", "s2", "s1", "__start__"]);
    const atS3 = history[4]!;
    expect((await core.threads.state("t", ANON, { checkpointId: atS3.checkpoint!.checkpointId })).values.log).toEqual(["a:s1", "a:s2"]);
    await expect(core.threads.state("t", ANON, { checkpointId: "1f000000-0000-6000-8000-000000000000" })).rejects.toThrow(/no checkpoint/);
    const before = await core.threads.history("t", ANON, { before: atS3.checkpoint!.checkpointId, limit: 2 });
    expect(before.map((h) => h.next[0])).toEqual(["s2", "s1"]);
    expect((await core.threads.history("t", ANON, { metadata: { source: "input" } })).length).toBe(1);

    const { checkpoint } = await core.threads.updateState("t", ANON, { values: { log: ["by hand"] }, asNode: "s6" });
    const now = await core.threads.get("t", ANON);
    expect(now.values!.log).toEqual(["a:s1", "a:s2", "a:s3", "a:s4", "a:s5", "a:s6", "by hand"]);
    expect((await core.threads.state("t", ANON)).checkpoint).toEqual(checkpoint);
  });

  it("copy into a new thread with the same state and history", async () => {
    core = await openTestCore(db());
    await ran("orig", "o");
    const copy = await core.threads.copy("orig", ANON, { to: "copy" });
    expect(copy).toMatchObject({ threadId: "copy", graphId: "paced", owner: ANON });
    expect((await core.threads.state("copy", ANON)).values).toEqual((await core.threads.state("orig", ANON)).values);
    expect((await core.threads.history("copy", ANON, { limit: 100 })).length).toBe(8);
    await ran("copy", "c");
    expect(((await core.threads.get("orig", ANON)).values!.log as string[]).length).toBe(6);
    await expect(core.threads.copy("orig", ANON, { to: "copy" })).rejects.toThrow(ConflictError);
  });

  it("refuse a run of another graph on a thread that has one", async () => {
    core = await openTestCore(db());
    await ran("t", "a");
    await expect(core.runs.create({ threadId: "t", assistantId: "asking", request: { input: {} } }, ANON)).rejects.toThrow(/belongs to graph "paced", not "asking"/);
  });

  it("list every thread in keyset pages, also threads written in the same microsecond", async () => {
    core = await openTestCore(db());
    await db().pool.query("INSERT INTO threads (thread_id, user_id) SELECT 't' || i, '~anonymous' FROM generate_series(1, 150) i");
    const seen: string[] = [];
    for await (const t of core.threads.list({ pageSize: 7 })) seen.push(t.threadId);
    expect(seen.length).toBe(150);
    expect(new Set(seen).size).toBe(150);
  });
});
