import { describe, expect, it } from "vitest";
import { groupTurns, groupUnits } from "../../src/window/index.js";
import { ai, aiCalls, human, toolResult } from "./helpers.js";

describe("groupUnits", () => {
  it("keeps a tool-call message and all its results in one unit", () => {
    const { units, dropped } = groupUnits([
      human("h1", "balance?"),
      aiCalls("a1", ["c1", "c2"]),
      toolResult("t1", "c1"),
      toolResult("t2", "c2"),
      ai("a2", "You have 42."),
    ]);
    expect(units.map((u) => u.kind)).toEqual(["user", "tools", "assistant"]);
    expect(units[1]!.messages.map((m) => m.id)).toEqual(["a1", "t1", "t2"]);
    expect(dropped).toEqual([]);
  });

  it("drops orphan tool results and tool calls left unanswered", () => {
    const { units, dropped } = groupUnits([
      toolResult("t0", "gone"),
      human("h1", "hi"),
      aiCalls("a1", ["c1", "c2"]),
      toolResult("t1", "c1"),
      human("h2", "still there?"),
    ]);
    expect(units.map((u) => u.messages.map((m) => m.id))).toEqual([["h1"], ["h2"]]);
    expect(dropped).toEqual([
      { id: "t0", reason: "orphan_tool_result" },
      { id: "a1", reason: "unanswered_tool_call" },
      { id: "t1", reason: "orphan_tool_result" },
    ]);
  });

  it("groups units into turns that start at user messages", () => {
    const { units } = groupUnits([ai("a0", "welcome"), human("h1", "x"), ai("a1", "y"), human("h2", "z")]);
    expect(groupTurns(units).map((t) => t.units.map((u) => u.messages[0]!.id))).toEqual([["a0"], ["h1", "a1"], ["h2"]]);
  });
});
