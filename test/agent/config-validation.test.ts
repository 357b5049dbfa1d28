import { expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { ownerOf } from "../../src/owners.js";
import { describeBackends } from "../helpers/db.js";
import { ScriptedChatModel } from "../helpers/scripted-model.js";
import { openTestCore } from "./setup.js";

describeBackends("agent graph: context options are checked before anything is written", (db) => {
  it("refuses a bad option in an assistant's config, when it is saved and when it is changed", async () => {
    const core = await openTestCore(db(), new ScriptedChatModel([]));
    const ada = ownerOf("ada");
    await expect(core.assistants.create({ graphId: "agent", config: { configurable: { context: { rewriteQuery: "yes" } } } }, ada)).rejects.toThrow(
      /invalid assistant config for graph "agent": context\.rewriteQuery: .*boolean/,
    );
    const good = await core.assistants.create({ graphId: "agent", config: { configurable: { context: { rewriteQuery: true, windowTurns: 3 } } } }, ada);
    await expect(core.assistants.update(good.assistantId, { config: { configurable: { context: { strategy: "everything" } } } }, ada)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect((await core.assistants.get(good.assistantId, ada)).config).toEqual({ configurable: { context: { rewriteQuery: true, windowTurns: 3 } } });
  });

  it("refuses a run whose config carries a bad option, leaving no thread, run or memory behind", async () => {
    const core = await openTestCore(db(), new ScriptedChatModel(["never called"]));
    const request = { input: { messages: [{ role: "user", content: "hi" }] }, config: { configurable: { context: { budget: { total: -1 } } } } };
    await expect(core.runs.create({ threadId: "t1", assistantId: "agent", request }, ownerOf("ada"))).rejects.toThrow(/context\.budget\.total/);
    for (const table of ["threads", "runs", "memory_messages"]) {
      const { rows } = await db().pool.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect([table, rows[0].n]).toEqual([table, 0]);
    }
  });
});
