import {
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
  maxChannelVersion,
} from "@langchain/langgraph-checkpoint";
import { type Body, type ChannelEntry, type StoredWrite, type TypedBytes, decodeBody } from "./body.js";
import { CHECKSUM_MISMATCH, type ChecksummedCheckpoint, type ChecksummedWrite, checkpointRowDamaged, writeRowDamaged } from "./checksum.js";
import { unpackValue } from "./compress.js";
import { CARRIES_WRITES, FULL } from "./encode.js";
import { type CheckpointLocation, CorruptCheckpointError } from "./errors.js";
import { rowKey } from "./keys.js";
import { type ChannelState, ItemCache, type State, Unloaded, itemKey, loadTyped, materialise } from "./state.js";
import { versionKey } from "./versions.js";

/** A row of the checkpoint table, as the read statements return it. */
export interface CheckpointRow extends ChecksummedCheckpoint {
  threadId: string;
  body: Buffer;
}

/** A row of the pending-writes table (writes that did not travel with a checkpoint). */
export interface WriteRow extends ChecksummedWrite {
  threadId: string;
  blob: Buffer;
}

interface Stored extends CheckpointRow {
  decoded?: Body;
}

const EMPTY: State = new Map();


/**
 * The rows one read fetched (a page, the ancestors it needs, the rows
 * carrying its pending writes) and the checkpoints rebuilt from them. A
 * checkpoint's state is its nearest resolved ancestor's (a FULL row, a
 * state this process already holds, or an earlier result of this read)
 * with each row's changes applied oldest first, appending to lists in place.
 */
export class RowStore {
  private readonly rows = new Map<string, Stored>();
  private readonly writes = new Map<string, WriteRow[]>();
  private readonly carriers = new Map<string, Stored>();
  private readonly resolved = new Map<string, State>();
  /** Fetched rows whose every needed ancestor is fetched or known. */
  private readonly complete = new Set<string>();
  private readonly placeholders = new WeakMap<ChannelEntry, unknown[]>();

  /**
   * `known` holds resolved states this process already had, by rowKey: a
   * walk that reaches one stops there.
   */
  constructor(
    private readonly serde: SerializerProtocol,
    private readonly known: ReadonlyMap<string, State>,
    private readonly nextVersion: () => number | string,
    private readonly items = new ItemCache(0),
  ) {}

  /**
   * Rows are checked as they arrive, not when used: which row carries a
   * checkpoint's pending writes is decided by its flags and parent id, so a
   * damaged one must fail the read rather than silently carry nothing.
   */
  addCheckpoint(row: CheckpointRow): void {
    const key = rowKey(row.threadId, row.checkpointNs, row.checkpointId);
    if (this.rows.has(key)) return;
    if (checkpointRowDamaged(row)) throw new CorruptCheckpointError({ ...where(row), part: "checkpoint row" }, CHECKSUM_MISMATCH);
    const stored: Stored = { ...row };
    this.rows.set(key, stored);
    if (row.flags & CARRIES_WRITES && row.parentCheckpointId !== null && row.checkpointId > row.parentCheckpointId) {
      const parent = rowKey(row.threadId, row.checkpointNs, row.parentCheckpointId);
      const current = this.carriers.get(parent);
      // The first child written after the parent is the one its writes travelled with.
      if (!current || row.checkpointId < current.checkpointId) this.carriers.set(parent, stored);
    }
  }

  addWrite(row: WriteRow): void {
    if (writeRowDamaged(row)) {
      const at = { threadId: row.threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId };
      throw new CorruptCheckpointError({ ...at, part: `pending-write row of task ${row.taskId} (index ${row.idx})` }, CHECKSUM_MISMATCH);
    }
    const key = rowKey(row.threadId, row.checkpointNs, row.checkpointId);
    const list = this.writes.get(key) ?? [];
    if (list.some((w) => w.taskId === row.taskId && w.idx === row.idx)) return;
    list.push(row);
    this.writes.set(key, list);
  }

  /**
   * The nearest ancestor of a fetched checkpoint that is needed but neither
   * fetched nor known: where another walk must start. Undefined when
   * nothing is missing.
   */
  missingAncestor(key: string): CheckpointRow | undefined {
    const path: string[] = [];
    let missing: CheckpointRow | undefined;
    for (let current = key; !this.complete.has(current) && path.length <= this.rows.size; ) {
      const row = this.rows.get(current);
      if (!row || this.resolved.has(current) || this.known.has(current)) break;
      path.push(current);
      if (row.flags & FULL || row.parentCheckpointId === null) break;
      current = rowKey(row.threadId, row.checkpointNs, row.parentCheckpointId);
      if (!this.rows.has(current) && !this.known.has(current)) {
        missing = row;
        break;
      }
    }
    if (!missing) for (const done of path) this.complete.add(done);
    return missing;
  }

  /**
   * Rebuilds the states of a page's checkpoints (newest first), oldest
   * first: each one then starts from the previous instead of the root.
   */
  prepare(keys: readonly string[]): void {
    for (let i = keys.length - 1; i >= 0; i--) this.stateOf(keys[i]!);
  }

  /** Drops the states rebuilt so far (a page's worth), keeping the fetched rows. */
  forgetStates(): void {
    this.resolved.clear();
  }

  /** The resolved state of a fetched checkpoint. */
  stateOf(key: string): State {
    const path: Stored[] = [];
    let base: State | undefined;
    for (let current = key; base === undefined; ) {
      base = this.resolved.get(current) ?? this.known.get(current);
      if (base) break;
      const row = this.rows.get(current);
      if (!row) {
        const child = path[path.length - 1];
        if (!child) throw new Error(`checkpoint ${current} was not fetched`);
        throw new CorruptCheckpointError(where(path[0]!), `its ancestor checkpoint ${child.parentCheckpointId} is missing`);
      }
      path.push(row);
      if (path.length > this.rows.size) throw new CorruptCheckpointError(where(path[0]!), "its ancestors form a cycle");
      if (row.flags & FULL || row.parentCheckpointId === null) base = EMPTY;
      else current = rowKey(row.threadId, row.checkpointNs, row.parentCheckpointId);
    }
    const state = new Map<string, ChannelState>();
    for (const [channel, s] of base) state.set(channel, s.kind === "list" ? { ...s, items: s.items.slice() } : s);
    for (let i = path.length - 1; i >= 0; i--) {
      const row = path[i]!;
      const key = rowKey(row.threadId, row.checkpointNs, row.checkpointId);
      for (const [channel, entry] of this.body(row).channels) this.apply(state, key, row.flags, channel, entry, where(row));
    }
    this.resolved.set(key, state);
    return state;
  }

  /** The checkpoint tuple of a fetched row, with its pending writes. */
  async tuple(key: string): Promise<CheckpointTuple> {
    const row = this.rows.get(key)!;
    const at = where(row);
    const body = this.body(row);
    const record = parseRecord(body, at);
    const state = this.stateOf(key);
    const channelValues: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(record.channel_versions ?? {}).map(async ([channel, version]) => {
        const s = state.get(channel);
        if (!s || s.version !== versionKey(version)) return;
        if (s.kind === "value") channelValues[channel] = await loadTyped(this.serde, s.value, s.where);
        else if (s.kind === "list") channelValues[channel] = await materialise(this.serde, s.items);
      }),
    );
    const checkpoint: Checkpoint = {
      ...record,
      id: row.checkpointId,
      channel_values: channelValues,
      channel_versions: { ...(record.channel_versions ?? {}) },
      versions_seen: record.versions_seen ?? {},
    };
    if ((record.v ?? 4) < 4 && row.parentCheckpointId !== null) await this.migrateSends(row, body, checkpoint);
    const metadata = (await loadTyped(this.serde, body.metadata, { ...at, part: "metadata" })) as CheckpointMetadata;
    const configurable = { thread_id: row.threadId, checkpoint_ns: row.checkpointNs };
    return {
      config: { configurable: { ...configurable, checkpoint_id: row.checkpointId } },
      checkpoint,
      metadata,
      parentConfig: row.parentCheckpointId !== null ? { configurable: { ...configurable, checkpoint_id: row.parentCheckpointId } } : undefined,
      pendingWrites: await this.pendingWrites(key, at),
    };
  }

  /**
   * Applies one stored channel entry. A list's new items are what this
   * process already holds for them, or one placeholder each, shared by every
   * state of this read that contains them.
   */
  private apply(
    state: Map<string, ChannelState>,
    key: string,
    flags: number,
    channel: string,
    entry: ChannelEntry,
    at: CheckpointLocation,
  ): void {
    applyEntry(state, channel, entry, at, () => {
      let added = this.placeholders.get(entry);
      if (!added) {
        const part = { ...at, part: `channel "${channel}"` };
        added = (entry as { items: TypedBytes[] }).items.map((item, i) => {
          const cacheKey = itemKey(key, flags, channel, i);
          return this.items.has(cacheKey) ? this.items.get(cacheKey) : new Unloaded(item, part, { items: this.items, key: cacheKey });
        });
        this.placeholders.set(entry, added);
      }
      return added;
    });
  }

  private body(row: Stored): Body {
    if (!row.decoded) {
      try {
        row.decoded = decodeBody(row.body);
      } catch (err) {
        throw new CorruptCheckpointError(where(row), `cannot decode the stored row (${(err as Error)?.message ?? String(err)})`, { cause: err });
      }
    }
    return row.decoded;
  }

  /** Writes against a checkpoint: the table's rows, then those that travelled with its first child. */
  private storedWrites(key: string): StoredWrite[] {
    const merged = new Map<string, StoredWrite>();
    for (const w of this.writes.get(key) ?? []) merged.set(`${w.taskId}\u0000${w.idx}`, tableWrite(w));
    const carrier = this.carriers.get(key);
    for (const w of carrier ? this.body(carrier).writes : []) {
      const id = `${w.taskId}\u0000${w.idx}`;
      // Special channels (errors, interrupts...) replace what the task wrote before; others keep the first.
      if (!merged.has(id) || w.channel in WRITES_IDX_MAP) merged.set(id, w);
    }
    return [...merged.values()].sort(
      (a, b) => compare(a.taskPath, b.taskPath) || compare(a.taskId, b.taskId) || a.idx - b.idx,
    );
  }

  private pendingWrites(key: string, at: CheckpointLocation): Promise<CheckpointPendingWrite[]> {
    return Promise.all(
      this.storedWrites(key).map(async (w) => {
        const part = { ...at, part: `pending write of task ${w.taskId} to "${w.channel}"` };
        const value = await loadTyped(this.serde, unpack(w.value, part), part);
        return [w.taskId, w.channel, value] as CheckpointPendingWrite;
      }),
    );
  }

  // Checkpoints before v4 kept pending sends as writes on their parent.
  private async migrateSends(row: Stored, body: Body, checkpoint: Checkpoint): Promise<void> {
    const parent = rowKey(row.threadId, row.checkpointNs, row.parentCheckpointId!);
    const fromTable = (this.writes.get(parent) ?? []).map(tableWrite);
    const sends = [...fromTable, ...body.writes]
      .filter((w) => w.channel === TASKS)
      .sort((a, b) => compare(a.taskPath, b.taskPath) || compare(a.taskId, b.taskId) || a.idx - b.idx);
    if (sends.length === 0) return;
    checkpoint.channel_values[TASKS] = await Promise.all(
      sends.map((w) => {
        const part = { ...where(row), part: "pending sends of the parent" };
        return loadTyped(this.serde, unpack(w.value, part), part);
      }),
    );
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.nextVersion();
  }
}

function applyEntry(state: Map<string, ChannelState>, channel: string, entry: ChannelEntry, at: CheckpointLocation, added: () => unknown[]): void {
  if (entry.kind === "empty") {
    state.set(channel, entry);
    return;
  }
  const part = `channel "${channel}"`;
  if (entry.kind === "value") {
    state.set(channel, { kind: "value", version: entry.version, value: entry.value, where: { ...at, part } });
    return;
  }
  const previous = state.get(channel);
  const items = previous?.kind === "list" ? previous.items : [];
  if (entry.keep > items.length) {
    throw new CorruptCheckpointError({ ...at, part }, `keeps ${entry.keep} items of a parent list of ${items.length}`);
  }
  // The state under construction owns its arrays (copied from its base), so lists grow in place.
  items.length = entry.keep;
  for (const item of added()) items.push(item);
  state.set(channel, { kind: "list", version: entry.version, items });
}

type StoredRecord = Omit<Checkpoint, "id" | "channel_values"> & { v?: number };

function parseRecord(body: Body, at: CheckpointLocation): StoredRecord {
  let record: unknown;
  try {
    record = JSON.parse(Buffer.from(body.record).toString("utf8"));
  } catch (err) {
    throw new CorruptCheckpointError(at, `cannot parse the checkpoint record (${(err as Error).message})`, { cause: err });
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new CorruptCheckpointError(at, "the checkpoint record is not an object");
  }
  return record as StoredRecord;
}

/** A row of the pending-writes table as a write. */
function tableWrite(w: WriteRow): StoredWrite {
  return { taskId: w.taskId, taskPath: w.taskPath, idx: w.idx, channel: w.channel, value: { type: w.type, data: w.blob } };
}

/** The serialiser's bytes of a stored value, which may be packed (compress.ts). */
function unpack(value: TypedBytes, at: CheckpointLocation): TypedBytes {
  try {
    const [type, data] = unpackValue(value.type, value.data);
    return { type, data: data as Uint8Array };
  } catch (err) {
    throw new CorruptCheckpointError(at, `cannot unpack the stored value (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
}

function where(row: CheckpointRow): CheckpointLocation {
  return { threadId: row.threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
