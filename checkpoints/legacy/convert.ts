import { inflateRawSync } from "node:zlib";
import type { ChannelVersions, Checkpoint, CheckpointMetadata, SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type pg from "pg";
import { type PoolHolder, withTransaction } from "../database.js";
import { checkpointChecksum } from "../checksum.js";
import { unpackValue } from "../compress.js";
import { type Base, encodeCheckpoint } from "../encode.js";
import type { State } from "../state.js";

/**
 * Converts checkpoints stored in the tables of the saver's first format
 * (migrations 0-2: a row per checkpoint, per channel version and per list
 * item) into today's rows, then drops those tables; pending writes keep
 * their table and keys. Runs once, in one transaction, under a lock, so a
 * crash converts nothing and two processes do not both convert.
 */
export async function convertLegacyTables(db: PoolHolder, serde: SerializerProtocol): Promise<number> {
  const { rows } = await db.pool.query<{ present: boolean }>(SQL.present);
  if (!rows[0]?.present) return 0;
  return withTransaction(db, async (client) => {
    await client.query(SQL.lock);
    const again = await client.query<{ present: boolean }>(SQL.present);
    if (!again.rows[0]?.present) return 0;
    const threads = await client.query<{ threadId: string }>(SQL.threads);
    let converted = 0;
    for (const { threadId } of threads.rows) converted += await convertThread(client, serde, threadId);
    await client.query(SQL.drop);
    return converted;
  });
}

const SQL = {
  present: "SELECT to_regclass('tl_legacy_checkpoints') IS NOT NULL AS present",
  lock: "SELECT pg_advisory_xact_lock(hashtext('threadline.checkpoints.convert'))",
  threads: 'SELECT DISTINCT thread_id AS "threadId" FROM tl_legacy_checkpoints',
  checkpoints: `
    SELECT checkpoint_ns AS "checkpointNs", checkpoint_id AS "checkpointId", parent_checkpoint_id AS "parentId",
           run_id AS "runId", checkpoint, metadata::text AS metadata, record
    FROM tl_legacy_checkpoints WHERE thread_id = $1 ORDER BY checkpoint_ns, checkpoint_id`,
  blobs: 'SELECT checkpoint_ns AS "checkpointNs", channel, version, type, blob FROM tl_legacy_checkpoint_blobs WHERE thread_id = $1',
  items: "SELECT node, parent, type, blob FROM tl_legacy_checkpoint_items WHERE thread_id = $1",
  insert: `
    INSERT INTO tl_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, run_id, flags, body, checksum)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
  drop: "DROP TABLE tl_legacy_checkpoints, tl_legacy_checkpoint_blobs, tl_legacy_checkpoint_items",
};

// The first format's dictionary for packed checkpoint records.
export const LEGACY_RECORD_DICTIONARY = Buffer.from(
  '"__input__":{},"__start__":{"__start__":1},"__pregel_tasks":1,"branch:to:","__root__":' +
    '"updated_channels":["messages","branch:to:"],' +
    '{"ts":"2026-01-01T00:00:00.000Z","versions_seen":{"__input__":{},"__start__":{"__start__":',
);

interface LegacyRow {
  checkpointNs: string;
  checkpointId: string;
  parentId: string | null;
  runId: string | null;
  checkpoint: Record<string, unknown>;
  metadata: string;
  record: Buffer | null;
}

async function convertThread(client: pg.PoolClient, serde: SerializerProtocol, threadId: string): Promise<number> {
  const checkpoints = (await client.query<LegacyRow>(SQL.checkpoints, [threadId])).rows;
  const blobs = new Map<string, { type: string; blob: Buffer | null }>();
  for (const b of (await client.query(SQL.blobs, [threadId])).rows) blobs.set(`${b.checkpointNs}\u0000${b.channel}\u0000${b.version}`, b);
  const items = new Map<string, { parent: Buffer | null; type: string; blob: Buffer }>();
  for (const i of (await client.query(SQL.items, [threadId])).rows) items.set((i.node as Buffer).toString("latin1"), i);
  // Items shared by several lists become one object, so each list is stored
  // as the items it adds to its parent's.
  const loaded = new Map<string, Promise<unknown>>();
  const load = (type: string, blob: Buffer) => {
    const [t, data] = unpackValue(type, blob);
    return serde.loadsTyped(t, data);
  };
  const listAt = async (tail: Buffer | null) => {
    const nodes: string[] = [];
    for (let node = tail; node; ) {
      const id = node.toString("latin1");
      const item = items.get(id);
      if (!item || nodes.length > items.size) throw new Error(`thread ${threadId}: list item ${node.toString("hex")} is missing`);
      nodes.push(id);
      node = item.parent;
    }
    return Promise.all(
      nodes.reverse().map((id) => {
        let value = loaded.get(id);
        if (!value) loaded.set(id, (value = load(items.get(id)!.type, items.get(id)!.blob)));
        return value;
      }),
    );
  };
  const states = new Map<string, { state: State; versions: ChannelVersions }>();
  const pending = [...checkpoints];
  let converted = 0;
  while (pending.length > 0) {
    // Parents first; a parent that is not stored at all does not hold anything up.
    const index = pending.findIndex(
      (r) => r.parentId === null || states.has(`${r.checkpointNs}\u0000${r.parentId}`) || !pending.some((p) => p.checkpointNs === r.checkpointNs && p.checkpointId === r.parentId),
    );
    const row = pending.splice(index < 0 ? 0 : index, 1)[0]!;
    const record = { ...row.checkpoint, ...(row.record ? JSON.parse(inflateRawSync(row.record, { dictionary: LEGACY_RECORD_DICTIONARY }).toString("utf8")) : {}) };
    const versions = (record.channel_versions ?? {}) as ChannelVersions;
    const values: Record<string, unknown> = {};
    for (const [channel, version] of Object.entries(versions)) {
      const blob = blobs.get(`${row.checkpointNs}\u0000${channel}\u0000${String(version)}`);
      if (!blob || blob.type === "empty") continue;
      values[channel] = blob.type === "tl:list" ? await listAt(blob.blob) : await load(blob.type, blob.blob!);
    }
    const checkpoint = { ...record, id: row.checkpointId, channel_values: values } as Checkpoint;
    const metadata = (await serde.loadsTyped("json", row.metadata)) as CheckpointMetadata;
    const parent = row.parentId === null ? undefined : states.get(`${row.checkpointNs}\u0000${row.parentId}`);
    const base: Base = row.parentId === null ? { kind: "root" } : parent ? { kind: "parent", state: parent.state } : { kind: "orphan" };
    const newVersions = Object.fromEntries(
      Object.entries(versions).filter(([channel, version]) => base.kind !== "parent" || String(parent!.versions[channel]) !== String(version)),
    );
    const location = { threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId };
    const encoded = await encodeCheckpoint(serde, { location, checkpoint, metadata, newVersions, base, writes: [] });
    const checksum = checkpointChecksum(row.checkpointNs, row.checkpointId, row.parentId, encoded.flags, encoded.body);
    await client.query(SQL.insert, [threadId, row.checkpointNs, row.checkpointId, row.parentId, row.runId, encoded.flags, encoded.body, checksum]);
    states.set(`${row.checkpointNs}\u0000${row.checkpointId}`, { state: encoded.state, versions });
    converted++;
  }
  return converted;
}
