import { afterEach, expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { startTestServer, type TestServer } from "./helpers.js";

describeBackends("server: shutting down", (db) => {
  let servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers) await s.close();
    servers = [];
  });

  it("hands a run in progress back to the queue, and the next server continues it from its last saved step", async () => {
    const first = await startTestServer(db());
    servers.push(first);
    const t = await first.client.threads.create();
    const run = await first.client.runs.create(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 150 } } });
    for (let done = 0; done < 2; ) {
      await new Promise((r) => setTimeout(r, 20));
      done = (((await first.client.threads.getState(t.thread_id)).values as { log?: string[] }).log ?? []).length;
    }
    await first.server.close({ graceMs: 0 });
    const handedBack = await first.core.runs.get(run.run_id, "~anonymous");
    expect(handedBack).toMatchObject({ status: "pending", attempt: 1 });
    expect((await first.core.threads.get(t.thread_id, "~anonymous")).status).toBe("busy");

    const second = await startTestServer(db());
    servers.push(second);
    const out = (await second.client.runs.join(t.thread_id, run.run_id)) as { log: string[] };
    // Each node once: the second attempt went on from the saved steps and did not apply the input again.
    expect(out.log).toEqual(["a:s1", "a:s2", "a:s3", "a:s4", "a:s5", "a:s6"]);
    expect(await second.client.runs.get(t.thread_id, run.run_id)).toMatchObject({ status: "success", attempt: 2 });
    // The stream of the run carries both attempts, numbered on.
    const events = [];
    for await (const e of second.client.runs.joinStream(t.thread_id, run.run_id, { lastEventId: "-1" })) events.push(e);
    expect(events.filter((e) => e.event === "metadata").map((e) => (e.data as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it("lets a run finish within the grace period", async () => {
    const s = await startTestServer(db());
    servers.push(s);
    const t = await s.client.threads.create();
    const run = await s.client.runs.create(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 40 } } });
    while ((await s.client.runs.get(t.thread_id, run.run_id)).status !== "running") await new Promise((r) => setTimeout(r, 10));
    await s.server.close({ graceMs: 10_000 });
    expect(await s.core.runs.get(run.run_id, "~anonymous")).toMatchObject({ status: "success", attempt: 1 });
  });
});
