import { AIMessage, AIMessageChunk, ChatMessage, FunctionMessage, HumanMessage, RemoveMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { DeltaSnapshot, JsonPlusSerializer } from "@langchain/langgraph-checkpoint";
import { Send } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { matchesFilter } from "../../checkpoints/filter.js";
import { messageRecord } from "../../checkpoints/messages.js";
import { ThreadlineSerializer } from "../../checkpoints/serde.js";

describe("ThreadlineSerializer", () => {
  const stock = new JsonPlusSerializer();
  const ours = new ThreadlineSerializer();
  const values: [string, unknown][] = [
    ["AI message with tool calls and usage", new AIMessage({
      content: "hi", id: "a1", name: "bot",
      tool_calls: [{ id: "c1", name: "search", args: { q: "x", n: [1, 2] } }],
      usage_metadata: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
      additional_kwargs: { foo: { bar: 1 } }, response_metadata: { model: "m" },
    })],
    ["content blocks", new AIMessage({ content: [{ type: "text", text: "x" }, { type: "image_url", image_url: { url: "data:x" } }], id: "a2" })],
    ["human", new HumanMessage({ content: "q", id: "h1" })],
    ["system", new SystemMessage("sys")],
    ["tool", new ToolMessage({ content: "r", tool_call_id: "c1", id: "t1", artifact: { x: 1 }, status: "error", name: "search" })],
    ["remove", new RemoveMessage({ id: "a1" })],
    ["chat", new ChatMessage({ content: "c", role: "critic" })],
    ["function", new FunctionMessage({ content: "f", name: "fn" })],
    ["chunk", new AIMessageChunk({ content: "chunk", id: "k1" })],
    ["a write: a list of messages", [new AIMessage("a"), { plain: true, n: null, list: [1, "two"] }]],
    ["messages nested in plain objects", { messages: [new HumanMessage("x")], deep: [new ToolMessage({ content: "t", tool_call_id: "z" })] }],
    ["a Set (stock path)", new Set([1, 2])],
    ["values JSON has no form for", { m: new Map([["a", 1]]), r: /x+/gi, e: new Error("no"), u: undefined, b: new Uint8Array([1, 2]), list: [undefined, 1] }],
    ["a Send", [new Send("node", { x: 1 })]],
    ["a plain object shaped like a Send", { lg_name: "Send", node: "n", args: { a: 1 }, extra: true }],
    ["plain JSON with holes, odd numbers and no prototype", {
      // eslint-disable-next-line no-sparse-arrays
      holes: [1, , 3], nums: [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21], bare: Object.assign(Object.create(null), { a: [null, "x"] }),
    }],
    ["plain JSON nested deeper than the shortcut walks", JSON.parse(`${"[".repeat(40)}1${"]".repeat(40)}`)],
    ["a delta snapshot", new DeltaSnapshot([1, 2])],
    ["undefined (stock path)", undefined],
    ["a plain object with an lc key (stock path)", { lc: 5, other: 1 }],
    ["AI chunk with tool call chunks", new AIMessageChunk({ content: "c", id: "k2", tool_call_chunks: [{ id: "c1", name: "f", args: '{"a":', index: 0, type: "tool_call_chunk" }] })],
    ["a message with camelCase and undefined fields", new AIMessage({ content: "x", someField: 1, name: undefined } as never)],
    ["a message with sparse and odd JSON values", new HumanMessage({ content: "x", additional_kwargs: { n: Number.NaN, neg: -0, list: [undefined, null, "s"], deep: { a: { b: { c: [] } } } } })],
    ["an lc key inside a message (stock path)", new AIMessage({ content: "x", additional_kwargs: { payload: { lc: 1, kind: "user data" } } })],
    ["an escaped-looking object inside a message (stock path)", new AIMessage({ content: "x", additional_kwargs: { __lc_escaped__: { a: 1 } } })],
    ["a Date inside a message (stock path)", new AIMessage({ content: "x", response_metadata: { at: new Date(0) } })],
    ["a message inside a message (stock path)", new AIMessage({ content: "x", additional_kwargs: { inner: new HumanMessage("n") as never } })],
  ];

  it.each(values)("reads back %s exactly as LangGraph's serialiser does", async (_name, value) => {
    const [type, bytes] = await stock.dumpsTyped(value);
    const expected = await stock.loadsTyped(type, bytes);
    const actual = await ours.loadsTyped(type, bytes);
    expect(actual).toEqual(expected);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    if (expected !== null && typeof expected === "object") expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  });

  it("writes the same bytes as LangGraph's serialiser, synchronously", async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const value of [...values.map(([, v]) => v), cyclic]) {
      const [type, bytes] = await stock.dumpsTyped(value);
      const [ourType, ourBytes] = ours.dumpsTypedSync(value);
      expect(ourType).toBe(type);
      expect(Buffer.from(ourBytes).toString("utf8")).toBe(Buffer.from(bytes).toString("utf8"));
    }
    const raw = new Uint8Array([1, 2, 3]);
    expect(ours.dumpsTypedSync(raw)).toEqual(["bytes", raw]);
  });

  it("builds the common message classes' records itself, equal to their toJSON", () => {
    const messages = [new AIMessage("a"), new HumanMessage("h"), new SystemMessage("s"), new ToolMessage({ content: "t", tool_call_id: "c" }), new AIMessageChunk("k")];
    for (const message of messages) {
      const record = messageRecord(message);
      expect(record).toBeDefined();
      expect(JSON.stringify(record)).toBe(JSON.stringify(message));
    }
    expect(messageRecord(new ChatMessage({ content: "c", role: "critic" }))).toBeUndefined();
    expect(messageRecord({ lc: 1 })).toBeUndefined();
    // A subclass may serialise differently (its own aliases, a custom toJSON): the stock path.
    const custom = new (class Custom extends AIMessage {})({ content: "x", id: "s1" });
    expect(messageRecord(custom)).toBeUndefined();
    expect(Buffer.from(ours.dumpsTypedSync([custom])[1]).toString()).toBe(JSON.stringify([custom]));
  });

  it("fails on bytes that are not JSON, as the stock serialiser does", async () => {
    await expect(ours.loadsTyped("json", "{nope")).rejects.toThrow(SyntaxError);
  });
});

describe("metadata filters", () => {
  it("follow jsonb containment", () => {
    const metadata = { source: "loop", step: 3, parents: { "": "c1" }, tags: ["a", "b"], run: null };
    expect(matchesFilter(metadata, { source: "loop" })).toBe(true);
    expect(matchesFilter(metadata, { source: "loop", step: 3 })).toBe(true);
    expect(matchesFilter(metadata, { step: 4 })).toBe(false);
    expect(matchesFilter(metadata, { parents: {} })).toBe(true);
    expect(matchesFilter(metadata, { parents: { "": "c1" } })).toBe(true);
    expect(matchesFilter(metadata, { parents: { "": "c2" } })).toBe(false);
    expect(matchesFilter(metadata, { tags: ["b"] })).toBe(true);
    expect(matchesFilter(metadata, { tags: ["c"] })).toBe(false);
    expect(matchesFilter(metadata, { run: null })).toBe(true);
    expect(matchesFilter(metadata, { missing: null })).toBe(false);
    expect(matchesFilter(metadata, { step: "3" })).toBe(false);
  });
});
