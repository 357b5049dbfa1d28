import {
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type SerializerProtocol,
  TASKS,
  maxChannelVersion,
} from "@langchain/langgraph-checkpoint";
import { type CheckpointLocation, CorruptCheckpointError } from "./errors.js";
import type { CachedList, KnownNodes } from "./list-cache.js";
import { unpackRecord, unpackValue } from "./compress.js";
import { EMPTY_TYPE, LIST_TYPE } from "./sql.js";

/** A row of SELECT_CHECKPOINTS. */
export interface CheckpointRow {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  checkpoint: unknown;
  record: Buffer | null;
  metadata: string;
  blobChannels: string[] | null;
  blobTypes: string[] | null;
  blobValues: (Buffer | null)[] | null;
  writeTaskIds: string[] | null;
  writeChannels: string[] | null;
  writeTypes: string[] | null;
  writeValues: Buffer[] | null;
  sendTypes: string[] | null;
  sendValues: Buffer[] | null;
  itemThreads: string[] | null;
  itemNodes: Buffer[] | null;
  itemParents: (Buffer | null)[] | null;
  itemTypes: string[] | null;
  itemValues: Buffer[] | null;
}

interface StoredItem {
  parent: Buffer | null;
  type: string;
  blob: Buffer;
}

/**
 * The list items of the rows read so far, deserialised at most once each.
 * Lists that share items (every checkpoint of a thread shares its message
 * history) therefore share the deserialised objects too, which is what makes
 * reading a whole history linear instead of quadratic.
 */
export class ItemIndex {
  private readonly items = new Map<string, StoredItem>();
  private readonly loaded: Map<string, Promise<unknown>>;

  /**
   * `shared` carries deserialised items across calls (bounded by the
   * caller); items are content-addressed, so an entry never goes stale.
   */
  constructor(
    private readonly serde: SerializerProtocol,
    shared?: Map<string, Promise<unknown>>,
  ) {
    this.loaded = shared ?? new Map();
  }

  addRows(row: CheckpointRow): void {
    const nodes = row.itemNodes;
    if (!nodes) return;
    for (let i = 0; i < nodes.length; i++) {
      this.items.set(itemKey(row.itemThreads![i]!, nodes[i]!), {
        parent: row.itemParents![i] ?? null,
        type: row.itemTypes![i]!,
        blob: row.itemValues![i]!,
      });
    }
  }

  /**
   * The list ending at `tail`, oldest item first. The walk back from the
   * tail stops at the first node of `known` (the query did not send the
   * items before it), whose cached list supplies the prefix.
   */
  async list(threadId: string, tail: Buffer | null, where: CheckpointLocation, known?: KnownNodes): Promise<CachedList> {
    const nodes: Buffer[] = [];
    let prefix: { items: readonly unknown[]; nodes: readonly Buffer[] } = { items: [], nodes: [] };
    for (let node = tail; node; ) {
      const hit = known?.get(node.toString("latin1"));
      if (hit) {
        prefix = { items: hit.list.items.slice(0, hit.index + 1), nodes: hit.list.nodes.slice(0, hit.index + 1) };
        break;
      }
      const item = this.items.get(itemKey(threadId, node));
      if (!item) throw new CorruptCheckpointError(where, `list item ${node.toString("hex")} is missing`);
      if (nodes.length > this.items.size) throw new CorruptCheckpointError(where, "list items form a cycle");
      nodes.push(node);
      node = item.parent;
    }
    nodes.reverse();
    const items = await Promise.all(nodes.map((node) => this.load(threadId, node, where)));
    return { items: [...prefix.items, ...items], nodes: [...prefix.nodes, ...nodes] };
  }

  private load(threadId: string, node: Buffer, where: CheckpointLocation): Promise<unknown> {
    const key = itemKey(threadId, node);
    let value = this.loaded.get(key);
    if (!value) {
      const item = this.items.get(key)!;
      value = loadValue(this.serde, item.type, item.blob, where);
      // A failed load must not stay cached: the error names one checkpoint.
      value.catch(() => this.loaded.delete(key));
      this.loaded.set(key, value);
    }
    return value;
  }
}

function itemKey(threadId: string, node: Buffer): string {
  return `${threadId}\u0000${node.toString("latin1")}`;
}

async function loadValue(serde: SerializerProtocol, type: string, blob: Uint8Array | string, where: CheckpointLocation) {
  try {
    return await serde.loadsTyped(...unpackValue(type, blob));
  } catch (err) {
    throw new CorruptCheckpointError(where, `cannot deserialise (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
}

function unpackRecordOf(row: CheckpointRow, location: CheckpointLocation): object {
  if (!row.record) return {};
  let record: unknown;
  try {
    record = unpackRecord(row.record);
  } catch (err) {
    throw new CorruptCheckpointError(location, `cannot unpack the checkpoint record (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new CorruptCheckpointError(location, "the checkpoint record is not an object");
  }
  return record;
}

export interface DecodedRow {
  tuple: CheckpointTuple;
  /** List channels of the checkpoint, to seed the put-side cache. */
  lists: [string, CachedList][];
}

/** Rebuilds the checkpoint tuple of one row; `nextVersion` dates migrated pending sends. */
export async function decodeRow(
  serde: SerializerProtocol,
  row: CheckpointRow,
  items: ItemIndex,
  nextVersion: () => number | string,
  known?: KnownNodes,
): Promise<DecodedRow> {
  const location = { threadId: row.threadId, checkpointNs: row.checkpointNs, checkpointId: row.checkpointId };
  const at = (part: string): CheckpointLocation => ({ ...location, part });
  const stored = row.checkpoint;
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) {
    throw new CorruptCheckpointError(location, "the checkpoint record is not an object");
  }
  const base = { ...(stored as object), ...unpackRecordOf(row, location) } as Omit<Checkpoint, "id" | "channel_values">;
  const channelValues: Record<string, unknown> = {};
  const lists: [string, CachedList][] = [];
  const channels = row.blobChannels ?? [];
  await Promise.all(
    channels.map(async (channel, i) => {
      const type = row.blobTypes![i]!;
      const blob = row.blobValues![i] ?? null;
      if (type === EMPTY_TYPE) return;
      if (type === LIST_TYPE) {
        const list = await items.list(row.threadId, blob, at(`channel "${channel}"`), known);
        channelValues[channel] = list.items;
        lists.push([channel, list]);
        return;
      }
      if (blob === null) throw new CorruptCheckpointError(at(`channel "${channel}"`), "the value is missing");
      channelValues[channel] = await loadValue(serde, type, blob, at(`channel "${channel}"`));
    }),
  );
  const checkpoint: Checkpoint = {
    ...base,
    id: row.checkpointId,
    channel_values: channelValues,
    channel_versions: { ...(base.channel_versions ?? {}) },
    versions_seen: base.versions_seen ?? {},
  };
  if (row.sendTypes && row.sendValues) {
    const sends = await Promise.all(
      row.sendTypes.map((type, i) => loadValue(serde, type, row.sendValues![i]!, at("pending sends of the parent"))),
    );
    checkpoint.channel_values[TASKS] = sends;
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : nextVersion();
  }
  const metadata = (await loadValue(serde, "json", row.metadata, at("metadata"))) as CheckpointMetadata;
  const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
    (row.writeTaskIds ?? []).map(async (taskId, i) => {
      const channel = row.writeChannels![i]!;
      const value = await loadValue(serde, row.writeTypes![i]!, row.writeValues![i]!, at(`write of task ${taskId} to "${channel}"`));
      return [taskId, channel, value] as CheckpointPendingWrite;
    }),
  );
  const configurable = { thread_id: row.threadId, checkpoint_ns: row.checkpointNs };
  const tuple: CheckpointTuple = {
    config: { configurable: { ...configurable, checkpoint_id: row.checkpointId } },
    checkpoint,
    metadata,
    parentConfig: row.parentCheckpointId
      ? { configurable: { ...configurable, checkpoint_id: row.parentCheckpointId } }
      : undefined,
    pendingWrites,
  };
  return { tuple, lists };
}
