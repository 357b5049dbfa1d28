import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { approximateTokenCounter, createTokenCounter, encodingForModelName } from "../../src/window/index.js";

// OpenAI cookbook, "How to count tokens with tiktoken": these messages count
// 129 prompt tokens on gpt-3.5-turbo/gpt-4 and 124 on gpt-4o/gpt-4o-mini.
const COOKBOOK = [
  new SystemMessage("You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
  new SystemMessage({ name: "example_user", content: "New synergies will help drive top-line growth." }),
  new SystemMessage({ name: "example_assistant", content: "Things working well together will increase revenue." }),
  new SystemMessage({
    name: "example_user",
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  }),
  new SystemMessage({ name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." }),
  new HumanMessage("This late pivot means we don't have time to boil the ocean for the client deliverable."),
];

describe("token counting", () => {
  it("counts text exactly with the model's tiktoken encoding", () => {
    const gpt4 = createTokenCounter("gpt-4");
    expect(gpt4.exact).toBe(true);
    expect(gpt4.countText("tiktoken is great!")).toBe(6); // cl100k_base: [83, 1609, 5963, 374, 2294, 0]
    expect(gpt4.countText("hello world")).toBe(2);
    expect(gpt4.countText("")).toBe(0);
    expect(createTokenCounter("gpt-4o").countText("hello world")).toBe(2);
  });

  it("matches OpenAI's published message counts, overhead included", () => {
    expect(createTokenCounter("gpt-4-0613").countMessages(COOKBOOK)).toBe(129);
    expect(createTokenCounter("gpt-3.5-turbo").countMessages(COOKBOOK)).toBe(129);
    expect(createTokenCounter("gpt-4o").countMessages(COOKBOOK)).toBe(124);
    expect(createTokenCounter("gpt-4o-mini-2024-07-18").countMessages(COOKBOOK)).toBe(124);
  });

  it("maps model names to encodings, including snapshots and provider prefixes", () => {
    expect(encodingForModelName("gpt-4o-2024-08-06")).toBe("o200k_base");
    expect(encodingForModelName("openai:gpt-4.1-mini")).toBe("o200k_base");
    expect(encodingForModelName("o3-mini")).toBe("o200k_base");
    expect(encodingForModelName("gpt-4-turbo")).toBe("cl100k_base");
    expect(encodingForModelName("gpt-3.5-turbo-0125")).toBe("cl100k_base");
    expect(encodingForModelName("claude-sonnet-4")).toBeUndefined();
    expect(encodingForModelName("opus")).toBeUndefined();
  });

  it("falls back to the documented approximation for other models", () => {
    const counter = createTokenCounter("claude-sonnet-4");
    expect(counter.exact).toBe(false);
    expect(counter.countText("abcdefgh")).toBe(2);
    expect(counter.countText("abcdefghi")).toBe(3);
    // 3 per message + role "user" (1) + content (2) + 3 reply priming.
    expect(counter.countMessages([new HumanMessage("abcdefgh")])).toBe(9);
    expect(approximateTokenCounter().countMessages([])).toBe(3);
  });

  it("counts tool calls by their JSON and tool results with their call id", () => {
    const counter = createTokenCounter("gpt-4o");
    const plain = new AIMessage({ content: "checking" });
    const withCall = new AIMessage({ content: "checking", tool_calls: [{ id: "call_1", name: "get_balance", args: { account: "A-1" } }] });
    const json = JSON.stringify([{ id: "call_1", type: "function", function: { name: "get_balance", arguments: '{"account":"A-1"}' } }]);
    expect(counter.countMessages([withCall]) - counter.countMessages([plain])).toBe(counter.countText(json));
    const result = new ToolMessage({ tool_call_id: "call_1", content: "42" });
    expect(counter.countMessages([result])).toBe(3 + counter.countText("tool") + counter.countText("42") + counter.countText("call_1") + 3);
  });
});
