import { resolve } from "node:path";
import { expect, it } from "vitest";
import { driveRun, interruptsOf, type RunAction } from "../src/cli/drive.js";
import { openCore, type Core } from "../src/core.js";
import { InvalidInputError, NotFoundError } from "../src/errors.js";
import { loadProject } from "../src/graph/project.js";
import { ANONYMOUS_OWNER } from "../src/owners.js";
import { describeBackends } from "./helpers/db.js";

const project = await loadProject(resolve(import.meta.dirname, "../langgraph.json"));
const ask = { kind: "input", input: { message: "What's my balance?" } } as const;
const pin = (value: string) => ({ kind: "resume", value }) as const;

/** One run on a thread as the CLI drives it, with the outcome flattened as `run --json` prints it. */
async function run(core: Core, threadId: string, action: RunAction, graphId = "banking") {
  const outcome = await driveRun(core, { graphId, threadId, owner: ANONYMOUS_OWNER, action, streamModes: ["values"] });
  return { status: outcome.status, values: outcome.state.values, next: outcome.state.next, interrupts: interruptsOf(outcome.state) };
}

describeBackends("banking flow", (db) => {
  // openCore migrates on the test's schema; closing the core would close
  // the test's connection, which the harness does itself.
  const open = () => openCore({ db: db(), project });

  it("asks for the PIN, then answers the balance and completes", async () => {
    const core = await open();
    const first = await run(core, "t1", ask);
    expect(first.status).toBe("interrupted");
    expect(first.values).toMatchObject({ intent: "balance_check", status: "awaiting_auth" });
    expect(first.interrupts).toEqual([
      { id: expect.any(String), value: { prompt: "Enter the PIN for account ACC-1001.", account_id: "ACC-1001", attempts_left: 3 } },
    ]);

    const done = await run(core, "t1", pin("1234"));
    expect(done.status).toBe("complete");
    expect(done.values).toMatchObject({
      status: "complete",
      balance: { amount: "2543.10", currency: "EUR" },
      reply: "The balance of ACC-1001 is 2543.10 EUR.",
    });
    expect(done.next).toEqual([]);
  });

  it("locks the session after three wrong PINs and refuses the right one afterwards", async () => {
    const core = await open();
    await run(core, "t2", ask);
    const second = await run(core, "t2", pin("0000"));
    expect(second.interrupts[0]!.value).toMatchObject({ attempts_left: 2 });
    await run(core, "t2", pin("9999"));
    const locked = await run(core, "t2", pin("1111"));
    expect(locked.status).toBe("complete");
    expect(locked.values).toMatchObject({ status: "locked", attempts: 3, balance: null });

    await expect(run(core, "t2", pin("1234"))).rejects.toThrow(/not waiting for input/);
    const again = await run(core, "t2", ask);
    expect(again.values).toMatchObject({ status: "locked", reply: expect.stringMatching(/locked/) });
    expect(again.interrupts).toEqual([]);
  });

  it("keeps separate threads apart and uses the account given", async () => {
    const core = await open();
    await run(core, "a", { kind: "input", input: { message: "balance", account_id: "ACC-1002" } });
    await run(core, "b", ask);
    const a = await run(core, "a", pin("4321"));
    expect(a.values).toMatchObject({ reply: "The balance of ACC-1002 is 12000.00 GBP." });
    expect((await core.threads.state("b", ANONYMOUS_OWNER)).values).toMatchObject({ status: "awaiting_auth" });
  });

  it("answers other intents and unknown accounts without asking for a PIN", async () => {
    const core = await open();
    const other = await run(core, "o", { kind: "input", input: { message: "open a new card" } });
    expect(other.values).toMatchObject({ intent: "unknown", status: "complete" });
    const missing = await run(core, "m", { kind: "input", input: { message: "balance", account_id: "ACC-9999" } });
    expect(missing.values).toMatchObject({ status: "complete", reply: "There is no account ACC-9999." });
  });

  it("rejects bad requests with typed errors and writes nothing", async () => {
    const core = await open();
    await expect(run(core, "nope", pin("1234"))).rejects.toBeInstanceOf(NotFoundError);
    await expect(run(core, "x", { kind: "input", input: { message: "" } })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(run(core, "x", { kind: "input", input: { message: "hi", account_id: "42" } })).rejects.toThrow(/account_id/);
    await expect(run(core, "bad id!", ask)).rejects.toThrow(/invalid thread id/);
    // The CLI names the graph (see cli.test.ts); the core looks it up as an assistant id or a graph id.
    await expect(run(core, "x", ask, "nosuch")).rejects.toThrow(/unknown assistant "nosuch"/);
    const threads = [];
    for await (const thread of core.threads.list()) threads.push(thread);
    expect(threads).toEqual([]);
  });

  it("refuses new input while the thread waits for a PIN", async () => {
    const core = await open();
    await run(core, "w", ask);
    await expect(run(core, "w", ask)).rejects.toThrow(/waiting for input/);
  });

  it("shows state, pending interrupt and checkpoint history", async () => {
    const core = await open();
    await run(core, "h", ask);
    // What `threadline threads show` reads.
    const thread = await core.threads.get("h", ANONYMOUS_OWNER);
    const state = await core.threads.state("h", ANONYMOUS_OWNER);
    const history = await core.threads.history("h", ANONYMOUS_OWNER, { limit: 100 });
    expect(thread).toMatchObject({ threadId: "h", graphId: "banking" });
    expect(state.next).toEqual(["ask_pin"]);
    expect(interruptsOf(state)).toHaveLength(1);
    expect(history.map((h) => h.metadata.step)).toEqual([1, 0, -1]);
    expect(history[0]!.parentCheckpoint!.checkpointId).toBe(history[1]!.checkpoint!.checkpointId);
    await expect(core.threads.get("missing", ANONYMOUS_OWNER)).rejects.toBeInstanceOf(NotFoundError);
  });
});
