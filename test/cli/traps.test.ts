import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../helpers/db.js";
import { cliSandbox, jsonOf, runMain, type CliSandbox } from "../helpers/cli.js";
import { PROJECT_FILE } from "../runs/helpers.js";

describe.each(BACKENDS)("the CLI as a new user meets it [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });
  const open = async () => (sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: PROJECT_FILE }));
  const cli = (...args: string[]) => runMain(args, sandbox!.env);

  it("turns text for a graph with a messages channel into a human message", async () => {
    await open();
    const out = jsonOf(await cli("run", "echo", "--thread", "e1", "--input", "weather in Paris?", "--json"));
    expect(out.status).toBe("complete");
    expect(out.values.messages.map((m: { type: string; content: string }) => [m.type, m.content])).toEqual([
      ["human", "weather in Paris?"],
      ["ai", "echo: weather in Paris?"],
    ]);
  });

  it("refuses input keys the graph has no channel for, and text for a graph without messages, writing nothing", async () => {
    await open();
    const typo = await cli("run", "paced", "--thread", "p1", "--input", '{"lable":"a"}');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('threadline: graph "paced" has no input "lable"; its channels: label, log, answer\n');
    const text = await cli("run", "paced", "--thread", "p1", "--input", "hello");
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/graph "paced" has no messages channel to put text in; give --input as a JSON object with some of: label, log, answer/);
    const list = await cli("threads", "list", "--json");
    expect(jsonOf(list)).toEqual([]);
  });

  it("prints resume and continue commands that work when pasted, --user included", async () => {
    await open();
    const first = await cli("run", "asking", "--thread", "a1", "--user", "ada", "--input", '{"label":"x"}');
    expect(first.stdout).toContain("resume with: threadline run asking --thread a1 --user ada --resume <value>");
    const pasted = await cli("run", "asking", "--thread", "a1", "--user", "ada", "--resume", "Ada", "--json");
    expect(jsonOf(pasted).values.answer).toBe("Ada");
    const other = await cli("run", "asking", "--thread", "a1", "--user", "bob", "--resume", "Bob");
    expect(other.stderr).toBe('threadline: unknown thread "a1"\n');
  });

  it("refuses messages the graph could not take, before anything is written", async () => {
    await open();
    const bad = await cli("run", "echo", "--thread", "e2", "--input", '{"messages":[{"foo":1}]}');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^threadline: input\.messages\[0\] is not a message: /);
    expect(jsonOf(await cli("threads", "list", "--json"))).toEqual([]);
  });

  it("reports a run stopped at a static breakpoint as interrupted, and continues it", async () => {
    await open();
    const stopped = await cli("run", "paused", "--thread", "b1", "--input", '{"label":"b"}');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain("thread b1 · paused · interrupted");
    expect(stopped.stdout).toContain("stopped before: s3");
    expect(stopped.stdout).toContain("continue with: threadline run paused --thread b1");
    const done = jsonOf(await cli("run", "paused", "--thread", "b1", "--json"));
    expect(done.status).toBe("complete");
    expect(done.values.log).toEqual(["b:s1", "b:s2", "b:s3", "b:s4", "b:s5", "b:s6"]);
  });

  it("gives a thread whose node keeps failing its ways out: rollback, update, fork, delete", async () => {
    await open();
    await cli("run", "paced", "--thread", "f1", "--input", '{"label":"ok"}');
    const failing = await cli("run", "paced", "--thread", "f1", "--input", '{"label":"fail:s3"}');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe('threadline: the run on thread f1 failed: node "s3" failed: s3 is broken\n');
    const again = await cli("run", "paced", "--thread", "f1");
    expect(again.stderr).toBe(failing.stderr);
    expect(jsonOf(await cli("threads", "list", "--json"))[0]).toMatchObject({ threadId: "f1", status: "error" });

    // Rolling back the two runs that failed takes the thread back to where it was.
    for (let i = 0; i < 2; i++) {
      const rolledBack = await cli("threads", "rollback", "f1");
      expect(rolledBack.code, rolledBack.stderr).toBe(0);
      expect(rolledBack.stdout).toMatch(/^rolled back run [0-9a-f-]{36} of thread f1; see threadline threads show f1\n$/);
    }
    const back = jsonOf(await cli("threads", "show", "f1", "--json"));
    expect(back.state.values.log).toEqual(["ok:s1", "ok:s2", "ok:s3", "ok:s4", "ok:s5", "ok:s6"]);
    expect(back.state.next).toEqual([]);
    expect(back.thread.status).toBe("idle");

    // Or the state is mended as if a node had written it, and the run goes on.
    await cli("run", "paced", "--thread", "f2", "--input", '{"label":"fail:s3"}');
    const updated = await cli("threads", "update", "f2", "--values", '{"label":"fixed"}', "--as-node", "s2");
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/^wrote checkpoint \S+ on thread f2; see threadline threads show f2\n$/);
    const mended = jsonOf(await cli("run", "paced", "--thread", "f2", "--json"));
    expect(mended.values.log).toEqual(["fail:s3:s1", "fail:s3:s2", "fixed:s3", "fixed:s4", "fixed:s5", "fixed:s6"]);
    const badNode = await cli("threads", "update", "f2", "--values", '{"label":"x"}', "--as-node", "nope");
    expect(badNode.stderr).toMatch(/graph "paced" has no node "nope"; nodes: s1, s2, s3, s4, s5, s6/);
    const badKey = await cli("threads", "update", "f2", "--values", '{"nope":1}');
    expect(badKey.stderr).toBe('threadline: graph "paced" has no channel "nope"\n');
    // A state written after a run stands on it: that run can no longer be rolled back alone.
    expect((await cli("threads", "update", "f2", "--values", '{"label":"later"}', "--as-node", "s6")).code).toBe(0);
    const refused = await cli("threads", "rollback", "f2");
    expect(refused.stderr).toMatch(/was changed after run [0-9a-f-]{36} \(a state update or a fork\)/);

    const history = jsonOf(await cli("threads", "show", "f1", "--json", "--history", "50")).history as { checkpoint: { checkpointId: string }; next: string[] }[];
    const beforeS4 = history.find((h) => h.next[0] === "s4" && (h as unknown as { values: { log: string[] } }).values.log.length === 3)!;
    const forked = await cli("threads", "fork", "f1", "--checkpoint", beforeS4.checkpoint.checkpointId, "--to", "f1-copy");
    expect(forked.code, forked.stderr).toBe(0);
    const copy = jsonOf(await cli("threads", "show", "f1-copy", "--json"));
    expect(copy.state.next).toEqual(["s4"]);
    expect(copy.state.values.log).toEqual(["ok:s1", "ok:s2", "ok:s3"]);
    const continued = jsonOf(await cli("run", "paced", "--thread", "f1-copy", "--json"));
    expect(continued.values.log).toEqual(["ok:s1", "ok:s2", "ok:s3", "ok:s4", "ok:s5", "ok:s6"]);

    const deleted = await cli("threads", "delete", "f1");
    expect(deleted.stdout).toBe("deleted thread f1 with its checkpoints, runs and recall memory\n");
    expect((await cli("threads", "show", "f1")).stderr).toBe('threadline: unknown thread "f1" (threads of a named user need --user <id>)\n');
    expect((await cli("threads", "show", "f1-copy")).code).toBe(0);
  });
});
