import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runMain, type CliSandbox } from "../helpers/cli.js";
import { startOpenAIServer, type OpenAIServer } from "../helpers/openai-server.js";

const ROOT = resolve(import.meta.dirname, "../..");

interface Chat {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs `threadline chat` as a separate process, writing `lines` to its stdin
 * (a pipe) and then closing it; `onStdout` sees the output as it arrives.
 */
function chatProcess(args: string[], env: NodeJS.ProcessEnv, lines: string[], onStdout?: (soFar: string) => void): Promise<Chat> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "chat", ...args], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(lines.map((l) => `${l}\n`).join(""));
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ stdout, stderr, code }));
  });
}

/** Runs `threadline chat` in this process, reading `lines` as from a pipe that closes after them. */
async function chat(args: string[], env: NodeJS.ProcessEnv, lines: string[], onStdout?: (soFar: string) => void): Promise<Chat> {
  const { code, stdout, stderr } = await runMain(["chat", ...args], env, { input: lines, ...(onStdout ? { onStdout } : {}) });
  return { code, stdout, stderr };
}

describe("threadline chat", () => {
  let sandbox: CliSandbox | undefined;
  let server: OpenAIServer | undefined;
  afterEach(async () => {
    await server?.close();
    await sandbox?.dispose();
    server = sandbox = undefined;
  });

  it("streams replies against an OpenAI-compatible server, shows tool calls, and a second process resumes the thread", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server = await startOpenAIServer([
      { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "Name: Ada" } }] },
      { content: "Nice to meet you, Ada!", gate },
      "You told me your name is Ada.",
      "Welcome back, Ada.",
    ]);
    sandbox = await cliSandbox("pglite", {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "",
      THREADLINE_MODEL: "local-model",
      THREADLINE_PROJECT: "",
    });

    let sawPartial = false;
    const first = await chat(["agent", "--thread", "c1", "--user", "ada"], sandbox.env, ["Hi, I am Ada.", "What is my name?"], (out) => {
      // The server holds the rest of the reply until the first word is on screen.
      if (!sawPartial && out.includes("assistant: Nice ")) {
        sawPartial = !out.includes("Nice to meet you");
        release();
      }
    });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(sawPartial).toBe(true);
    expect(first.stdout.split("\n")).toEqual([
      "new thread c1 · agent · user ada (/exit to end)",
      '  → core_memory_append({"label":"human","content":"Name: Ada"})',
      expect.stringMatching(/^ {2}← core_memory_append: Appended to block 'human'/),
      "assistant: Nice to meet you, Ada!",
      "assistant: You told me your name is Ada.",
      "",
    ]);
    expect(server.requests.map((r) => [r.model, r.stream])).toEqual([
      ["local-model", true],
      ["local-model", true],
      ["local-model", true],
    ]);
    expect(server.requests[2]!.messages[0]!.content).toContain("Name: Ada");

    // A process of its own: the thread is resumed from what the database holds, nothing of this process.
    const second = await chatProcess(["agent", "--thread", "c1", "--user", "ada"], sandbox.env, ["I am back.", "/exit", "never sent"]);
    expect(second.code).toBe(0);
    expect(second.stdout.split("\n")).toEqual(["resumed thread c1 (6 messages)", "assistant: Welcome back, Ada.", ""]);
    expect(server.requests).toHaveLength(4);
    expect(server.requests[3]!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant", "user", "assistant", "user"]);

    const stranger = await chat(["agent", "--thread", "c1", "--user", "bob"], sandbox.env, ["hello"]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr.trim()).toBe('threadline: unknown thread "c1"');
    expect(server.requests).toHaveLength(4);
  });

  it("names the variables to set when no model is configured, in one line", async () => {
    sandbox = await cliSandbox("pglite", { OPENAI_BASE_URL: "", OPENAI_API_KEY: "", THREADLINE_PROJECT: "" });
    const result = await chat(["agent", "--thread", "c2", "--user", "ada"], sandbox.env, ["hello"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^threadline: no chat model configured: set OPENAI_API_KEY .*OPENAI_BASE_URL/);
  });
});
