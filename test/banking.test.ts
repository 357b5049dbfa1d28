import { resolve } from "node:path";
import { expect, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../src/errors.js";
import { loadProject } from "../src/graph/project.js";
import { Runtime } from "../src/runtime/runtime.js";
import { describeBackends } from "./helpers/db.js";

const project = await loadProject(resolve(import.meta.dirname, "../langgraph.json"));
const ask = { kind: "input", input: { message: "What's my balance?" } } as const;
const pin = (value: string) => ({ kind: "resume", value }) as const;

describeBackends("banking flow", (db) => {
  // Runtime.open migrates on the test's schema; closing the runtime would
  // close the test's connection, which the harness does itself.
  const open = () => Runtime.open({ db: db(), project });

  it("asks for the PIN, then answers the balance and completes", async () => {
    const runtime = await open();
    const first = await runtime.run("banking", "t1", ask);
    expect(first.status).toBe("interrupted");
    expect(first.values).toMatchObject({ intent: "balance_check", status: "awaiting_auth" });
    expect(first.interrupts).toEqual([
      { id: expect.any(String), value: { prompt: "Enter the PIN for account ACC-1001.", account_id: "ACC-1001", attempts_left: 3 } },
    ]);

    const done = await runtime.run("banking", "t1", pin("1234"));
    expect(done.status).toBe("complete");
    expect(done.values).toMatchObject({
      status: "complete",
      balance: { amount: "2543.10", currency: "EUR" },
      reply: "The balance of ACC-1001 is 2543.10 EUR.",
    });
    expect(done.next).toEqual([]);
  });

  it("locks the session after three wrong PINs and refuses the right one afterwards", async () => {
    const runtime = await open();
    await runtime.run("banking", "t2", ask);
    const second = await runtime.run("banking", "t2", pin("0000"));
    expect(second.interrupts[0]!.value).toMatchObject({ attempts_left: 2 });
    await runtime.run("banking", "t2", pin("9999"));
    const locked = await runtime.run("banking", "t2", pin("1111"));
    expect(locked.status).toBe("complete");
    expect(locked.values).toMatchObject({ status: "locked", attempts: 3, balance: null });

    await expect(runtime.run("banking", "t2", pin("1234"))).rejects.toThrow(/not waiting for input/);
    const again = await runtime.run("banking", "t2", ask);
    expect(again.values).toMatchObject({ status: "locked", reply: expect.stringMatching(/locked/) });
    expect(again.interrupts).toEqual([]);
  });

  it("keeps separate threads apart and uses the account given", async () => {
    const runtime = await open();
    await runtime.run("banking", "a", { kind: "input", input: { message: "balance", account_id: "ACC-1002" } });
    await runtime.run("banking", "b", ask);
    const a = await runtime.run("banking", "a", pin("4321"));
    expect(a.values).toMatchObject({ reply: "The balance of ACC-1002 is 12000.00 GBP." });
    expect((await runtime.state("banking", "b")).values).toMatchObject({ status: "awaiting_auth" });
  });

  it("answers other intents and unknown accounts without asking for a PIN", async () => {
    const runtime = await open();
    const other = await runtime.run("banking", "o", { kind: "input", input: { message: "open a new card" } });
    expect(other.values).toMatchObject({ intent: "unknown", status: "complete" });
    const missing = await runtime.run("banking", "m", { kind: "input", input: { message: "balance", account_id: "ACC-9999" } });
    expect(missing.values).toMatchObject({ status: "complete", reply: "There is no account ACC-9999." });
  });

  it("rejects bad requests with typed errors and writes nothing", async () => {
    const runtime = await open();
    await expect(runtime.run("banking", "nope", pin("1234"))).rejects.toBeInstanceOf(NotFoundError);
    await expect(runtime.run("banking", "x", { kind: "input", input: { message: "" } })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runtime.run("banking", "x", { kind: "input", input: { message: "hi", account_id: "42" } })).rejects.toThrow(/account_id/);
    await expect(runtime.run("banking", "bad id!", ask)).rejects.toThrow(/invalid thread id/);
    await expect(runtime.run("nosuch", "x", ask)).rejects.toThrow(/unknown graph "nosuch"/);
    expect(await runtime.threads.list()).toEqual([]);
  });

  it("refuses new input while the thread waits for a PIN", async () => {
    const runtime = await open();
    await runtime.run("banking", "w", ask);
    await expect(runtime.run("banking", "w", ask)).rejects.toThrow(/waiting for input/);
  });

  it("shows state, pending interrupt and checkpoint history", async () => {
    const runtime = await open();
    await runtime.run("banking", "h", ask);
    const view = await runtime.show("h");
    expect(view.thread).toMatchObject({ threadId: "h", graphId: "banking" });
    expect(view.next).toEqual(["ask_pin"]);
    expect(view.interrupts).toHaveLength(1);
    expect(view.history.map((h) => h.step)).toEqual([1, 0, -1]);
    expect(view.history[0]!.parentCheckpointId).toBe(view.history[1]!.checkpointId);
    await expect(runtime.show("missing")).rejects.toBeInstanceOf(NotFoundError);
  });
});
