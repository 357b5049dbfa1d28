import { expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/errors.js";
import { BlockLimitError, createMemory, ReadOnlyBlockError, type MemoryScope } from "../../src/memory/index.js";
import { describeBackends } from "../helpers/db.js";

const ada: MemoryScope = { assistantId: "agent", userId: "ada" };
const bob: MemoryScope = { assistantId: "agent", userId: "bob" };

describeBackends("core memory", (db) => {
  it("creates persona and human once per scope, in that order", async () => {
    const memory = await createMemory(db());
    const blocks = await memory.core.ensureDefaults(ada);
    expect(blocks.map((b) => [b.label, b.version, b.limit, b.readOnly])).toEqual([
      ["persona", 1, 2000, false],
      ["human", 1, 2000, false],
    ]);
    await memory.core.append(ada, "human", "Name: Ada");
    const again = await memory.core.ensureDefaults(ada);
    expect(again.find((b) => b.label === "human")?.value).toBe("Name: Ada");
    expect(await memory.core.list(bob)).toEqual([]);
  });

  it("appends, replaces exactly once and rethinks, bumping the version each time", async () => {
    const memory = await createMemory(db());
    let block = await memory.core.append(ada, "human", "Name: Ada");
    block = await memory.core.append(ada, "human", "Likes: tea");
    expect(block.value).toBe("Name: Ada\nLikes: tea");
    block = await memory.core.replace(ada, "human", "tea", "coffee");
    expect(block.value).toBe("Name: Ada\nLikes: coffee");
    block = await memory.core.rethink(ada, "human", "Ada, coffee drinker");
    expect(block).toMatchObject({ value: "Ada, coffee drinker", version: 5 });
    expect((await memory.core.get(ada, "human"))?.updatedAt).toBeInstanceOf(Date);
  });

  it("rejects a replace matching zero or several places, with a reason", async () => {
    const memory = await createMemory(db());
    await memory.core.rethink(ada, "human", "likes cats; likes dogs");
    await expect(memory.core.replace(ada, "human", "horses", "x")).rejects.toThrow(/not found in block 'human'/);
    await expect(memory.core.replace(ada, "human", "likes", "x")).rejects.toThrow(/occurs 2 times/);
    expect((await memory.core.get(ada, "human"))?.value).toBe("likes cats; likes dogs");
  });

  it("enforces the character limit in code points and leaves the block unchanged", async () => {
    const memory = await createMemory(db());
    await memory.core.create(ada, { label: "notes", description: "scratch", limit: 10, value: "ééééé" });
    const err = await memory.core.append(ada, "notes", "12345").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockLimitError);
    expect((err as Error).message).toContain("would exceed its 10-character limit (5 + 6 = 11 characters)");
    await expect(memory.core.append(ada, "notes", "1234")).resolves.toMatchObject({ value: "ééééé\n1234" });
    await expect(memory.core.rethink(ada, "notes", "x".repeat(11))).rejects.toBeInstanceOf(BlockLimitError);
    // The database refuses an over-long value even from a writer that skips the check.
    await expect(
      db().pool.query("UPDATE memory_blocks SET value = repeat('x', 11) WHERE label = 'notes'"),
    ).rejects.toThrow(/check constraint/);
  });

  it("never lets a read-only block be edited by append, replace or rethink", async () => {
    const memory = await createMemory(db());
    await memory.core.define(ada, { label: "persona", description: "fixed", limit: 200, readOnly: true, value: "I am Sam." });
    for (const edit of [
      () => memory.core.append(ada, "persona", "I am evil."),
      () => memory.core.replace(ada, "persona", "Sam", "Eve"),
      () => memory.core.rethink(ada, "persona", "I am Eve."),
    ]) {
      await expect(edit()).rejects.toBeInstanceOf(ReadOnlyBlockError);
    }
    expect(await memory.core.get(ada, "persona")).toMatchObject({ value: "I am Sam.", readOnly: true });
  });

  it("makes concurrent edits of one version conflict instead of losing one", async () => {
    const memory = await createMemory(db());
    const { version } = (await memory.core.ensureDefaults(ada)).find((b) => b.label === "human")!;
    const results = await Promise.allSettled([
      memory.core.append(ada, "human", "Lives in Porto", { expectedVersion: version }),
      memory.core.append(ada, "human", "Lives in Lisbon", { expectedVersion: version }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
    expect(lost[0]!.reason.message).toMatch(/re-read the block and try again/);
    const human = await memory.core.get(ada, "human");
    expect(human?.version).toBe(version + 1);
    expect(human?.value.split("\n")).toHaveLength(1);
  });

  it("makes many unversioned racing edits each either apply or conflict, never vanish", async () => {
    const memory = await createMemory(db());
    await memory.core.ensureDefaults(ada);
    const facts = Array.from({ length: 8 }, (_, i) => `fact ${i}`);
    const results = await Promise.allSettled(facts.map((f) => memory.core.append(ada, "human", f)));
    const applied = facts.filter((_, i) => results[i]!.status === "fulfilled");
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
    const human = (await memory.core.get(ada, "human"))!;
    expect(human.value.split("\n").sort()).toEqual(applied.sort());
    expect(human.version).toBe(1 + applied.length);
  });

  it("validates labels and reports unknown blocks with the ones that exist", async () => {
    const memory = await createMemory(db());
    await expect(memory.core.create(ada, { label: "Bad Label", description: "", limit: 10 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await memory.core.create(ada, { label: "projects", description: "Current projects", limit: 500 });
    await expect(memory.core.create(ada, { label: "projects", description: "", limit: 5 })).rejects.toBeInstanceOf(ConflictError);
    const err = await memory.core.append(ada, "hobbies", "chess").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe("there is no core memory block 'hobbies'; the blocks are 'persona', 'human', 'projects'");
  });

  it("keeps assistants apart for the same user", async () => {
    const memory = await createMemory(db());
    await memory.core.append(ada, "human", "Name: Ada");
    const other = { assistantId: "other-agent", userId: "ada" };
    expect((await memory.core.ensureDefaults(other)).find((b) => b.label === "human")?.value).toBe("");
  });
});
