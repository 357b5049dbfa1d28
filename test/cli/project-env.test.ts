import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyProjectEnv, readEnvironment } from "../../src/cli/env.js";
import { main } from "../../src/cli/main.js";
import { BACKENDS } from "../helpers/db.js";
import { cliSandbox, jsonOf, type CliResult, type CliSandbox } from "../helpers/cli.js";

const ROOT = resolve(import.meta.dirname, "../..");

// Read as the module loads and again as its node runs: both must see the project's env.
const GRAPH = `import { Annotation, START, StateGraph } from "@langchain/langgraph";
const atImport = process.env.TL_TEST_GREETING ?? null;
const State = Annotation.Root({ ask: Annotation<string>, atImport: Annotation<string | null>, atRun: Annotation<string | null>, region: Annotation<string | null> });
export const graph = new StateGraph(State)
  .addNode("read", () => ({ atImport, atRun: process.env.TL_TEST_GREETING ?? null, region: process.env.TL_TEST_REGION ?? null }))
  .addEdge(START, "read")
  .compile();
`;

/**
 * Runs main() as src/cli.ts does, on this process's own environment (the
 * one graph modules read), with `env` in it for the call's length.
 */
async function mainOnProcessEnv(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let stdout = "";
  let stderr = "";
  try {
    const code = await main(args, readEnvironment(process.env), {
      out: (line) => (stdout += `${line}\n`),
      err: (line) => (stderr += `${line}\n`),
      input: Readable.from([]),
    });
    return { code, signal: null, stdout, stderr };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe.each(BACKENDS)("langgraph.json env through the CLI [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  let dir: string;

  // A folder of its own per test: a module is imported once per path.
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "threadline-project-env-"));
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(dir, "graph.ts"), GRAPH);
    await writeFile(join(dir, "app.env"), "TL_TEST_GREETING=hello from .env\nTL_TEST_REGION=eu-west-1\n");
    await writeFile(join(dir, "langgraph.json"), JSON.stringify({ graphs: { reader: "./graph.ts:graph" }, env: "./app.env" }));
    sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: join(dir, "langgraph.json") });
  });
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const run = (env: NodeJS.ProcessEnv) => mainOnProcessEnv(["run", "reader", "--thread", "e1", "--input", '{"ask":"env"}', "--json"], env);

  it("is in the environment before the graph module loads, and while its nodes run", async () => {
    delete sandbox!.env.TL_TEST_GREETING;
    delete sandbox!.env.TL_TEST_REGION;
    const out = jsonOf(await run(sandbox!.env));
    expect(out.values).toMatchObject({ atImport: "hello from .env", atRun: "hello from .env", region: "eu-west-1" });
    expect(process.env.TL_TEST_GREETING).toBeUndefined();
  });

  it("never overrides a variable the process was started with", async () => {
    const out = jsonOf(await run({ ...sandbox!.env, TL_TEST_REGION: "from the shell", TL_TEST_GREETING: "" }));
    expect(out.values).toMatchObject({ atImport: "", atRun: "", region: "from the shell" });
  });
});

describe("applyProjectEnv", () => {
  it("sets only what is unset, and says which", () => {
    const env: NodeJS.ProcessEnv = { KEPT: "mine", EMPTY: "" };
    expect(applyProjectEnv({ env: { KEPT: "theirs", EMPTY: "theirs", NEW: "theirs" } }, env)).toEqual(["NEW"]);
    expect(env).toEqual({ KEPT: "mine", EMPTY: "", NEW: "theirs" });
  });

  it("gives the CLI's model settings what the project's env adds, never its database settings", () => {
    const env: NodeJS.ProcessEnv = { THREADLINE_DATA_DIR: "/data/own" };
    const cli = readEnvironment(env);
    cli.applyProject({ env: { OPENAI_BASE_URL: "http://localhost:11434/v1", DATABASE_URL: "postgres://elsewhere/db", THREADLINE_DATA_DIR: "/data/theirs" } });
    expect(cli.model()).toMatchObject({ baseURL: "http://localhost:11434/v1" });
    expect(cli.database()).toMatchObject({ url: undefined, dataDir: "/data/own" });
  });
});
