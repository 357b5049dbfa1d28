import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { Annotation, END, MessagesAnnotation, START, StateGraph, interrupt } from "@langchain/langgraph";
import { expect, it } from "vitest";
import { CorruptCheckpointError, ThreadlineSaver } from "../../checkpoints/index.js";
import { describeBackends, type TestDatabase } from "../helpers/db.js";

/**
 * Flips one bit of one byte of one stored row at a time, over every byte of
 * every column that gives a row its meaning, and reads the whole thread back
 * through a saver with empty caches, as another process would: each flip
 * must come back as a CorruptCheckpointError, never as a different state
 * and never as any other error.
 */

const State = Annotation.Root({ ...MessagesAnnotation.spec, status: Annotation<string>() });

function buildGraph(saver: ThreadlineSaver) {
  return new StateGraph(State)
    .addNode("greet", () => ({ messages: [new AIMessage("Hello, which account?")], status: "asked" }))
    .addNode("lookup", () => ({ messages: [new AIMessage({ content: "Looking up ACC-1001.", tool_calls: [{ id: "call_1", name: "lookup", args: { id: "ACC-1001" } }] })] }))
    .addNode("pin", () => {
      const pin = interrupt({ prompt: "Enter the PIN for account ACC-1001." });
      return { status: `pin ${String(pin)}` };
    })
    .addEdge(START, "greet")
    .addEdge("greet", "lookup")
    .addEdge("lookup", "pin")
    .addEdge("pin", END)
    .compile({ checkpointer: saver });
}

type Column = { name: string; kind: "bytea" | "text" | "smallint" | "integer" };
const CHECKPOINT_COLUMNS: Column[] = [
  { name: "body", kind: "bytea" },
  { name: "flags", kind: "smallint" },
  { name: "checksum", kind: "integer" },
  { name: "parent_checkpoint_id", kind: "text" },
];
const WRITE_COLUMNS: Column[] = [
  { name: "blob", kind: "bytea" },
  { name: "type", kind: "text" },
  { name: "channel", kind: "text" },
  { name: "task_path", kind: "text" },
  { name: "idx", kind: "integer" },
  { name: "checksum", kind: "integer" },
];

/**
 * Each read a reader makes of the thread, by a saver with empty caches: the
 * whole history, and each checkpoint alone (which fetches fewer rows). Each
 * gives comparable text, or the error it threw.
 */
async function reads(db: TestDatabase, threadId: string, ids: readonly string[]): Promise<(string | Error)[]> {
  const attempt = async (read: (saver: ThreadlineSaver) => Promise<unknown>) => {
    try {
      return JSON.stringify(await read(new ThreadlineSaver(db)));
    } catch (err) {
      return err as Error;
    }
  };
  const all = await attempt(async (saver) => {
    const tuples = [];
    for await (const tuple of saver.list({ configurable: { thread_id: threadId } })) tuples.push(tuple);
    return tuples;
  });
  const one = [];
  for (const id of ids) one.push(await attempt((saver) => saver.getTuple({ configurable: { thread_id: threadId, checkpoint_id: id } })));
  return [all, ...one];
}

/** The values one flip of each byte (or bit, for numbers) of a column produces. */
function flips(kind: Column["kind"], value: Buffer | string | number): (Buffer | string | number)[] {
  if (kind === "smallint" || kind === "integer") {
    const bits = kind === "smallint" ? 16 : 32;
    return Array.from({ length: bits }, (_, bit) => (kind === "smallint" ? ((value as number) ^ (1 << bit)) << 16 >> 16 : (value as number) ^ (1 << bit)));
  }
  const bytes = Buffer.from(value as Buffer | string);
  return [...bytes.keys()].map((i) => {
    const flipped = Buffer.from(bytes);
    // Text stays valid UTF-8 and free of NUL, as Postgres requires of text values.
    flipped[i] = kind === "text" ? (flipped[i]! ^ (flipped[i] === 0x01 ? 0x02 : 0x01)) : flipped[i]! ^ (1 << (i % 8));
    return kind === "text" ? flipped.toString("latin1") : flipped;
  });
}

describeBackends("byte flips in stored rows", (db) => {
  it("every flip of every stored byte is a CorruptCheckpointError", { timeout: 240_000 }, async () => {
    const saver = await ThreadlineSaver.create(db());
    const graph = buildGraph(saver);
    const config = { configurable: { thread_id: "flip" }, durability: "sync" as const };
    await graph.invoke({ messages: [new HumanMessage("What's my balance?")] }, config);
    await saver.flush();
    const checkpointRows = (await db().pool.query("SELECT checkpoint_id AS id FROM tl_checkpoints WHERE thread_id = 'flip'")).rows;
    const ids = checkpointRows.map((r) => r.id as string);
    const baseline = await reads(db(), "flip", ids);
    expect(baseline.every((r) => typeof r === "string")).toBe(true);

    const writeRows = (await db().pool.query("SELECT checkpoint_id AS id, task_id AS task, idx FROM tl_checkpoint_writes WHERE thread_id = 'flip'")).rows;
    expect(checkpointRows.length).toBeGreaterThanOrEqual(4);
    // The interrupt is a pending write of its own row, besides those travelling in bodies.
    expect(writeRows.length).toBeGreaterThanOrEqual(1);

    const outcomes = { corrupt: 0, silent: [] as string[], untyped: [] as string[] };
    /** `keyed`: the column is the last of `params` (the key moves with each flip). */
    const trial = async (table: string, where: string, params: unknown[], column: Column, keyed = false) => {
      const { rows } = await db().pool.query(`SELECT ${column.name} AS v FROM ${table} WHERE ${where}`, params);
      const original = rows[0]!.v as Buffer | string | number | null;
      if (original === null) return;
      const cast = column.kind === "bytea" ? "bytea" : column.kind;
      const set = `UPDATE ${table} SET ${column.name} = $${params.length + 1}::${cast} WHERE ${where}`;
      const restore = async (current: unknown) => {
        const key = keyed ? [...params.slice(0, -1), current] : params;
        await db().pool.query(set, [...key, original]);
      };
      for (const [n, value] of flips(column.kind, original).entries()) {
        try {
          await db().pool.query(set, [...params, value]);
        } catch (err) {
          // A key column flipped onto another row's key: not a state anyone could read.
          if ((err as { code?: string }).code === "23505") continue;
          throw err;
        }
        const label = `${table}.${column.name} ${JSON.stringify(params)} flip ${n}`;
        // Every read either fails with the typed error or, not needing the row, reads as before; some read needs it.
        const after = await reads(db(), "flip", ids);
        const typed = (r: string | Error) => r instanceof CorruptCheckpointError && r.threadId === "flip" && !!r.checkpointId;
        for (const [i, r] of after.entries()) {
          if (r instanceof Error && !typed(r)) outcomes.untyped.push(`${label}, read ${i}: ${r.message}`);
          if (typeof r === "string" && r !== baseline[i]) outcomes.silent.push(`${label}, read ${i}`);
        }
        if (after.some(typed)) outcomes.corrupt++;
        else if (after.every((r, i) => r === baseline[i])) outcomes.silent.push(`${label} (no read noticed it)`);
        await restore(value);
      }
    };

    for (const row of checkpointRows) {
      for (const column of CHECKPOINT_COLUMNS) await trial("tl_checkpoints", "thread_id = 'flip' AND checkpoint_id = $1", [row.id], column);
    }
    for (const row of writeRows) {
      for (const column of WRITE_COLUMNS) {
        const where = "thread_id = 'flip' AND checkpoint_id = $1 AND task_id = $2 AND idx = $3";
        await trial("tl_checkpoint_writes", where, [row.id, row.task, row.idx], column, column.name === "idx");
      }
    }

    expect(outcomes.silent).toEqual([]);
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.corrupt).toBeGreaterThan(1_000);
    // Every flip was put back: the thread reads as it did.
    expect(await reads(db(), "flip", ids)).toEqual(baseline);
  });
});
