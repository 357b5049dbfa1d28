import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { compileSystemPrompt, createMemory, type CoreBlock } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";

const at = new Date("2025-05-03T14:07:09.123Z");
const block = (label: string, value: string, extra: Partial<CoreBlock> = {}): CoreBlock => ({
  label,
  value,
  description: `About ${label}.`,
  limit: 2000,
  readOnly: false,
  version: 1,
  updatedAt: at,
  ...extra,
});

describe("compileSystemPrompt", () => {
  it("shows each block with its size, limit and flag, then the memory metadata", () => {
    const prompt = compileSystemPrompt({
      basePrompt: "You are Sam.\n",
      blocks: [block("persona", "I am Sam.", { readOnly: true, limit: 100 }), block("human", "Name: Zoë")],
      stats: { recallCount: 1, archivalCount: 12, lastEditedAt: at },
      now: new Date("2025-05-04T08:00:00Z"),
    });
    expect(prompt).toBe(
      [
        "You are Sam.",
        "",
        "<memory_blocks>",
        "The following memory blocks are your core memory, always in view. Edit them with core_memory_append, core_memory_replace and memory_rethink to keep what matters across conversations; read-only blocks cannot be edited.",
        "",
        '<persona characters="9/100" read_only="true">',
        "<description>",
        "About persona.",
        "</description>",
        "<value>",
        "I am Sam.",
        "</value>",
        "</persona>",
        "",
        '<human characters="9/2000" read_only="false">',
        "<description>",
        "About human.",
        "</description>",
        "<value>",
        "Name: Zoë",
        "</value>",
        "</human>",
        "</memory_blocks>",
        "",
        "<memory_metadata>",
        "- The current time is: 2025-05-04 08:00:00 UTC",
        "- Memory blocks were last modified: 2025-05-03 14:07:09 UTC",
        "- 1 previous message between you and the user is stored in recall memory (use conversation_search to access them)",
        "- 12 passages are stored in archival memory (use archival_memory_search to access them)",
        "</memory_metadata>",
      ].join("\n"),
    );
  });

  it("says 'never' before the first edit", () => {
    const prompt = compileSystemPrompt({ basePrompt: "", blocks: [], stats: { recallCount: 0, archivalCount: 0 } });
    expect(prompt.startsWith("<memory_blocks>")).toBe(true);
    expect(prompt).toContain("- Memory blocks were last modified: never");
    expect(prompt).toContain("- 0 previous messages between you and the user are stored");
  });
});

describeBackends("memory.compile", (db) => {
  it("compiles the scope's blocks and live statistics", async () => {
    const memory = await createMemory(db());
    const scope = { assistantId: "agent", userId: "ada" };
    expect(await memory.stats(scope)).toEqual({ recallCount: 0, archivalCount: 0 });
    await memory.recall.append(scope, "t-1", [new HumanMessage("hi"), new AIMessage("hello")]);
    await memory.archival.insert(scope, "Ada was born in 1990");
    const edited = await memory.core.append(scope, "human", "Name: Ada");
    const stats = await memory.stats(scope);
    expect(stats).toEqual({ recallCount: 2, archivalCount: 1, lastEditedAt: edited.updatedAt });
    const prompt = await memory.compile(scope, "You are Sam.");
    expect(prompt).toContain('<human characters="9/2000" read_only="false">');
    expect(prompt).toContain("<value>\nName: Ada\n</value>");
    expect(prompt).toContain("- 2 previous messages between you and the user are stored in recall memory");
    expect(prompt).toContain("- 1 passage is stored in archival memory");
    expect(prompt.indexOf("<persona")).toBeLessThan(prompt.indexOf("<human"));
  });
});
