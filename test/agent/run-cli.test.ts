import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, jsonOf, runMain, type CliSandbox } from "../helpers/cli.js";
import { startOpenAIServer, type OpenAIServer } from "../helpers/openai-server.js";
import { openDatabase } from "../../src/db/open.js";
import { DEFAULT_BLOCKS } from "../../src/memory/index.js";
import { FakeEmbeddings } from "../memory/fake-embeddings.js";

const PERSONA = DEFAULT_BLOCKS[0]!.value!;

describe("threadline run agent", () => {
  let sandbox: CliSandbox | undefined;
  let server: OpenAIServer | undefined;
  afterEach(async () => {
    await server?.close();
    await sandbox?.dispose();
    server = sandbox = undefined;
  });

  const open = async (script: string[], extra: Record<string, string> = {}, embeddings?: FakeEmbeddings) => {
    server = await startOpenAIServer(script, embeddings ? { embed: (text) => embeddings.vector(text) } : {});
    sandbox = await cliSandbox("pglite", { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "", THREADLINE_MODEL: "local-model", ...extra });
    return sandbox.env;
  };

  it("refuses a run without a user before writing anything", async () => {
    const env = await open(["unused"]);
    const result = await runMain(["run", "agent", "--thread", "a1", "--input", "hello"], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'threadline: invalid run config for graph "agent": user_id: required: the user the run acts for (--user in the CLI; configurable.user_id on a server without auth)',
    );
    expect(server!.requests).toEqual([]);
    expect(jsonOf<unknown[]>(await runMain(["threads", "list", "--json"], env))).toEqual([]);
  });

  it("refuses a run without model settings, naming the variables", async () => {
    const env = await open(["unused"]);
    const result = await runMain(["run", "agent", "--thread", "a1", "--user", "ada", "--input", "hello"], {
      ...env,
      OPENAI_BASE_URL: "",
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^threadline: .*OPENAI_API_KEY.*OPENAI_BASE_URL/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("runs a turn for a user, and the thread is theirs alone", async () => {
    const env = await open(["Hello Ada!"]);
    const out = jsonOf(await runMain(["run", "agent", "--thread", "a1", "--user", "ada", "--input", "Hi, I am Ada", "--json"], env));
    expect(out.status).toBe("complete");
    const messages = out.values.messages as { content: string }[];
    expect(messages.map((m) => m.content)).toEqual(["Hi, I am Ada", "Hello Ada!"]);
    expect(server!.requests[0]!.messages[0]!.role).toBe("system");

    const mine = jsonOf<any[]>(await runMain(["threads", "list", "--user", "ada", "--json"], env));
    expect(mine.map((t) => [t.threadId, t.owner])).toEqual([["a1", "ada"]]);
    expect(jsonOf<any[]>(await runMain(["threads", "list", "--user", "bob", "--json"], env))).toEqual([]);
    const other = await runMain(["threads", "show", "a1", "--user", "bob"], env);
    expect(other.stderr.trim()).toBe('threadline: unknown thread "a1"');
  });

  it("prints the thread's state without the memory the model was shown", async () => {
    const env = await open(["Hello Ada!", "Still here."]);
    const json = await runMain(["run", "agent", "--thread", "a1", "--user", "ada", "--input", "Hi, I am Ada", "--json"], env);
    const text = await runMain(["run", "agent", "--thread", "a1", "--user", "ada", "--input", "Are you there?"], env);
    const shown = server!.requests.map((r) => String(r.messages[0]!.content));
    expect(shown.every((system) => system.includes("<memory_blocks>") && system.includes(PERSONA))).toBe(true);
    for (const out of [json.stdout, text.stdout]) {
      expect(out).not.toContain(PERSONA);
      expect(out).not.toContain("<memory_blocks>");
      expect(out).not.toContain("systemPrompt");
    }
    expect(jsonOf(json).values.context.tokens.system).toBeGreaterThan(0);
    expect(text.stdout).toContain('"includedIds"');
    expect(server!.embedded).toEqual([]);
  });

  it("takes the run's configurable from --configurable, and refuses a bad one in one line before writing", async () => {
    const env = await open(["kitten pet", "Hello!"]);
    const bad = await runMain(["run", "agent", "--thread", "c1", "--user", "ada", "--input", "hi", "--configurable", '{"context":{"rewriteQuery":"yes"}}'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^threadline: invalid run config for graph "agent": context\.rewriteQuery: .*boolean/);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const notObject = await runMain(["run", "agent", "--thread", "c1", "--user", "ada", "--input", "hi", "--configurable", "[1]"], env);
    expect(notObject.stderr.trim()).toBe("threadline: --configurable must be a JSON object");
    expect(jsonOf<unknown[]>(await runMain(["threads", "list", "--json"], env))).toEqual([]);
    const ok = await runMain(["run", "agent", "--thread", "c1", "--user", "ada", "--input", "hi", "--configurable", '{"context":{"rewriteQuery":true}}'], env);
    expect(ok.code).toBe(0);
    expect(server!.requests.map((r) => /search words/.test(String(r.messages[0]!.content)))).toEqual([true, false]);
  });

  it("with THREADLINE_EMBEDDINGS, finds by meaning what the user said in another thread", async () => {
    const concepts = new FakeEmbeddings(256, { kitten: "pet", creature: "pet", household: "home", flat: "home" });
    const fact = "We adopted a kitten last week, she is called Basil.";
    const question = "Anything new about the little creature in our household?";
    const ask = async (env: NodeJS.ProcessEnv) => {
      expect((await runMain(["run", "agent", "--thread", "a1", "--user", "ada", "--input", fact], env)).code).toBe(0);
      expect((await runMain(["run", "agent", "--thread", "a2", "--user", "ada", "--input", question], env)).code).toBe(0);
      return JSON.stringify(server!.requests.at(-1)!.messages);
    };
    expect(await ask(await open(["Congratulations!", "Nothing I know of."], {}, concepts))).not.toContain("kitten");
    await server!.close();
    await sandbox!.dispose();
    const shown = await ask(await open(["Congratulations!", "Basil, your kitten."], { THREADLINE_EMBEDDINGS: "local-embed" }, concepts));
    expect(shown).toContain(fact);
    expect(server!.embedded.flat()).toEqual(expect.arrayContaining([fact, "Congratulations!", question]));
    // Every vector arrived whole (a float/base64 mix-up would change its size).
    const db = await openDatabase({ dataDir: sandbox!.env.THREADLINE_DATA_DIR! });
    try {
      const { rows } = await db.pool.query("SELECT DISTINCT cardinality(embedding) AS n FROM memory_messages WHERE embedding IS NOT NULL");
      expect(rows).toEqual([{ n: 256 }]);
    } finally {
      await db.close();
    }
  });
});
