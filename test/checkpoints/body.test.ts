import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type Body, type TypedBytes, decodeBody, encodeBody } from "../../checkpoints/body.js";
import { BODY_DICTIONARY } from "../../checkpoints/compress.js";

const json = (text: string): TypedBytes => ({ type: "json", data: Buffer.from(text) });
const text = (value: TypedBytes) => [value.type, Buffer.from(value.data).toString()];

const first = '{"lc":1,"type":"constructor","id":["langchain_core","messages","AIMessage"],"kwargs":{"content":"one"}}';
const second = '{"lc":1,"type":"constructor","id":["langchain_core","messages","AIMessage"],"kwargs":{"content":"two"}}';

function bodyWith(writes: [string, TypedBytes][]): Body {
  return {
    record: Buffer.from('{"v":4}'),
    metadata: json('{"step":1}'),
    channels: [
      ["branch:to:a", { kind: "value", version: "3", value: json('"a"') }],
      ["messages", { kind: "list", version: "4", keep: 7, items: [json(first), json(second)] }],
      ["other", { kind: "list", version: "2", keep: 0, items: [{ type: "bytes", data: Buffer.from("[x]") }] }],
    ],
    writes: writes.map(([channel, value], idx) => ({ taskId: "task", taskPath: "~path", idx, channel, value })),
  };
}

function rawOf(stored: Buffer): Buffer {
  return inflateRawSync(stored, { dictionary: BODY_DICTIONARY });
}

describe("checkpoint bodies", () => {
  it("store a write of appended items as a reference, and read it back byte for byte", () => {
    const writes: [string, TypedBytes][] = [
      ["messages", json(`[${second}]`)],
      ["messages", json(`[${first},${second}]`)],
      ["branch:to:a", json('"a"')],
    ];
    const stored = encodeBody(bodyWith(writes));
    const decoded = decodeBody(stored);
    expect(decoded.writes.map((w) => text(w.value))).toEqual(writes.map(([, v]) => text(v)));
    expect(decoded.writes.map((w) => [w.taskId, w.taskPath, w.idx, w.channel])).toEqual(writes.map(([c], i) => ["task", "~path", i, c]));
    // Each message's bytes are in the stored body once.
    const raw = rawOf(stored).toString();
    expect(raw.split('"content":"two"').length - 1).toBe(1);
  });

  it("store whole a write that differs from the items in any byte", () => {
    const writes: [string, TypedBytes][] = [
      ["messages", json(`[${second} ]`)],
      ["messages", json(`[${first},${first}]`)],
      ["messages", json(`[${second},]`)],
      ["messages", json("[]")],
      ["messages", { type: "bytes", data: Buffer.from(`[${second}]`) }],
      ["other", json("[[x]]")],
    ];
    const decoded = decodeBody(encodeBody(bodyWith(writes)));
    expect(decoded.writes.map((w) => text(w.value))).toEqual(writes.map(([, v]) => text(v)));
  });

  it("store a write the reducer gave an id afterwards as an edit of its item, byte for byte", () => {
    const withoutId = '{"lc":1,"type":"constructor","id":["langchain_core","messages","ToolMessage"],"kwargs":{"content":"' + "r".repeat(3000) + '"}}';
    const withId = withoutId.replace(/}}$/, ',"id":"0a1b"}}');
    const body = bodyWith([]);
    body.channels[1] = ["messages", { kind: "list", version: "4", keep: 7, items: [json(first), json(withId)] }];
    body.writes = [
      { taskId: "task", taskPath: "", idx: 0, channel: "messages", value: json(`[${withoutId}]`) },
      { taskId: "task", taskPath: "", idx: 1, channel: "messages", value: json(`[${withoutId.replace(/rrr"}}$/, 'xyz"}}')}]`) },
      { taskId: "task", taskPath: "", idx: 2, channel: "messages", value: json(`["${"q".repeat(3000)}"]`) },
    ];
    const stored = encodeBody(body);
    const decoded = decodeBody(stored);
    expect(decoded.writes.map((w) => text(w.value))).toEqual(body.writes.map((w) => text(w.value)));
    // The 3,000-character content is in the raw body once for the item and once in the write that
    // shares too little with any item to be an edit; the two edited writes add almost nothing.
    expect(rawOf(stored).length).toBeLessThan(2 * 3000 + 1200);
  });

  it("read the first format, which stored every write whole", () => {
    const parts: Buffer[] = [];
    const varint = (n: number) => parts.push(Buffer.of(n));
    const bytes = (b: string) => (varint(Buffer.byteLength(b)), parts.push(Buffer.from(b)));
    varint(1);
    bytes('{"v":4}');
    bytes("json");
    bytes('{"step":1}');
    varint(1);
    bytes("messages");
    bytes("4");
    varint(2);
    varint(0);
    varint(1);
    bytes("json");
    bytes(first);
    varint(1);
    bytes("task");
    bytes("");
    varint(0);
    bytes("messages");
    bytes("json");
    bytes(`[${first}]`);
    const stored = deflateRawSync(Buffer.concat(parts), { dictionary: BODY_DICTIONARY });
    const decoded = decodeBody(stored);
    expect(decoded.channels).toHaveLength(1);
    expect(text(decoded.writes[0]!.value)).toEqual(["json", `[${first}]`]);
  });

  it("refuse an edit of an item the body does not hold", () => {
    const body = bodyWith([["messages", json(`[${second.replace(/}}$/, ',"x":1}}')}]`)]]);
    const raw = rawOf(encodeBody(body));
    const decoded = decodeBody(deflateRawSync(raw, { dictionary: BODY_DICTIONARY }));
    expect(text(decoded.writes[0]!.value)[1]).toContain('"x":1');
    // The edit's fields: channel, item, prefix, suffix, then the middle's length and bytes.
    const at = raw.lastIndexOf(Buffer.from(',"x":1')) - 1;
    const tampered = Buffer.from(raw);
    tampered[at - 4] = 9;
    expect(() => decodeBody(deflateRawSync(tampered, { dictionary: BODY_DICTIONARY }))).toThrow(/does not hold/);
  });

  it("refuse a reference to items the body does not hold", () => {
    const stored = rawOf(encodeBody(bodyWith([["messages", json(`[${second}]`)]])));
    // The reference is the body's last three bytes: channel, first item, count.
    stored[stored.length - 1] = 5;
    expect(() => decodeBody(deflateRawSync(stored, { dictionary: BODY_DICTIONARY }))).toThrow(/refers to items the body does not hold/);
  });
});
