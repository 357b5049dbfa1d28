import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/graph/project.js";
import { describeLoadFailure } from "../../src/graph/load-errors.js";
import { ConfigurationError } from "../../src/errors.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const CHILD = resolve(ROOT, "test/fixtures/graphs/load-with-tsx.mjs");

// Written at test time: a module that does not parse cannot live among the
// fixtures, which the type check reads. Line 3, column 6 is the "=".
const BROKEN = 'import { StateGraph } from "@langchain/langgraph";\nexport const graph = {\n  b: = 2,\n};\nvoid StateGraph;\n';
const HELPER_BROKEN = "export const x = ;\n";

let dir: string;
let plain: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "threadline-syntax-"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(join(dir, "broken.ts"), BROKEN);
  await writeFile(join(dir, "helper.ts"), HELPER_BROKEN);
  await writeFile(join(dir, "imports-broken.ts"), 'export { x as graph } from "./helper.ts";\n');
  await writeFile(
    join(dir, "langgraph.json"),
    JSON.stringify({ graphs: { broken: "./broken.ts:graph", indirect: "./imports-broken.ts:graph" } }),
  );
  // No package.json saying "type": "module": tsx's ES module hooks alone hand it to CommonJS.
  plain = await mkdtemp(join(tmpdir(), "threadline-cjs-"));
  await writeFile(join(plain, "graph.ts"), "export const graph: number = 1;\n");
  await writeFile(join(plain, "langgraph.json"), JSON.stringify({ graphs: { g: "./graph.ts:graph" } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(plain, { recursive: true, force: true });
});

type Outcome = { ok: boolean; code?: string; message?: string };

// One child process for every tsx case: starting one costs about a second.
let viaTsx: Promise<Outcome[]> | undefined;
async function loadWithTsx(which: number): Promise<Outcome> {
  viaTsx ??= run(
    process.execPath,
    [CHILD, join(dir, "langgraph.json"), "broken", join(dir, "langgraph.json"), "indirect", join(plain, "langgraph.json"), "g"],
    { cwd: ROOT },
  ).then(({ stdout }) => stdout.trim().split("\n").map((line) => JSON.parse(line) as Outcome));
  return (await viaTsx)[which]!;
}

describe("a graph module with a syntax error", () => {
  it("through tsx (the CLI's loader), names the file, line and column and esbuild's reason on one line", async () => {
    const out = await loadWithTsx(0);
    expect(out).toMatchObject({ ok: false, code: "configuration" });
    expect(out.message).toBe(`graph "broken": cannot load ${join(dir, "broken.ts")}:3:6: Unexpected "="`);
  });

  it("through tsx, an error in a module it imports names both", async () => {
    const out = await loadWithTsx(1);
    expect(out.message).toBe(`graph "indirect": cannot load ${join(dir, "imports-broken.ts")}: ${join(dir, "helper.ts")}:1:18: Unexpected ";"`);
  });

  it("through tsx, a folder tsx hands to CommonJS gets a hint instead of a require cycle", async () => {
    const out = await loadWithTsx(2);
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/^graph "g": cannot load .*graph\.ts: no TypeScript loader for it \(ERR_REQUIRE_CYCLE_MODULE\); .*"type": "module"$/);
  });

  it("through Vite (the tests' loader), names the file, line and column", async () => {
    const project = await loadProject(join(dir, "langgraph.json"));
    const err = await project.load("broken").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toBe(`graph "broken": cannot load ${join(dir, "broken.ts")}:3:6: Unexpected token`);
  });
});

describe("describeLoadFailure", () => {
  it("reads esbuild's structured errors (0-based columns) when they survive", () => {
    const err = Object.assign(new Error('Transform failed with 1 error:\n/app/g.ts:3:5: ERROR: Unexpected "="'), {
      errors: [{ text: 'Unexpected "="', location: { file: "/app/g.ts", line: 3, column: 5 } }],
    });
    expect(describeLoadFailure(err)).toEqual({ location: { file: "/app/g.ts", line: 3, column: 6 }, reason: 'Unexpected "="' });
  });

  it("reads Vite's parser report", () => {
    const err = new Error("Parse failure: Parse failed with 1 error:\nUnexpected token\n1: x\n   ^\nAt file: /@fs/app/g.mjs:3:5");
    expect(describeLoadFailure(err)).toEqual({ location: { file: "/app/g.mjs", line: 3, column: 6 }, reason: "Unexpected token" });
  });

  it("keeps a resolution error's message without pointing into the loader", () => {
    const err = Object.assign(new Error("Cannot find package 'nope' imported from /app/g.ts"), { code: "ERR_MODULE_NOT_FOUND" });
    expect(describeLoadFailure(err)).toEqual({ reason: "Cannot find package 'nope' imported from /app/g.ts" });
  });

  it("names the error class of anything but a plain Error", () => {
    const err = new TypeError("x is not a function");
    err.stack = "TypeError: x is not a function\n    at /app/node_modules/lib/index.js:1:1\n    at file:///app/g.ts:7:3";
    expect(describeLoadFailure(err)).toEqual({ location: { file: "/app/g.ts", line: 7, column: 3 }, reason: "TypeError: x is not a function" });
  });
});
