import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../helpers/db.js";
import { cliSandbox, jsonOf, runMain, type CliSandbox } from "../helpers/cli.js";
import { PROJECT_FILE } from "../runs/helpers.js";

const HINT = "(threads of a named user need --user <id>)";

describe.each(BACKENDS)("threadline threads across owners [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });
  const cli = (...args: string[]) => runMain(args, sandbox!.env);

  it("lists every owner's threads with their owner, and says how to reach a named user's", async () => {
    sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: PROJECT_FILE });
    expect((await cli("run", "paced", "--thread", "a1", "--user", "ada", "--input", '{"label":"a"}')).code).toBe(0);
    expect((await cli("run", "paced", "--thread", "n1", "--input", '{"label":"n"}')).code).toBe(0);

    const table = (await cli("threads", "list")).stdout.trim().split("\n");
    expect(table[0]).toMatch(/^THREAD\s+GRAPH\s+USER\s+STATUS\s+UPDATED\s+CREATED$/);
    expect(table.slice(1).map((row) => row.split(/\s+/).slice(0, 4))).toEqual([
      ["n1", "paced", "-", "idle"],
      ["a1", "paced", "ada", "idle"],
    ]);
    expect(jsonOf<{ threadId: string; owner: string }[]>(await cli("threads", "list", "--json")).map((t) => [t.threadId, t.owner])).toEqual([
      ["n1", "~anonymous"],
      ["a1", "ada"],
    ]);

    // The hint comes without --user whether the thread exists or not: it tells nothing of other users' threads.
    for (const args of [["show", "a1"], ["show", "ghost"], ["delete", "a1"], ["rollback", "a1"], ["update", "a1", "--values", '{"label":"x"}']]) {
      const result = await cli("threads", ...args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toBe(`threadline: unknown thread "${args[1]}" ${HINT}\n`);
    }
    expect((await cli("threads", "show", "a1", "--user", "bob")).stderr).toBe('threadline: unknown thread "a1"\n');
    expect((await cli("threads", "show", "a1", "--user", "ada")).stdout).toContain("thread a1 · paced · idle");
    expect((await cli("threads", "show", "n1")).code).toBe(0);
  });
});
