import { createHash } from "node:crypto";
import type { ChannelVersions, SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { packValue } from "./compress.js";
import type { CachedList, ListCache } from "./list-cache.js";
import { LIST_TYPE } from "./sql.js";
import { versionKey } from "./versions.js";

/** Column arrays of channel blob rows, as PUT_CHECKPOINT takes them. */
export interface BlobRows {
  channels: string[];
  versions: string[];
  types: string[];
  values: (Buffer | null)[];
}

/** Column arrays of list item rows, as PUT_CHECKPOINT takes them. */
export interface ItemRows {
  nodes: Buffer[];
  parents: (Buffer | null)[];
  types: string[];
  values: Buffer[];
}

export interface EncodedChannels {
  blobs: BlobRows;
  items: ItemRows;
  /** Stored nodes the new items build on; the put checks they still exist. */
  bases: Buffer[];
  /** Lists to record in the cache (by channel) once the put has succeeded. */
  lists: [string, CachedList][];
}

/** Values stored item by item: non-empty plain arrays. Anything else is one blob. */
export function isListValue(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && Object.getPrototypeOf(value) === Array.prototype;
}

/** Node id of an item: a digest of its parent's id and its serialised form. */
export function nodeId(parent: Buffer | null, type: string, blob: Uint8Array): Buffer {
  const hash = createHash("sha256");
  hash.update(parent ?? Buffer.alloc(0));
  hash.update(`\u0000${type}\u0000`);
  hash.update(blob);
  return hash.digest().subarray(0, 16);
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Serialises a value: its serialiser type and bytes, before any compression. */
export async function dumps(serde: SerializerProtocol, value: unknown): Promise<[string, Buffer]> {
  const [type, bytes] = await serde.dumpsTyped(value);
  return [type, toBuffer(bytes)];
}

/**
 * Serialises the channels named in `newVersions`. List values become item
 * rows chained from the longest prefix the cache knows to be stored, so an
 * append of one message costs one item row however long the list is.
 */
export async function encodeChannels(
  serde: SerializerProtocol,
  cache: ListCache | undefined,
  threadId: string,
  checkpointNs: string,
  values: Record<string, unknown>,
  newVersions: ChannelVersions,
): Promise<EncodedChannels> {
  const out: EncodedChannels = {
    blobs: { channels: [], versions: [], types: [], values: [] },
    items: { nodes: [], parents: [], types: [], values: [] },
    bases: [],
    lists: [],
  };
  const seenNodes = new Set<string>();
  const seenBases = new Set<string>();
  for (const [channel, version] of Object.entries(newVersions)) {
    // A version without a value gets no row: reads treat a version with no
    // row as an empty channel, which is what it is.
    if (!(channel in values)) continue;
    out.blobs.channels.push(channel);
    out.blobs.versions.push(versionKey(version));
    const value = values[channel];
    if (!isListValue(value)) {
      const [type, bytes] = packValue(...(await dumps(serde, value)));
      out.blobs.types.push(type);
      out.blobs.values.push(bytes);
      continue;
    }
    const cached = cache?.get(threadId, checkpointNs, channel);
    let shared = 0;
    if (cached) {
      const limit = Math.min(cached.items.length, cached.nodes.length, value.length);
      while (shared < limit && cached.items[shared] === value[shared]) shared++;
    }
    const nodes = cached ? cached.nodes.slice(0, shared) : [];
    let parent = nodes.length > 0 ? nodes[nodes.length - 1]! : null;
    if (parent) {
      const id = parent.toString("latin1");
      if (!seenBases.has(id)) {
        seenBases.add(id);
        out.bases.push(parent);
      }
    }
    for (let i = shared; i < value.length; i++) {
      const [type, bytes] = await dumps(serde, value[i]);
      const node = nodeId(parent, type, bytes);
      const id = node.toString("latin1");
      if (!seenNodes.has(id)) {
        seenNodes.add(id);
        const [storedType, stored] = packValue(type, bytes);
        out.items.nodes.push(node);
        out.items.parents.push(parent);
        out.items.types.push(storedType);
        out.items.values.push(stored);
      }
      nodes.push(node);
      parent = node;
    }
    out.blobs.types.push(LIST_TYPE);
    out.blobs.values.push(parent);
    out.lists.push([channel, { items: value.slice(), nodes }]);
  }
  return out;
}
