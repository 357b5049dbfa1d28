import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { messageFastPath } from "../../checkpoints/messages.js";
import { serdeFastPath } from "../../checkpoints/serde.js";
import { openTestDatabase, type TestDatabase } from "../helpers/db.js";

/**
 * The serialiser's shortcuts turn themselves off when the installed
 * LangChain serialises differently (messages.ts checks itself when it
 * loads; serde.ts hands what it does not recognise to the stock path).
 * Storing stays correct either way, only slower, so these tests are what
 * notices: they fail when, with the installed versions, a round trip
 * through the saver takes the stock path.
 */
const CLASSES = ["AIMessage", "AIMessageChunk", "HumanMessage", "SystemMessage", "ToolMessage"];

function conversation() {
  return [
    new SystemMessage({ content: "be brief", id: "s1" }),
    new HumanMessage({ content: "weather in Oslo?", id: "h1" }),
    new AIMessage({
      content: "",
      id: "a1",
      tool_calls: [{ id: "call_1", name: "weather", args: { city: "Oslo" }, type: "tool_call" }],
      usage_metadata: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
    }),
    new ToolMessage({ content: "4 °C, rain", tool_call_id: "call_1", name: "weather", id: "t1" }),
    new AIMessage({ content: "It is 4 °C and raining.", id: "a2", response_metadata: { model_name: "m", finish_reason: "stop" } }),
  ];
}

describe("serialiser shortcuts with the installed @langchain versions", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase("pglite");
  });
  afterEach(async () => {
    await db.dispose();
  });

  it("every message class passes the self-check", () => {
    expect([...messageFastPath().classes].sort()).toEqual(CLASSES);
  });

  it("a graph's messages are written and read back without the stock path", async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("reply", () => ({ messages: conversation().slice(2) }))
      .addEdge(START, "reply")
      .compile({ checkpointer: await ThreadlineSaver.create(db) });
    const config = { configurable: { thread_id: "fast" } };
    const recordsBefore = messageFastPath().records;
    const before = serdeFastPath();

    await graph.invoke({ messages: conversation().slice(0, 2) }, { ...config, durability: "sync" });
    // A saver with empty caches, as another process: every value is deserialised.
    const tuple = await new ThreadlineSaver(db).getTuple(config);

    const after = serdeFastPath();
    const messages = tuple!.checkpoint.channel_values.messages as unknown[];
    expect(messages.map((m) => (m as object).constructor.name)).toEqual(conversation().map((m) => m.constructor.name));
    expect(messages).toEqual(conversation());
    expect(messageFastPath().records - recordsBefore).toBeGreaterThanOrEqual(conversation().length);
    expect(after.dumpedStock - before.dumpedStock).toBe(0);
    expect(after.loadedStock - before.loadedStock).toBe(0);
    expect(after.loadedFast - before.loadedFast).toBeGreaterThanOrEqual(conversation().length);
  });
});
