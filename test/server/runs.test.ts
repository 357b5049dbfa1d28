import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { collect, serverPerTest, type TestServer } from "./helpers.js";

describeBackends("server: runs through the SDK", (db) => {
  const start = serverPerTest(db);

  it("creates a run in the background, joins it, gets and lists it", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    let created: { run_id: string; thread_id?: string } | undefined;
    const run = await client.runs.create(t.thread_id, "paced", { input: { label: "a" }, metadata: { why: "test" }, onRunCreated: (m) => (created = m) });
    expect(created).toEqual({ run_id: run.run_id, thread_id: t.thread_id });
    // Created already running: the server's worker had a loop free, so the run started here at once.
    expect(run).toMatchObject({ thread_id: t.thread_id, status: "running", metadata: { why: "test" }, multitask_strategy: "reject" });
    const out = (await client.runs.join(t.thread_id, run.run_id)) as { log: string[] };
    expect(out.log).toEqual(["a:s1", "a:s2", "a:s3", "a:s4", "a:s5", "a:s6"]);
    expect((await client.runs.get(t.thread_id, run.run_id)).status).toBe("success");
    expect((await client.runs.list(t.thread_id)).map((r) => r.run_id)).toEqual([run.run_id]);
    expect((await client.threads.get(t.thread_id)).status).toBe("idle");
  });

  it("streams every mode, several at once, the metadata event first and every event with an id", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const events = await collect(
      client.runs.stream(t.thread_id, "chat", {
        input: { messages: [{ role: "user", content: "hi" }] },
        streamMode: ["values", "updates", "messages-tuple", "debug", "checkpoints", "tasks", "custom"],
      }),
    );
    expect(events[0]!.event).toBe("metadata");
    expect(events[0]!.data.run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.every((e) => /^\d+$/.test(e.id ?? ""))).toBe(true);
    const names = new Set(events.map((e) => e.event));
    for (const mode of ["values", "updates", "messages", "debug", "checkpoints", "tasks"]) expect(names).toContain(mode);
    const tokens = events.filter((e) => e.event === "messages").map((e) => e.data[0].content).join("");
    expect(tokens).toBe("hello from the model");
    expect(events.find((e) => e.event === "messages")!.data[1]).toMatchObject({ langgraph_node: "model" });
    const checkpoint = events.find((e) => e.event === "debug" && e.data.type === "checkpoint" && e.data.payload.parent_checkpoint)!.data.payload;
    expect(checkpoint.checkpoint).toMatchObject({ thread_id: t.thread_id, checkpoint_ns: "", checkpoint_id: expect.any(String) });
    expect(checkpoint.metadata).toMatchObject({ source: "loop", step: expect.any(Number) });
    expect(Object.keys(checkpoint.config.configurable).some((k) => k.startsWith("__"))).toBe(false);
    const last = events.filter((e) => e.event === "values").at(-1)!.data;
    expect(last.messages.map((m: { type: string }) => m.type)).toEqual(["human", "ai"]);
  });

  it("streams the API's message events, every callback event, custom events and subgraph events", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const events = await collect(client.runs.stream(t.thread_id, "chat", { input: { messages: [{ role: "user", content: "hi" }] }, streamMode: ["messages", "events"] }));
    const partial = events.filter((e) => e.event === "messages/partial");
    expect(partial.at(-1)!.data[0].content).toBe("hello from the model");
    expect(events.filter((e) => e.event === "messages/metadata")).toHaveLength(1);
    expect(events.filter((e) => e.event === "messages/complete").flatMap((e) => e.data.map((m: { type: string }) => m.type))).toEqual(["human", "ai"]);
    expect(events.some((e) => e.event === "events" && e.data.event === "on_chat_model_stream")).toBe(true);

    const n = await client.threads.create();
    const nested = await collect(client.runs.stream(n.thread_id, "nested", { input: { topic: "owls" }, streamMode: ["updates", "custom"], streamSubgraphs: true }));
    expect(nested.find((e) => e.event === "custom")!.data).toEqual({ stage: "prepare", topic: "owls" });
    expect(nested.some((e) => /^updates\|writer:/.test(e.event) && "draft" in e.data)).toBe(true);
  });

  it("resumes an interrupt with a Command by thread id: resume, update and goto", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const asked = (await client.runs.wait(t.thread_id, "chat", { input: { messages: [{ role: "user", content: "please approve" }] } })) as Record<string, any>;
    expect(asked.__interrupt__[0].value).toEqual({ question: "approve?" });
    expect((await client.threads.get(t.thread_id)).status).toBe("interrupted");
    const done = (await client.runs.wait(t.thread_id, "chat", { command: { resume: "yes" } })) as { messages: { content: string }[] };
    expect(done.messages.map((m) => m.content)).toEqual(["please approve", "approval: yes", "hello from the model"]);

    const u = await client.threads.create();
    await client.runs.wait(u.thread_id, "asking", { input: {} });
    const updated = (await client.runs.wait(u.thread_id, "asking", { command: { resume: "Ada", update: { label: "patched" } } })) as Record<string, unknown>;
    expect(updated).toMatchObject({ answer: "Ada", label: "patched" });

    const g = await client.threads.create();
    const stopped = (await client.runs.wait(g.thread_id, "paced", { input: { label: "g" }, interruptBefore: ["s2"] })) as { log: string[] };
    expect(stopped.log).toEqual(["g:s1"]);
    expect((await client.threads.getState(g.thread_id)).next).toEqual(["s2"]);
    const goneOn = (await client.runs.wait(g.thread_id, "paced", {})) as { log: string[] };
    expect(goneOn.log).toHaveLength(6);
    const jumped = (await client.runs.wait(g.thread_id, "paced", { command: { goto: "s5" } })) as { log: string[] };
    expect(jumped.log.slice(6)).toEqual(["g:s5", "g:s6"]);
    await expect(client.runs.wait(g.thread_id, "paced", { command: { resume: "x" }, strictResume: true } as never)).rejects.toThrow(/409/);
  });

  it("applies the four multitask strategies to a busy thread", async () => {
    const s = await start();
    const { client, core } = s;
    const slow = { input: { label: "a" }, config: { configurable: { pace_ms: 80 } } };
    const t = await client.threads.create();
    const first = await client.runs.create(t.thread_id, "paced", slow);
    await expect(client.runs.create(t.thread_id, "paced", { input: { label: "b" } })).rejects.toThrow(/409/);
    const queued = await client.runs.create(t.thread_id, "paced", { input: { label: "b" }, multitaskStrategy: "enqueue" });
    await client.runs.join(t.thread_id, queued.run_id);
    const log = ((await client.threads.getState(t.thread_id)).values as { log: string[] }).log;
    expect(log.map((e) => e[0]).join("")).toBe("aaaaaabbbbbb");
    expect((await client.runs.get(t.thread_id, first.run_id)).status).toBe("success");

    const i = await client.threads.create();
    const stopped = await client.runs.create(i.thread_id, "paced", slow);
    await waitForStep(client, i.thread_id, 2);
    const interrupting = await client.runs.create(i.thread_id, "paced", { input: { label: "b" }, multitaskStrategy: "interrupt" });
    await client.runs.join(i.thread_id, interrupting.run_id);
    expect((await client.runs.get(i.thread_id, stopped.run_id)).status).toBe("interrupted");
    const kept = ((await client.threads.getState(i.thread_id)).values as { log: string[] }).log;
    expect(kept.filter((e) => e.startsWith("a:")).length).toBeGreaterThanOrEqual(2);
    expect(kept.filter((e) => e.startsWith("b:"))).toHaveLength(6);

    const r = await client.threads.create();
    const rolled = await client.runs.create(r.thread_id, "paced", slow);
    await waitForStep(client, r.thread_id, 2);
    const rollingBack = await client.runs.create(r.thread_id, "paced", { input: { label: "b" }, multitaskStrategy: "rollback" });
    await client.runs.join(r.thread_id, rollingBack.run_id);
    await expect(client.runs.get(r.thread_id, rolled.run_id)).rejects.toThrow(/404/);
    expect(((await client.threads.getState(r.thread_id)).values as { log: string[] }).log.every((e) => e.startsWith("b:"))).toBe(true);
    const { rows } = await core.db.pool.query("SELECT count(*)::int AS n FROM tl_checkpoints WHERE thread_id = $1 AND run_id = $2", [r.thread_id, rolled.run_id]);
    expect(rows[0].n).toBe(0);
  });

  it("cancels a run with interrupt (progress kept) or rollback (nothing of it left)", async () => {
    const s = await start();
    const { client, core } = s;
    const t = await client.threads.create();
    const run = await client.runs.create(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 80 } } });
    await waitForStep(client, t.thread_id, 2);
    await client.runs.cancel(t.thread_id, run.run_id, true, "interrupt");
    expect((await client.runs.get(t.thread_id, run.run_id)).status).toBe("interrupted");
    const kept = ((await client.threads.getState(t.thread_id)).values as { log: string[] }).log.length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(6);

    const second = await client.runs.create(t.thread_id, "paced", { input: { label: "b" }, config: { configurable: { pace_ms: 80 } } });
    await waitForStep(client, t.thread_id, kept + 1);
    await client.runs.cancel(t.thread_id, second.run_id, true, "rollback");
    await expect(client.runs.get(t.thread_id, second.run_id)).rejects.toThrow(/404/);
    expect(((await client.threads.getState(t.thread_id)).values as { log: string[] }).log).toHaveLength(kept);
    const { rows } = await core.db.pool.query("SELECT count(*)::int AS n FROM tl_checkpoint_writes WHERE thread_id = $1 AND run_id = $2", [t.thread_id, second.run_id]);
    expect(rows[0].n).toBe(0);
    // The interrupted run's next steps are still due, as LangGraph reports such a thread.
    expect((await client.threads.get(t.thread_id)).status).toBe("interrupted");
  });

  it("joins a run's stream from the event after Last-Event-ID, exactly", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const all = await collect(client.runs.stream(t.thread_id, "paced", { input: { label: "a" }, streamMode: ["updates", "values"] }));
    const runId = all[0]!.data.run_id as string;
    const from = all[4]!;
    const rest = await collect(client.runs.joinStream(t.thread_id, runId, { lastEventId: from.id! }));
    expect(rest.map((e) => e.id)).toEqual(all.slice(5).map((e) => e.id));
    expect(rest.map((e) => e.data)).toEqual(all.slice(5).map((e) => e.data));
    const replay = await collect(client.runs.joinStream(t.thread_id, runId, { lastEventId: "-1" }));
    expect(replay.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it("streams a thread's runs one after another to a client that joined the thread", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const controller = new AbortController();
    const seen: { id?: string; event: string; data: any }[] = [];
    const following = (async () => {
      for await (const e of client.threads.joinStream(t.thread_id, { signal: controller.signal })) {
        seen.push(e as never);
        if (seen.filter((x) => x.event === "updates").length === 12) controller.abort();
      }
    })().catch((err: unknown) => {
      if ((err as Error).name !== "AbortError") throw err;
    });
    const a = await client.runs.create(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 20 } }, streamMode: "updates" });
    const b = await client.runs.create(t.thread_id, "paced", { input: { label: "b" }, multitaskStrategy: "enqueue", streamMode: "updates" });
    await following;
    const updates = seen.filter((e) => e.event === "updates");
    expect(updates.map((e) => e.id!.split(":")[0])).toEqual([...Array(6).fill(a.run_id), ...Array(6).fill(b.run_id)]);
    expect(seen.filter((e) => e.event === "metadata").map((e) => e.data.run_id)).toEqual([a.run_id, b.run_id]);
  });

  it("runs stateless runs on a temporary thread, deleted when they end unless kept", async () => {
    const s = await start();
    const { client } = s;
    const out = (await client.runs.wait(null, "paced", { input: { label: "x" } })) as { log: string[] };
    expect(out.log).toHaveLength(6);
    // The interrupt it stopped at comes with the output, though its thread is gone.
    expect(await client.runs.wait(null, "asking", { input: {} })).toMatchObject({ __interrupt__: [{ value: { question: "name?" } }] });
    const streamed = await collect(client.runs.stream(null, "paced", { input: { label: "y" }, streamMode: "updates" }));
    expect(streamed.filter((e) => e.event === "updates")).toHaveLength(6);
    expect(await client.threads.count()).toBe(0);
    const kept = await client.runs.create(null, "paced", { input: { label: "z" }, onCompletion: "keep" } as never);
    await waitUntil(async () => (await client.threads.count({ status: "idle" })) === 1);
    expect(((await client.threads.getState(kept.thread_id)).values as { log: string[] }).log).toHaveLength(6);
    const batch = await client.runs.createBatch([{ assistantId: "paced", input: { label: "p" } }, { assistantId: "paced", input: { label: "q" } }] as never);
    expect(batch).toHaveLength(2);
  });

  it("refuses what it does not support, and reports a failing node", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const post = (body: object) => fetch(`${s.url}/threads/${t.thread_id}/runs`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    for (const [body, message] of [
      [{ assistant_id: "paced", webhook: "http://example.com/hook" }, /webhook/],
      [{ assistant_id: "paced", feedback_keys: ["x"] }, /feedback_keys/],
      [{ assistant_id: "paced", colour: "red" }, /colour/],
      [{ assistant_id: "paced", stream_mode: "everything" }, /stream_mode/],
      [{ assistant_id: "paced", input: { label: "a", nope: 1 } }, /nope/],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    expect((await post({ assistant_id: "nope" })).status).toBe(404);
    await expect(client.runs.wait("no-thread", "paced", { input: { label: "a" } })).rejects.toThrow(/404/);
    const created = (await client.runs.wait("new-thread", "paced", { input: { label: "a" }, ifNotExists: "create" })) as { log: string[] };
    expect(created.log).toHaveLength(6);
    await expect(client.runs.wait(t.thread_id, "paced", { input: { label: "fail:s3" } })).rejects.toThrow(/node "s3" failed: s3 is broken/);
    expect((await client.threads.get(t.thread_id)).status).toBe("error");
    expect((await client.runs.list(t.thread_id))[0]).toMatchObject({ status: "error", error: { node: "s3" } });
  });

  it("cancels a streamed run whose client goes away when it asked for on_disconnect=cancel", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const controller = new AbortController();
    let runId = "";
    const stream = client.runs.stream(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 100 } }, onDisconnect: "cancel", signal: controller.signal, streamMode: "updates" });
    for await (const e of stream) {
      if (e.event === "metadata") runId = (e.data as { run_id: string }).run_id;
      if (e.event === "updates") break;
    }
    controller.abort();
    await waitUntil(async () => (await client.runs.get(t.thread_id, runId)).status === "interrupted");
    expect(((await client.threads.getState(t.thread_id)).values as { log: string[] }).log.length).toBeLessThan(6);
  });

  it("keeps serving when a client waiting on a run goes away before it ends", async () => {
    const s = await start();
    const { client } = s;
    const t = await client.threads.create();
    const gone = new AbortController();
    const waiting = client.runs.wait(t.thread_id, "paced", { input: { label: "a" }, config: { configurable: { pace_ms: 300 } }, signal: gone.signal });
    setTimeout(() => gone.abort(), 200);
    await expect(waiting).rejects.toThrow();
    // The wait's keepalive would have written after the client went (every second): the server must still answer.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await (await fetch(`${s.url}/ok`)).json()).toEqual({ ok: true });
    const [run] = await client.runs.list(t.thread_id);
    expect((await client.runs.join(t.thread_id, run!.run_id)) as { log: string[] }).toMatchObject({ log: expect.arrayContaining(["a:s6"]) });
  });
});

async function waitForStep(client: TestServer["client"], threadId: string, steps: number): Promise<void> {
  await waitUntil(async () => (((await client.threads.getState(threadId)).values as { log?: string[] }).log?.length ?? 0) >= steps);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
