import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { NotFoundError } from "../../src/errors.js";
import { systemAssistantId } from "../../src/assistants/service.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "./helpers.js";

describeBackends("ownership: a thread is unknown to everyone but its owner", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  /** Every operation on thread `threadId` (and its run) as `who`: each must fail as unknown, or find nothing. */
  async function expectUnknown(threadId: string, runId: string, who: string) {
    const c = core!;
    const checkpointId = (await db().pool.query("SELECT checkpoint_id FROM tl_checkpoints WHERE thread_id = $1 LIMIT 1", [threadId])).rows[0].checkpoint_id;
    const refused: [string, () => Promise<unknown>][] = [
      ["get", () => c.threads.get(threadId, who)],
      ["state", () => c.threads.state(threadId, who)],
      ["state at a checkpoint", () => c.threads.state(threadId, who, { checkpointId })],
      ["history", () => c.threads.history(threadId, who)],
      ["update", () => c.threads.update(threadId, { metadata: { x: 1 } }, who)],
      ["update state", () => c.threads.updateState(threadId, who, { values: { label: "z" } })],
      ["copy", () => c.threads.copy(threadId, who)],
      ["fork", () => c.threads.fork(threadId, who, { checkpointId })],
      ["delete", () => c.threads.delete(threadId, who)],
      ["run on it", () => c.runs.create({ threadId, assistantId: "paced", request: { input: { label: "x" } } }, who)],
      ["list its runs", () => c.runs.list(threadId, who)],
      ["get its run", () => c.runs.get(runId, who)],
      ["join its run", () => c.runs.join(runId, who)],
      ["cancel its run", () => c.runs.cancel(runId, who)],
      ["delete its run", () => c.runs.delete(runId, who)],
      ["roll it back", () => c.runs.rollback(threadId, who)],
      ["replay its run", async () => {
        for await (const _ of c.runs.events(runId, who)) return;
      }],
    ];
    for (const [what, call] of refused) {
      await expect(call(), what).rejects.toThrow(NotFoundError);
      await expect(call(), what).rejects.toThrow(/unknown (thread|run)/);
    }
    expect(await c.threads.find(threadId, who)).toBeUndefined();
    expect(await c.threads.search({}, who)).toEqual([]);
    expect(await c.threads.search({ ids: [threadId] }, who)).toEqual([]);
    expect(await c.threads.count({}, who)).toBe(0);
    // Running with "create" on someone else's id must not reach their thread either.
    await expect(c.runs.create({ threadId, assistantId: "paced", request: { input: { label: "x" }, ifNotExists: "create" } }, who)).rejects.toThrow(/unknown thread/);
  }

  async function ranThread(threadId: string, owner: string) {
    const run = await core!.runs.create({ threadId, assistantId: "paced", request: pacedRequest("a", { config: {} }) }, owner);
    await core!.runs.execute(run.runId);
    return run.runId;
  }

  it("a thread of user A is unknown to user B and to the anonymous owner, in every operation", async () => {
    core = await openTestCore(db());
    const runId = await ranThread("t-ada", "ada");
    await expectUnknown("t-ada", runId, "bob");
    await expectUnknown("t-ada", runId, ANON);
    // Ada still has it, untouched.
    const thread = await core.threads.get("t-ada", "ada");
    expect(thread.metadata).toEqual({ graph_id: "paced", assistant_id: systemAssistantId("paced") });
    expect((thread.values!.log as string[]).length).toBe(6);
    expect((await core.runs.list("t-ada", "ada")).map((r) => r.runId)).toEqual([runId]);
  });

  it("a thread run without a user belongs to the anonymous owner and is unknown to a named user", async () => {
    core = await openTestCore(db());
    const runId = await ranThread("t-anon", ANON);
    await expectUnknown("t-anon", runId, "ada");
    expect((await core.threads.get("t-anon", ANON)).owner).toBe(ANON);
  });
});
