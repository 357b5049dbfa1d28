import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as sourceCheckpoints from "../../checkpoints/index.js";
import * as sourceEntry from "../../src/index.js";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * In development the package's own name resolves to its TypeScript sources
 * (the `threadline-source` export condition), so a graph that imports
 * "threadline" shares the runtime's module instances; nothing needs a build.
 */
describe("the package's name in development", () => {
  it("resolves to the sources in tests", async () => {
    expect((await import("threadline")).ThreadlineSaver).toBe(sourceEntry.ThreadlineSaver);
    expect((await import("threadline/checkpoints")).CheckpointError).toBe(sourceCheckpoints.CheckpointError);
    const banking = await import("../../graphs/banking.js");
    expect(typeof banking.graph.invoke).toBe("function");
  });

  it("resolves to the sources in the CLI processes tests start", () => {
    const probe = `console.log(import.meta.resolve("threadline"), import.meta.resolve("threadline/checkpoints"))`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { cwd: ROOT, encoding: "utf8" });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim().split(" ")).toEqual([
      pathToFileURL(resolve(ROOT, "src/index.ts")).href,
      pathToFileURL(resolve(ROOT, "checkpoints/index.ts")).href,
    ]);
  });
});
