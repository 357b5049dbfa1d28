import { deflateRawSync, inflateRawSync } from "node:zlib";
import { BODY_DICTIONARY } from "./compress.js";
import type { Body, ChannelEntry, StoredWrite, TypedBytes } from "./stored.js";
import { applyEdit, findEditedItem, findItems, joinItems } from "./write-refs.js";

export type { Body, ChannelEntry, StoredWrite, TypedBytes } from "./stored.js";

// Format 1 stored every write's value; format 2 (written now) may store a
// write as a reference to items of the same body, or to one item with an
// edit (write-refs.ts). Both are read.
const FORMAT = 2;
const WRITE_VALUE = 0;
const WRITE_ITEMS = 1;
const WRITE_EDITED_ITEM = 2;
// Bodies are small (a step's is about 1 KB before compression): a 4 KB
// window and memLevel 4 (rather than 32 KB and 8) make the compressor's state
// small, and a body's repeats (the message boilerplate) sit well within it.
const DEFLATE = { dictionary: BODY_DICTIONARY, windowBits: 12, memLevel: 4 };
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
    const edit = ref ? undefined : findEditedItem(write.value, body.channels);
    if (ref) {
      w.byte(WRITE_ITEMS);
      for (const n of ref) w.varint(n);
    } else if (edit) {
      w.byte(WRITE_EDITED_ITEM);
      for (const n of [edit.channel, edit.item, edit.prefix, edit.suffix]) w.varint(n);
      w.bytes(edit.middle);
    } else {
      w.byte(WRITE_VALUE);
      w.typed(write.value);
    }
  }
  return deflateRawSync(w.done(), DEFLATE);
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
    else if (how === WRITE_EDITED_ITEM) {
      const edit = { channel: r.varint(), item: r.varint(), prefix: r.varint(), suffix: r.varint(), middle: r.bytes() };
      writes.push({ taskId, taskPath, idx, channel, value: applyEdit(channels, edit) });
    } else throw new Error(`unknown write kind ${how}`);
  }
  if (!r.atEnd()) throw new Error("trailing bytes after the body");
  return { record, metadata, channels, writes };
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
