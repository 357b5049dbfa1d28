import { systemAssistantId } from "../../src/assistants/index.js";
import { afterEach, describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { driveRun } from "../../src/cli/drive.js";
import { createMemory } from "../../src/memory/index.js";
import { createChatModel, readModelEnvironment } from "../../src/models/openai.js";
import { ConfigurationError } from "../../src/errors.js";
import { describeBackends } from "../helpers/db.js";
import { startOpenAIServer, type OpenAIServer } from "../helpers/openai-server.js";
import { messagesOf, openTestCore, sayRun, textOf, transcript, type PlainMessage } from "./setup.js";

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describeBackends("agent graph with ChatOpenAI over HTTP", (db) => {
  it("streams tokens, sends the tools, runs the tool call it gets back and answers", async () => {
    server = await startOpenAIServer([
      { toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "Lives in Porto" }, id: "call_porto" }] },
      "Porto is lovely; I will remember it.",
    ]);
    const model = createChatModel({ baseURL: server.url, apiKey: "test-key", model: "gpt-4o-mini" });
    const core = await openTestCore(db(), model);
    const tokens: { node: string; text: string }[] = [];
    const { state: out } = await sayRun(core, "h1", "ada", "I live in Porto.", {
      streamModes: ["values", "messages-tuple"],
      onEvent: (event) => {
        if (event.event !== "messages") return;
        const [message, meta] = event.data as [PlainMessage, { langgraph_node?: string }];
        if (message.type === "AIMessageChunk" && textOf(message)) tokens.push({ node: meta?.langgraph_node ?? "", text: textOf(message) });
      },
    });

    expect(transcript(messagesOf(out.values))).toEqual([
      "user: I live in Porto.",
      "assistant: ",
      expect.stringMatching(/^tool: Appended to block 'human'/),
      "assistant: Porto is lovely; I will remember it.",
    ]);
    // The reply arrived as several streamed chunks, from the agent node.
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.every((t) => t.node === "agent")).toBe(true);
    expect(tokens.map((t) => t.text).join("")).toBe("Porto is lovely; I will remember it.");

    const [first, second] = server.requests;
    expect(first!.stream).toBe(true);
    expect(first!.model).toBe("gpt-4o-mini");
    expect(first!.tools).toEqual([
      "core_memory_append",
      "core_memory_replace",
      "memory_rethink",
      "conversation_search",
      "archival_memory_insert",
      "archival_memory_search",
    ]);
    expect(first!.messages[0]).toMatchObject({ role: "system", content: expect.stringContaining("<memory_blocks>") });
    expect(first!.messages.slice(1)).toEqual([{ role: "user", content: "I live in Porto." }]);
    // The tool call went back with its result, and the edited block was already in the system prompt.
    expect(second!.messages.slice(1)).toMatchObject([
      { role: "user", content: "I live in Porto." },
      { role: "assistant", tool_calls: [{ id: "call_porto", function: { name: "core_memory_append" } }] },
      { role: "tool", tool_call_id: "call_porto", content: expect.stringContaining("Lives in Porto") },
    ]);
    expect(second!.messages[0]!.content).toContain("Lives in Porto");

    const memory = await createMemory(db());
    expect((await memory.core.get({ assistantId: systemAssistantId("agent"), userId: "ada" }, "human"))!.value).toBe("Lives in Porto");
    expect(out.values.usage).toMatchObject({ calls: 2, totalInput: expect.any(Number) });
    expect((out.values.usage as { totalInput: number }).totalInput).toBeGreaterThan(0);
  });

  it("works with a model that does not stream, tool calls included", async () => {
    server = await startOpenAIServer([
      { toolCalls: [{ name: "archival_memory_insert", args: { content: "Ada's cat is called Miso" } }] },
      "Saved.",
    ]);
    const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "k", streaming: false, configuration: { baseURL: server.url } });
    const core = await openTestCore(db(), model);
    const { state: out } = await sayRun(core, "n1", "ada", "Remember that my cat is called Miso.");
    expect(server.requests.map((r) => r.stream)).toEqual([false, false]);
    expect(transcript(messagesOf(out.values)).slice(2)).toEqual([expect.stringMatching(/^tool: Stored passage/), "assistant: Saved."]);
    const { rows } = await db().pool.query("SELECT content FROM memory_passages WHERE user_id = 'ada'");
    expect(rows).toEqual([{ content: "Ada's cat is called Miso" }]);
  });

  it("fails the run with the provider's error message and leaves the thread able to continue", async () => {
    server = await startOpenAIServer([{ status: 400, error: "model 'nope' not found" }, "Back again."]);
    const model = createChatModel({ baseURL: server.url, model: "nope" });
    const core = await openTestCore(db(), model);
    await expect(sayRun(core, "e1", "ada", "hello")).rejects.toThrow(/model 'nope' not found/);
    // The input is checkpointed, the failed step is not: nothing half-written.
    const state = await core.threads.state("e1", "ada");
    expect(transcript(messagesOf(state.values))).toEqual(["user: hello"]);
    expect(state.next).toEqual(["agent"]);
    const resumed = await driveRun(core, { graphId: "agent", threadId: "e1", owner: "ada", action: { kind: "continue" }, streamModes: ["values"] });
    expect(transcript(messagesOf(resumed.state.values))).toEqual(["user: hello", "assistant: Back again."]);
  });
});

describe("model configuration from the environment", () => {
  it("names the variables when neither a key nor a base URL is set", () => {
    const err = (() => {
      try {
        readModelEnvironment({});
      } catch (e) {
        return e;
      }
    })() as Error;
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toMatch(/OPENAI_API_KEY/);
    expect(err.message).toMatch(/OPENAI_BASE_URL/);
    expect(err.message).toMatch(/THREADLINE_MODEL/);
  });

  it("accepts a local server without a key, defaults the model and checks the values", () => {
    expect(readModelEnvironment({ OPENAI_BASE_URL: "http://localhost:11434/v1" })).toEqual({
      apiKey: undefined,
      baseURL: "http://localhost:11434/v1",
      model: "gpt-4o-mini",
      temperature: undefined,
    });
    expect(readModelEnvironment({ OPENAI_API_KEY: "sk-x", THREADLINE_MODEL: "gpt-4.1", THREADLINE_TEMPERATURE: "0.2" })).toMatchObject({
      apiKey: "sk-x",
      model: "gpt-4.1",
      temperature: 0.2,
    });
    expect(() => readModelEnvironment({ OPENAI_BASE_URL: "localhost:11434" })).toThrow(/http\(s\) URL/);
    expect(() => readModelEnvironment({ OPENAI_API_KEY: "k", THREADLINE_TEMPERATURE: "hot" })).toThrow(/THREADLINE_TEMPERATURE/);
  });
});
