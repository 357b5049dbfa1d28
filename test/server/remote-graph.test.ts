import { Annotation, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { RemoteGraph } from "@langchain/langgraph/remote";
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/db.js";
import { serverPerTest } from "./helpers.js";

describeBackends("server: RemoteGraph", (db) => {
  const start = serverPerTest(db);

  it("invokes and streams a served graph, on its own and as a subgraph of a local graph", async () => {
    const s = await start();
    const remote = new RemoteGraph({ graphId: "paced", url: s.url, client: s.client });
    expect(await remote.invoke({ label: "r" })).toMatchObject({ log: ["r:s1", "r:s2", "r:s3", "r:s4", "r:s5", "r:s6"] });
    const updates = [];
    for await (const chunk of await remote.stream({ label: "u" }, { streamMode: "updates" })) updates.push(chunk);
    expect(updates.map((u) => Object.keys(u as object)[0])).toEqual(["s1", "s2", "s3", "s4", "s5", "s6"]);

    const State = Annotation.Root({ label: Annotation<string>, log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const local = new StateGraph(State)
      .addNode("before", () => ({ log: ["local:before"] }))
      .addNode("served", remote)
      .addEdge(START, "before")
      .addEdge("before", "served")
      .addEdge("served", END)
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "local-1" } };
    const out = await local.invoke({ label: "l" }, config);
    expect(out.log).toEqual(["local:before", "local:before", "l:s1", "l:s2", "l:s3", "l:s4", "l:s5", "l:s6"]);
    // The remote side ran on a thread of the same id, as RemoteGraph asks.
    const thread = await s.client.threads.getState("local-1");
    expect((thread.values as { log: string[] }).log.slice(-6)).toEqual(["l:s1", "l:s2", "l:s3", "l:s4", "l:s5", "l:s6"]);

    const streamed: [string[], unknown][] = [];
    for await (const [ns, chunk] of await local.stream({ label: "m" }, { configurable: { thread_id: "local-2" }, streamMode: "updates", subgraphs: true })) streamed.push([ns, chunk]);
    expect(streamed.some(([ns, chunk]) => ns.length === 1 && ns[0]!.startsWith("served") && "s3" in (chunk as object))).toBe(true);
  });
});
