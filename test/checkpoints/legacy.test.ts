import { deflateRawSync } from "node:zlib";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { JsonPlusSerializer } from "@langchain/langgraph-checkpoint";
import { expect, it } from "vitest";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { packValue } from "../../checkpoints/compress.js";
import { LEGACY_RECORD_DICTIONARY } from "../../checkpoints/legacy/convert.js";
import { describeBackends } from "../helpers/db.js";
import { freshSaver, rowsOf } from "./helpers.js";

// The tables of the saver's first storage format, as migrations 0-2 left them, renamed by migration 3.
const LEGACY_TABLES = [
  `CREATE TABLE tl_legacy_checkpoints (
    thread_id text NOT NULL, checkpoint_ns text NOT NULL, checkpoint_id text NOT NULL, parent_checkpoint_id text,
    run_id text, checkpoint jsonb NOT NULL, metadata jsonb NOT NULL, record bytea,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id))`,
  `CREATE TABLE tl_legacy_checkpoint_blobs (
    thread_id text NOT NULL, checkpoint_ns text NOT NULL, channel text NOT NULL, version text NOT NULL,
    type text NOT NULL, blob bytea, PRIMARY KEY (thread_id, checkpoint_ns, channel, version))`,
  `CREATE TABLE tl_legacy_checkpoint_items (
    thread_id text NOT NULL, node bytea NOT NULL, parent bytea, type text NOT NULL, blob bytea NOT NULL,
    PRIMARY KEY (thread_id, node))`,
];

describeBackends("checkpoints stored in the first format", (db) => {
  it("are converted when the saver opens, and the old tables dropped", async () => {
    await ThreadlineSaver.create(db());
    const pool = db().pool;
    for (const statement of LEGACY_TABLES) await pool.query(statement);
    const serde = new JsonPlusSerializer();
    const [human, ai] = [new HumanMessage({ content: "hello ".repeat(40), id: "m1" }), new AIMessage({ content: "hi", id: "m2" })];
    const [humanType, humanBytes] = await serde.dumpsTyped(human);
    const [aiType, aiBytes] = await serde.dumpsTyped(ai);
    const [node1, node2] = [Buffer.alloc(16, 1), Buffer.alloc(16, 2)];
    // One item as the first format packed it, one as it stored small values.
    await pool.query("INSERT INTO tl_legacy_checkpoint_items VALUES ('old', $1, NULL, $2, $3), ('old', $4, $1, $5, $6)", [
      node1, ...packValue(humanType, Buffer.from(humanBytes)), node2, aiType, Buffer.from(aiBytes),
    ]);
    const first = { v: 4, ts: "2026-01-01T00:00:00.000Z", versions_seen: { a: { n: 1 } }, channel_versions: { n: 1, gone: 2, messages: 3 } };
    const second = { v: 4, channel_versions: { n: 1, gone: 2, messages: 4 } };
    const packed = deflateRawSync(Buffer.from(JSON.stringify({ ts: "2026-01-02T00:00:00.000Z", versions_seen: { a: { n: 1 }, b: { messages: 3 } } })), {
      dictionary: LEGACY_RECORD_DICTIONARY,
    });
    await pool.query(
      `INSERT INTO tl_legacy_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, checkpoint, metadata, record)
       VALUES ('old', '', 'c1', NULL, 'r1', $1::jsonb, '{"source":"input","step":-1,"parents":{}}', NULL),
              ('old', '', 'c2', 'c1', 'r1', $2::jsonb, '{"source":"loop","step":0,"parents":{}}', $3)`,
      [JSON.stringify(first), JSON.stringify(second), packed],
    );
    await pool.query(
      `INSERT INTO tl_legacy_checkpoint_blobs VALUES
        ('old', '', 'n', '1', 'json', convert_to('5', 'UTF8')), ('old', '', 'gone', '2', 'empty', NULL),
        ('old', '', 'messages', '3', 'tl:list', $1), ('old', '', 'messages', '4', 'tl:list', $2)`,
      [node1, node2],
    );
    await pool.query(
      "INSERT INTO tl_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob) VALUES ('old', '', 'c1', 'task', 0, 'n', 'json', convert_to('7', 'UTF8'))",
    );

    await ThreadlineSaver.create(db());
    const saver = freshSaver(db());
    const c1 = await saver.getTuple({ configurable: { thread_id: "old", checkpoint_id: "c1" } });
    expect(c1?.checkpoint).toEqual({ ...first, id: "c1", channel_values: { n: 5, messages: [human] } });
    expect(c1?.pendingWrites).toEqual([["task", "n", 7]]);
    const c2 = await saver.getTuple({ configurable: { thread_id: "old" } });
    expect(c2?.checkpoint).toEqual({
      ...second, id: "c2", ts: "2026-01-02T00:00:00.000Z", versions_seen: { a: { n: 1 }, b: { messages: 3 } },
      channel_values: { n: 5, messages: [human, ai] },
    });
    expect(c2?.metadata).toEqual({ source: "loop", step: 0, parents: {} });
    expect(c2?.parentConfig?.configurable?.checkpoint_id).toBe("c1");
    // The child stores only what it added.
    const rows = await rowsOf(db(), "old");
    expect(rows.map((r) => r.flags & 1)).toEqual([1, 0]);
    const { rows: left } = await pool.query("SELECT to_regclass('tl_legacy_checkpoints') AS t, to_regclass('tl_legacy_checkpoint_items') AS i");
    expect(left[0]).toEqual({ t: null, i: null });
    expect((await saver.list({ configurable: { thread_id: "old" } }, { filter: { source: "input" } }).next()).value?.checkpoint.id).toBe("c1");
  });
});
