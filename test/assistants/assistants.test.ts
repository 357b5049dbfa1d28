import { afterEach, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/errors.js";
import { systemAssistantId } from "../../src/assistants/index.js";
import { prepareMemory } from "../../src/memory/index.js";
import { ANONYMOUS_OWNER as ANON } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { openTestCore, pacedRequest } from "../runs/helpers.js";

describeBackends("assistants", (db) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.runs.close();
    core = undefined;
  });

  it("gives every graph a system assistant with LangGraph's id, reachable by id or graph id", async () => {
    core = await openTestCore(db());
    const system = await core.assistants.search({ metadata: { created_by: "system" } }, "ada");
    expect(system.map((a) => a.graphId).sort()).toEqual(["asking", "banking", "echo", "paced", "paused", "slow"]);
    // uuid5("banking", 6ba7b821-9dad-11d1-80b4-00c04fd430c8), as LangGraph's server computes it.
    const banking = await core.assistants.get("banking", "ada");
    expect(banking.assistantId).toBe("e4b1803e-a596-5442-ad16-d56564bfaecc");
    expect(banking).toMatchObject({ name: "banking", version: 1, metadata: { created_by: "system" } });
    expect(await core.assistants.get(banking.assistantId, ANON)).toEqual(banking);
    // Opening again keeps them as they are.
    await core.assistants.syncSystemAssistants();
    expect(await core.assistants.count({ metadata: { created_by: "system" } }, "ada")).toBe(6);
  });

  it("creates, searches, versions, sets the latest and deletes an owner's assistants", async () => {
    core = await openTestCore(db());
    const a = await core.assistants.create({ graphId: "paced", name: "quick pacer", config: { configurable: { pace_ms: 0 } }, metadata: { team: "x" } }, "ada");
    expect(a.version).toBe(1);
    await expect(core.assistants.create({ assistantId: a.assistantId, graphId: "paced" }, "ada")).rejects.toThrow(ConflictError);
    expect((await core.assistants.create({ assistantId: a.assistantId, graphId: "paced", ifExists: "do_nothing" }, "ada")).assistantId).toBe(a.assistantId);
    const v2 = await core.assistants.update(a.assistantId, { name: "Pacer", metadata: { tier: "gold" } }, "ada");
    expect(v2).toMatchObject({ version: 2, name: "Pacer", metadata: { team: "x", tier: "gold" }, config: { configurable: { pace_ms: 0 } } });
    expect((await core.assistants.versions(a.assistantId, {}, "ada")).map((v) => [v.version, v.name])).toEqual([[2, "Pacer"], [1, "quick pacer"]]);
    expect((await core.assistants.setLatest(a.assistantId, 1, "ada")).name).toBe("quick pacer");
    expect((await core.assistants.search({ name: "quick", graphId: "paced" }, "ada")).map((x) => x.assistantId)).toEqual([a.assistantId]);
    expect(await core.assistants.search({ metadata: { team: "x" } }, "bob")).toEqual([]);
    await expect(core.assistants.get(a.assistantId, "bob")).rejects.toThrow(NotFoundError);
    await expect(core.assistants.update(a.assistantId, { name: "mine" }, "bob")).rejects.toThrow(NotFoundError);
    const page = await core.assistants.search({ sortBy: "name", sortOrder: "asc", limit: 2, offset: 1 }, "ada");
    expect(page.map((x) => x.name)).toEqual(["banking", "echo"]); // asking, banking, echo, paced, paused, quick pacer, slow
    await core.assistants.delete(a.assistantId, "ada");
    await expect(core.assistants.get(a.assistantId, "ada")).rejects.toThrow(NotFoundError);
    expect((await db().pool.query("SELECT count(*)::int AS n FROM assistant_versions WHERE assistant_id = $1", [a.assistantId])).rows[0].n).toBe(0);
  });

  it("refuses an unknown graph, a bad sort and edits of a system assistant by a named user", async () => {
    core = await openTestCore(db());
    await expect(core.assistants.create({ graphId: "nope" }, "ada")).rejects.toThrow(/unknown graph "nope"/);
    await expect(core.assistants.search({ sortBy: "name; DROP TABLE x" as never }, "ada")).rejects.toThrow(InvalidInputError);
    await expect(core.assistants.update("banking", { name: "mine" }, "ada")).rejects.toThrow(/system assistant/);
    expect((await core.assistants.update("banking", { description: "The bank" }, ANON)).version).toBe(2);
  });

  it("moves memory kept under a graph id to the graph's system assistant at start-up", async () => {
    await prepareMemory(db());
    await db().pool.query(
      "INSERT INTO memory_blocks (assistant_id, user_id, label, value, char_limit) VALUES ('banking', 'ada', 'human', 'Ada', 100)",
    );
    core = await openTestCore(db());
    const { rows } = await db().pool.query("SELECT assistant_id, value FROM memory_blocks");
    expect(rows).toEqual([{ assistant_id: systemAssistantId("banking"), value: "Ada" }]);
  });

  it("runs with an assistant's config under the request's", async () => {
    core = await openTestCore(db());
    const a = await core.assistants.create({ graphId: "paced", config: { configurable: { fail_at: "s2" } } }, ANON);
    const failing = await core.runs.create({ threadId: "t1", assistantId: a.assistantId, request: { input: { label: "a" }, ifNotExists: "create" } }, ANON);
    expect((await core.runs.execute(failing.runId)).error?.node).toBe("s2");
    const fixed = await core.runs.create({ threadId: "t2", assistantId: a.assistantId, request: pacedRequest("a", { config: { configurable: { fail_at: "none" } } }) }, ANON);
    expect((await core.runs.execute(fixed.runId)).status).toBe("success");
  });
});
