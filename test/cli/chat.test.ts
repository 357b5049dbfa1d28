import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../helpers/db.js";
import { cliSandbox, jsonOf, runMain, type CliSandbox } from "../helpers/cli.js";
import { PROJECT_FILE } from "../runs/helpers.js";

describe.each(BACKENDS)("threadline chat, as a new user meets it [%s]", (backend) => {
  let sandbox: CliSandbox | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });
  const open = async (extra: NodeJS.ProcessEnv = {}) => (sandbox = await cliSandbox(backend, { THREADLINE_PROJECT: PROJECT_FILE, ...extra }));
  const cli = (...args: string[]) => runMain(args, sandbox!.env);
  const chat = (args: string[], lines: string[]) => runMain(["chat", ...args], sandbox!.env, { input: lines });

  it("without --user, goes on with a thread `threadline run` made without one", async () => {
    await open();
    expect((await cli("run", "echo", "--thread", "e1", "--input", "hello")).code).toBe(0);
    const result = await chat(["echo", "--thread", "e1"], ["again"]);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual(["resumed thread e1 (2 messages)", "assistant: echo: again", ""]);
    const fresh = await chat(["echo", "--thread", "e2"], ["hi"]);
    expect(fresh.stdout.split("\n")).toEqual(["new thread e2 · echo (/exit to end)", "assistant: echo: hi", ""]);
    expect(jsonOf(await cli("threads", "show", "e2", "--json")).thread.owner).toBe("~anonymous");
  });

  it("refuses another owner's thread at once, in one line, before any turn", async () => {
    await open();
    expect((await chat(["echo", "--thread", "mine", "--user", "ada"], ["hi"])).code).toBe(0);
    const anonymous = await chat(["echo", "--thread", "mine"], ["hello?"]);
    expect(anonymous).toMatchObject({ code: 1, stdout: "", stderr: 'threadline: unknown thread "mine" (threads of a named user need --user <id>)\n' });
    const bob = await chat(["echo", "--thread", "mine", "--user", "bob"], ["hello?"]);
    expect(bob).toMatchObject({ code: 1, stdout: "", stderr: 'threadline: unknown thread "mine"\n' });
    const state = jsonOf(await cli("threads", "show", "mine", "--user", "ada", "--json")).state;
    expect(state.values.messages).toHaveLength(2);
  });

  it("shows a graph without messages its question, then its values when the turn ends", async () => {
    await open();
    const result = await chat(["banking", "--thread", "b1"], ["What's my balance?", "1234"]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("new thread b1 · banking (/exit to end)");
    expect(lines[1]).toMatch(/^waiting for: \{"prompt":"Enter the PIN for account ACC-1001\.".*\(your next line answers it\)$/);
    const values = JSON.parse(lines.slice(2).join("\n"));
    expect(values).toMatchObject({ status: "complete", reply: "The balance of ACC-1001 is 2543.10 EUR." });

    const again = await chat(["banking", "--thread", "b1"], []);
    expect(again.stdout).toBe("resumed thread b1 · banking\n");
  });
});

describe("threadline chat with a graph that needs a user", () => {
  it("refuses to start without --user, in one line, before the model or the database", async () => {
    const sandbox = await cliSandbox("pglite", { THREADLINE_PROJECT: "", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" }, { emptyFolder: true });
    try {
      const result = await runMain(["chat", "agent", "--thread", "c1"], sandbox.env, { input: ["hello"] });
      expect(result).toMatchObject({
        code: 1,
        stdout: "",
        stderr: 'threadline: invalid run config for graph "agent": user_id: required: the user the run acts for (--user in the CLI; configurable.user_id on a server without auth)\n',
      });
      expect(existsSync(sandbox.env.THREADLINE_DATA_DIR!)).toBe(false);
      const bad = await runMain(["chat", "agent", "--thread", "c1", "--user", "ada", "--configurable", '{"context":{"strategy":"everything"}}'], sandbox.env, {
        input: ["hello"],
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^threadline: invalid run config for graph "agent": context\.strategy: .*\n$/);
      expect(existsSync(sandbox.env.THREADLINE_DATA_DIR!)).toBe(false);
    } finally {
      await sandbox.dispose();
    }
  });
});
