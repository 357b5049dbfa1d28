// What a checkpoint row's body holds, apart from how it is laid out in bytes
// (body.ts), so the modules that build and match its parts (write-refs.ts)
// need not import the layout.

/** A serialised value: the serialiser's type tag and bytes. */
export interface TypedBytes {
  type: string;
  data: Uint8Array;
}

/**
 * What one checkpoint row stores for one channel it changed: no value, a
 * whole value, or a list as the first `keep` items of the parent's list plus
 * new items (an append is `keep` = the parent's length and the new items).
 */
export type ChannelEntry =
  | { kind: "empty"; version: string }
  | { kind: "value"; version: string; value: TypedBytes }
  | { kind: "list"; version: string; keep: number; items: TypedBytes[] };

/** A pending write as stored: the task that made it, where, and the value. */
export interface StoredWrite {
  taskId: string;
  taskPath: string;
  idx: number;
  channel: string;
  value: TypedBytes;
}

/**
 * Everything a checkpoint row holds besides its keys. `writes` are the
 * pending writes of the row's parent that arrived just before this row and
 * travelled in the same statement; keeping them in the same compressed body
 * as the new list items costs almost nothing, since a node's write and the
 * message it appends are nearly the same bytes.
 */
export interface Body {
  /** The checkpoint minus id and channel values, as JSON (bytes when decoded). */
  record: Uint8Array | string;
  metadata: TypedBytes;
  channels: [string, ChannelEntry][];
  writes: StoredWrite[];
}
