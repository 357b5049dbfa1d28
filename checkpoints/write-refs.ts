import type { ChannelEntry, TypedBytes } from "./stored.js";

const OPEN = 0x5b;
const COMMA = 0x2c;
const CLOSE = 0x5d;

type Channels = readonly [string, ChannelEntry][];

/**
 * A node's write of new messages is a JSON array of the items the
 * checkpoint appends: `[item,item]`. Such a write is stored as [channel,
 * first item, count], so each message is in the body once; the bytes are
 * compared, so a write that differs in any way is not stored this way.
 */
export function findItems(value: TypedBytes, channels: Channels): [number, number, number] | undefined {
  const data = value.data;
  if (!isJsonArray(value)) return undefined;
  for (let c = 0; c < channels.length; c++) {
    const entry = channels[c]![1];
    if (entry.kind !== "list") continue;
    for (let first = 0; first < entry.items.length; first++) {
      const count = matchFrom(data, entry.items, first);
      if (count > 0) return [c, first, count];
    }
  }
  return undefined;
}

/** A serialised non-empty JSON array, the only shape a write of items can have. */
function isJsonArray(value: TypedBytes): boolean {
  const data = value.data;
  return value.type === "json" && data.length >= 3 && data[0] === OPEN && data[data.length - 1] === CLOSE;
}

/** How many items from `first` on `data` lists exactly (0 if it is not such a list). */
function matchFrom(data: Uint8Array, items: TypedBytes[], first: number): number {
  let at = 1;
  for (let i = first; i < items.length; i++) {
    const item = items[i]!;
    const end = at + item.data.length;
    if (item.type !== "json" || end >= data.length || !sameBytes(data, at, item.data)) return 0;
    if (data[end] === CLOSE) return end === data.length - 1 ? i - first + 1 : 0;
    if (data[end] !== COMMA) return 0;
    at = end + 1;
  }
  return 0;
}

function sameBytes(data: Uint8Array, at: number, part: Uint8Array): boolean {
  return Buffer.compare(data.subarray(at, at + part.length), part) === 0;
}

export function joinItems(channels: Channels, channel: number, first: number, count: number): TypedBytes {
  const entry = channels[channel]?.[1];
  if (entry?.kind !== "list" || count === 0 || first + count > entry.items.length) throw new Error("a write refers to items the body does not hold");
  const parts: Uint8Array[] = [Buffer.of(OPEN)];
  for (let i = first; i < first + count; i++) parts.push(i > first ? Buffer.of(COMMA) : Buffer.alloc(0), entry.items[i]!.data);
  parts.push(Buffer.of(CLOSE));
  return { type: "json", data: Buffer.concat(parts) };
}

/** A write `[x]` stored as an item whose middle is replaced: x = item[0, prefix) + middle + item[length - suffix, length). */
export interface ItemEdit {
  channel: number;
  item: number;
  prefix: number;
  suffix: number;
  middle: Uint8Array;
}

/**
 * When a graph applies a node's write after LangGraph stored it, the reducer
 * gives the new message its id in between, so the checkpoint's item is the
 * write's message plus `,"id":"…"`. Such a one-message write is stored as an
 * edit of the item when they share at least half the write's bytes; the
 * edit is byte-exact whatever the two hold.
 */
export function findEditedItem(value: TypedBytes, channels: Channels): ItemEdit | undefined {
  const data = value.data;
  if (!isJsonArray(value)) return undefined;
  const written = data.subarray(1, data.length - 1);
  let best: ItemEdit | undefined;
  for (let c = 0; c < channels.length; c++) {
    const entry = channels[c]![1];
    if (entry.kind !== "list") continue;
    for (let i = 0; i < entry.items.length; i++) {
      const item = entry.items[i]!;
      if (item.type !== "json") continue;
      const limit = Math.min(written.length, item.data.length);
      const prefix = commonPrefix(written, item.data, limit);
      const suffix = commonSuffix(written, item.data, limit - prefix);
      if (best && prefix + suffix <= best.prefix + best.suffix) continue;
      best = { channel: c, item: i, prefix, suffix, middle: written.subarray(prefix, written.length - suffix) };
    }
  }
  return best && 2 * (best.prefix + best.suffix) >= written.length ? best : undefined;
}

export function applyEdit(channels: Channels, edit: ItemEdit): TypedBytes {
  const entry = channels[edit.channel]?.[1];
  const item = entry?.kind === "list" ? entry.items[edit.item] : undefined;
  if (!item || edit.prefix + edit.suffix > item.data.length) throw new Error("a write refers to an item the body does not hold");
  const end = item.data.length;
  return {
    type: "json",
    data: Buffer.concat([Buffer.of(OPEN), item.data.subarray(0, edit.prefix), edit.middle, item.data.subarray(end - edit.suffix, end), Buffer.of(CLOSE)]),
  };
}

function commonPrefix(a: Uint8Array, b: Uint8Array, limit: number): number {
  let n = 0;
  while (n < limit && a[n] === b[n]) n++;
  return n;
}

function commonSuffix(a: Uint8Array, b: Uint8Array, limit: number): number {
  let n = 0;
  while (n < limit && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
