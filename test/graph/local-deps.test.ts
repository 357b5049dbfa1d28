import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompiledStateGraph, MemorySaver, StateGraph } from "@langchain/langgraph";
import { loadProject } from "../../src/graph/project.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("a graph folder with its own node_modules", () => {
  it("the module resolves its imports from its own folder", async () => {
    const project = await loadProject(resolve(ROOT, "test/fixtures/graphs/local-deps/langgraph.json"));
    const graph = await (await project.load("greeter")).instantiate({}, {});
    expect(await graph.invoke({ name: "Ada" })).toEqual({ name: "Ada", greeting: "hello Ada, from some-local-pkg" });
  });

  describe("with its own copy of @langchain/langgraph", () => {
    let dir: string;

    // A folder whose node_modules holds a copy of @langchain/langgraph (its
    // other packages link to ours): its classes are not the ones this process
    // imported, so only a loader that goes by shape recognises its graphs.
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "threadline-own-langgraph-"));
      const modules = join(dir, "node_modules");
      await mkdir(join(modules, "@langchain"), { recursive: true });
      for (const name of await readdir(join(ROOT, "node_modules"))) {
        if (name === "@langchain" || name.startsWith(".")) continue;
        await symlink(join(ROOT, "node_modules", name), join(modules, name));
      }
      for (const name of await readdir(join(ROOT, "node_modules/@langchain"))) {
        const from = join(ROOT, "node_modules/@langchain", name);
        if (name === "langgraph") await cp(from, join(modules, "@langchain", name), { recursive: true });
        else await symlink(from, join(modules, "@langchain", name));
      }
      await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      await writeFile(
        join(dir, "graphs.ts"),
        [
          'import { Annotation, MemorySaver, START, StateGraph } from "@langchain/langgraph";',
          "const State = Annotation.Root({ n: Annotation<number> });",
          'const builder = () => new StateGraph(State).addNode("inc", (s: { n: number }) => ({ n: s.n + 1 })).addEdge(START, "inc");',
          "export const compiled = builder().compile({ checkpointer: new MemorySaver() });",
          "export const uncompiled = builder();",
          "export const factory = async () => builder();",
        ].join("\n"),
      );
      await writeFile(
        join(dir, "langgraph.json"),
        JSON.stringify({ graphs: { compiled: "./graphs.ts:compiled", uncompiled: "./graphs.ts:uncompiled", factory: "./graphs.ts:factory" } }),
      );
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each(["compiled", "uncompiled", "factory"])("a %s graph from it loads and runs on our checkpointer", async (id) => {
      const project = await loadProject(join(dir, "langgraph.json"));
      const mod = (await import(/* @vite-ignore */ join(dir, "graphs.ts"))) as Record<string, unknown>;
      expect(mod.compiled).not.toBeInstanceOf(CompiledStateGraph);
      expect(mod.uncompiled).not.toBeInstanceOf(StateGraph);
      const checkpointer = new MemorySaver();
      const config = { configurable: { thread_id: `own-${id}` } };
      const graph = await (await project.load(id)).instantiate(config, { checkpointer });
      expect(graph.checkpointer).toBe(checkpointer);
      expect(await graph.invoke({ n: 1 }, config)).toEqual({ n: 2 });
      expect((await checkpointer.getTuple(config))?.checkpoint.channel_values).toMatchObject({ n: 2 });
    });
  });
});
