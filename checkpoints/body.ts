import { inflateRawSync } from "node:zlib";
import { BODY_DICTIONARY } from "./compress.js";
import { RawDeflater } from "./deflate.js";

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

// Format 1 stored every write's value; format 2 (written now) may store a
// write as a reference to items of the same body. Both are read.
const FORMAT = 2;
const WRITE_VALUE = 0;
const WRITE_ITEMS = 1;
// Bodies are small (a step's is about 1 KB before compression): a 4 KB
// window and memLevel 4 (rather than 32 KB and 8) make the compressor's state
// small, and a body's repeats (the message boilerplate) sit well within it.
const deflater = new RawDeflater(BODY_DICTIONARY, 12, 4);
const INFLATE = { dictionary: BODY_DICTIONARY, chunkSize: 4096 };
const KIND = { empty: 0, value: 1, list: 2 } as const;

/**
 * The stored form of a body: a small binary layout (varint lengths, no
 * escaping of the serialised values inside it) deflated with a preset
 * dictionary of LangChain's serialisation boilerplate.
 */
export function encodeBody(body: Body): Buffer {
  const w = new Writer();
  w.byte(FORMAT);
  if (typeof body.record === "string") w.string(body.record);
  else w.bytes(body.record);
  w.typed(body.metadata);
  w.varint(body.channels.length);
  for (const [channel, entry] of body.channels) {
    w.string(channel);
    w.string(entry.version);
    w.byte(KIND[entry.kind]);
    if (entry.kind === "value") w.typed(entry.value);
    if (entry.kind === "list") {
      w.varint(entry.keep);
      w.varint(entry.items.length);
      for (const item of entry.items) w.typed(item);
    }
  }
  w.varint(body.writes.length);
  for (const write of body.writes) {
    w.string(write.taskId);
    w.string(write.taskPath);
    w.varint(write.idx < 0 ? -2 * write.idx - 1 : 2 * write.idx);
    w.string(write.channel);
    const ref = findItems(write.value, body.channels);
    if (ref === undefined) {
      w.byte(WRITE_VALUE);
      w.typed(write.value);
    } else {
      w.byte(WRITE_ITEMS);
      for (const n of ref) w.varint(n);
    }
  }
  return deflater.deflate(w.done());
}

/** Parses a stored body; throws a plain Error naming what is wrong when it is not one. */
export function decodeBody(stored: Uint8Array): Body {
  const r = new Reader(inflateRawSync(stored, INFLATE));
  const format = r.byte();
  if (format !== 1 && format !== FORMAT) throw new Error(`unknown body format ${format}`);
  const record = r.bytes();
  const metadata = r.typed();
  const channels: [string, ChannelEntry][] = [];
  for (let n = r.varint(); n > 0; n--) {
    const channel = r.string();
    const version = r.string();
    const kind = r.byte();
    if (kind === KIND.empty) channels.push([channel, { kind: "empty", version }]);
    else if (kind === KIND.value) channels.push([channel, { kind: "value", version, value: r.typed() }]);
    else if (kind === KIND.list) {
      const keep = r.varint();
      const items: TypedBytes[] = [];
      for (let i = r.varint(); i > 0; i--) items.push(r.typed());
      channels.push([channel, { kind: "list", version, keep, items }]);
    } else throw new Error(`unknown channel entry kind ${kind}`);
  }
  const writes: StoredWrite[] = [];
  for (let n = r.varint(); n > 0; n--) {
    const taskId = r.string();
    const taskPath = r.string();
    const zigzag = r.varint();
    const idx = zigzag % 2 === 1 ? -(zigzag + 1) / 2 : zigzag / 2;
    const channel = r.string();
    const how = format === 1 ? WRITE_VALUE : r.byte();
    if (how === WRITE_VALUE) writes.push({ taskId, taskPath, idx, channel, value: r.typed() });
    else if (how === WRITE_ITEMS) writes.push({ taskId, taskPath, idx, channel, value: joinItems(channels, r.varint(), r.varint(), r.varint()) });
    else throw new Error(`unknown write kind ${how}`);
  }
  if (!r.atEnd()) throw new Error("trailing bytes after the body");
  return { record, metadata, channels, writes };
}

const OPEN = 0x5b;
const COMMA = 0x2c;
const CLOSE = 0x5d;

/**
 * A node's write of new messages is a JSON array of exactly the items the
 * checkpoint appends: `[item,item]`. Such a write is stored as [channel,
 * first item, count], which halves what a step compresses; the bytes are
 * compared, so a write that differs in any way is stored whole.
 */
function findItems(value: TypedBytes, channels: [string, ChannelEntry][]): [number, number, number] | undefined {
  const data = value.data;
  if (value.type !== "json" || data.length < 3 || data[0] !== OPEN || data[data.length - 1] !== CLOSE) return undefined;
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

function joinItems(channels: [string, ChannelEntry][], channel: number, first: number, count: number): TypedBytes {
  const entry = channels[channel]?.[1];
  if (entry?.kind !== "list" || count === 0 || first + count > entry.items.length) throw new Error("a write refers to items the body does not hold");
  const parts: Uint8Array[] = [Buffer.of(OPEN)];
  for (let i = first; i < first + count; i++) parts.push(i > first ? Buffer.of(COMMA) : Buffer.alloc(0), entry.items[i]!.data);
  parts.push(Buffer.of(CLOSE));
  return { type: "json", data: Buffer.concat(parts) };
}

class Writer {
  private buf = Buffer.allocUnsafe(2048);
  private at = 0;

  byte(n: number): void {
    this.reserve(1);
    this.buf[this.at++] = n;
  }

  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n} as a varint`);
    this.reserve(8);
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
  }

  bytes(data: Uint8Array): void {
    this.varint(data.byteLength);
    this.reserve(data.byteLength);
    this.buf.set(data, this.at);
    this.at += data.byteLength;
  }

  string(s: string): void {
    const length = Buffer.byteLength(s);
    this.varint(length);
    this.reserve(length);
    this.at += this.buf.write(s, this.at, "utf8");
  }

  typed(value: TypedBytes): void {
    this.string(value.type);
    this.bytes(value.data);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}

class Reader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  byte(): number {
    if (this.at >= this.buf.length) throw new Error("the body ends early");
    return this.buf[this.at++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new Error("a length in the body is too large");
    }
  }

  bytes(): Buffer {
    const length = this.varint();
    if (this.at + length > this.buf.length) throw new Error("the body ends early");
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  string(): string {
    return this.bytes().toString("utf8");
  }

  typed(): TypedBytes {
    return { type: this.string(), data: this.bytes() };
  }

  atEnd(): boolean {
    return this.at === this.buf.length;
  }
}
