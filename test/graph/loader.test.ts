import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import { InMemoryStore } from "@langchain/langgraph-checkpoint";
import { loadProject } from "../../src/graph/project.js";
import { ConfigurationError, NotFoundError } from "../../src/errors.js";
import * as kinds from "../fixtures/graphs/kinds/graphs.js";

const KINDS = resolve(import.meta.dirname, "../fixtures/graphs/kinds");
const project = await loadProject(resolve(KINDS, "langgraph.json"));

function run(threadId: string, configurable: Record<string, unknown> = {}) {
  return { configurable: { thread_id: threadId, ...configurable } };
}

async function threadsIn(saver: MemorySaver): Promise<string[]> {
  const ids = new Set<string>();
  for await (const tuple of saver.list({})) ids.add(String(tuple.config.configurable?.thread_id));
  return [...ids].sort();
}

describe("graph exports, as LangGraph's CLI loads them", () => {
  it("describes the module: id, absolute file, export name, and no default text input", async () => {
    const loaded = await project.load("compiled");
    expect(loaded).toMatchObject({ id: "compiled", file: resolve(KINDS, "graphs.ts"), exportName: "compiled", requiresChatModel: false });
    expect(loaded.textInput).toBeUndefined();
    expect(loaded.migrations).toBeUndefined();
    expect(project.root).toBe(KINDS);
    expect(project.file).toBe(resolve(KINDS, "langgraph.json"));
    expect(project.env).toEqual({});
  });

  it("a compiled graph runs on the attached checkpointer and store, never on the ones it was compiled with", async () => {
    const loaded = await project.load("compiled");
    const checkpointer = new MemorySaver();
    const store = new InMemoryStore();
    const graph = await loaded.instantiate(run("c1"), { checkpointer, store });
    expect(graph).not.toBe(kinds.compiled);
    expect(graph.checkpointer).toBe(checkpointer);
    expect(graph.store).toBe(store);
    expect(await graph.invoke({}, run("c1"))).toEqual({ visited: ["greet"], greeting: "hello" });
    expect(await threadsIn(checkpointer)).toEqual(["c1"]);
    expect(await threadsIn(kinds.ownSaver)).toEqual([]);
    // The module's own graph is left as it was.
    expect(kinds.compiled.checkpointer).toBe(kinds.ownSaver);
  });

  it("drops the module's checkpointer and store even when nothing is attached", async () => {
    const graph = await (await project.load("compiled")).instantiate(run("c2"), {});
    expect(graph.checkpointer).toBeUndefined();
    expect(graph.store).toBeUndefined();
    expect(await graph.invoke({}, run("c2"))).toEqual({ visited: ["greet"], greeting: "hello" });
    expect(await threadsIn(kinds.ownSaver)).toEqual([]);
  });

  it("reuses one copy per checkpointer and store instead of recompiling", async () => {
    const loaded = await project.load("uncompiled");
    const a = new MemorySaver();
    const b = new MemorySaver();
    const first = await loaded.instantiate(run("u1"), { checkpointer: a });
    expect(await loaded.instantiate(run("u2"), { checkpointer: a })).toBe(first);
    const other = await loaded.instantiate(run("u3"), { checkpointer: b });
    expect(other).not.toBe(first);
    expect(other.checkpointer).toBe(b);
    expect(await first.invoke({}, run("u1"))).toEqual({ visited: ["greet"], greeting: "from a StateGraph" });
    expect(await threadsIn(a)).toEqual(["u1"]);
  });

  it("an uncompiled StateGraph is compiled", async () => {
    const checkpointer = new MemorySaver();
    const graph = await (await project.load("uncompiled")).instantiate(run("u4"), { checkpointer });
    expect(await graph.invoke({}, run("u4"))).toEqual({ visited: ["greet"], greeting: "from a StateGraph" });
    expect((await graph.getState(run("u4"))).values).toEqual({ visited: ["greet"], greeting: "from a StateGraph" });
  });

  it("a promise of a graph is awaited", async () => {
    const checkpointer = new MemorySaver();
    const graph = await (await project.load("promised")).instantiate(run("p1"), { checkpointer });
    expect(await graph.invoke({}, run("p1"))).toEqual({ visited: ["greet"], greeting: "from a promise" });
    expect(await threadsIn(checkpointer)).toEqual(["p1"]);
  });

  it("a sync factory is called for every run with the run's config", async () => {
    const loaded = await project.load("sync_factory");
    const before = kinds.seenConfigs.length;
    const checkpointer = new MemorySaver();
    const config = run("s1", { user_id: "ada" });
    const graph = await loaded.instantiate(config, { checkpointer });
    await loaded.instantiate(run("s2"), { checkpointer });
    expect(kinds.seenConfigs.slice(before)).toEqual([config, run("s2")]);
    expect(await graph.invoke({}, config)).toEqual({ visited: ["greet"], greeting: "from a sync factory" });
    expect(await threadsIn(checkpointer)).toEqual(["s1"]);
  });

  it("an async factory gets the run's config and its compiled-in checkpointer is replaced", async () => {
    const loaded = await project.load("async_factory");
    const checkpointer = new MemorySaver();
    const store = new InMemoryStore();
    const config = run("a1", { greeting: "bonjour" });
    const graph = await loaded.instantiate(config, { checkpointer, store });
    expect(kinds.seenConfigs.at(-1)).toBe(config);
    expect(graph.checkpointer).toBe(checkpointer);
    expect(graph.store).toBe(store);
    expect(await graph.invoke({}, config)).toEqual({ visited: ["greet"], greeting: "bonjour" });
    const again = await loaded.instantiate(run("a2", { greeting: "hallo" }), { checkpointer });
    expect(await again.invoke({}, run("a2"))).toEqual({ visited: ["greet"], greeting: "hallo" });
    expect(await threadsIn(checkpointer)).toEqual(["a1", "a2"]);
    expect(await threadsIn(kinds.ownSaver)).toEqual([]);
  });
});

describe("graph exports that cannot load", () => {
  async function failure(id: string): Promise<ConfigurationError> {
    const err = await project.load(id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).not.toContain("\n");
    return err as ConfigurationError;
  }

  it("an unknown graph id is NotFoundError listing the known ones", async () => {
    await expect(project.load("nope")).rejects.toBeInstanceOf(NotFoundError);
    await expect(project.load("nope")).rejects.toThrow(/unknown graph "nope"; known graphs: compiled, uncompiled/);
    await expect(project.load("toString")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a module that does not exist names its path", async () => {
    const err = await failure("missing_file");
    expect(err.message).toBe(`graph "missing_file": ${resolve(KINDS, "nowhere.ts")} does not exist (langgraph.json: "./nowhere.ts:graph")`);
  });

  it("a missing export lists the exports the module has", async () => {
    const err = await failure("missing_export");
    expect(err.message).toContain(`${resolve(KINDS, "graphs.ts")} has no export named "grpah"`);
    expect(err.message).toContain("it exports asyncFactory, compiled, notAGraph, numberFactory, ownSaver, ownStore, promised");
  });

  it("an export that is not a graph says what it is", async () => {
    expect((await failure("not_a_graph")).message).toMatch(/export "notAGraph" of .*graphs\.ts is a number \(42\), not a graph/);
    expect((await failure("settings")).message).toMatch(/export "settings" of .*graphs\.ts is an object with keys retries, model, not a graph/);
  });

  it("a factory that throws reports its message when the run instantiates it", async () => {
    const loaded = await project.load("throwing_factory");
    const err = await loaded.instantiate(run("x"), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/^graph "throwing_factory": the factory throwingFactory of .*graphs\.ts threw: the factory needs GRAPH_MODEL$/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it("a factory that returns something else says what it returned", async () => {
    const loaded = await project.load("number_factory");
    await expect(loaded.instantiate(run("x"), {})).rejects.toThrow(/the factory numberFactory of .*graphs\.ts returned a number \(7\), not a graph/);
  });

  it("a module that throws while it loads names the file and line", async () => {
    const err = await failure("throws_at_load");
    expect(err.message).toBe(`graph "throws_at_load": cannot load ${resolve(KINDS, "throws.ts")}:6:9: GRAPH_MODEL is not set`);
  });

  it("an export that should be a zod schema and is not is refused at load", async () => {
    expect((await failure("bad_schema")).message).toMatch(/export "inputSchema" of .*bad-schema\.ts is an object with keys type, not a zod schema/);
  });

  it("a failed load is attempted again on the next call", async () => {
    await failure("missing_file");
    await failure("missing_file");
  });
});

describe("the project's own langgraph.json", () => {
  it("loads banking with its migrations under \"banking\" and the agent with its text input", async () => {
    const own = await loadProject(resolve(import.meta.dirname, "../../langgraph.json"));
    const banking = await own.load("banking");
    expect(banking.migrations?.component).toBe("banking");
    expect(banking.migrations?.migrations.map((m) => m.name)).toEqual(["accounts"]);
    const agent = await own.load("agent");
    expect(agent.requiresChatModel).toBe(true);
    expect(agent.textInput?.("hi")).toEqual({ messages: [{ role: "user", content: "hi" }] });
    expect(agent.migrations).toBeUndefined();
  });
});
