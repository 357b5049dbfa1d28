import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * Stored values (list items, channel blobs, pending writes) are mostly small
 * serialised LangChain objects: a few hundred bytes each, far below the ~2 KB
 * at which Postgres would compress a row itself. Deflate with a preset
 * dictionary of the serialisation's boilerplate shrinks such a message to
 * about a third. A compressed value's type carries PACKED_PREFIX, so rows
 * written before compression (or not worth compressing) read back unchanged.
 *
 * The dictionary is part of the storage format: stored values depend on it,
 * so it must never change. A different dictionary needs a new prefix.
 */
export const PACKED_PREFIX = "~";

const DICTIONARY = Buffer.from(
  [
    '"usage_metadata":{"input_tokens":0,"output_tokens":0,"total_tokens":0}',
    '"tool_call_chunks":[],"tool_call_id":"","status":"success","artifact":null',
    '"type":"tool_call","args":{}',
    '["langchain_core","messages","HumanMessage"]',
    '["langchain_core","messages","ToolMessage"]',
    '["langchain_core","messages","SystemMessage"]',
    '{"lc":1,"type":"constructor","id":["langchain_core","messages","AIMessage"],"kwargs":{"content":"',
    '","name":"","tool_calls":[],"invalid_tool_calls":[],"additional_kwargs":{},"response_metadata":{},"id":"',
  ].join(""),
);

// The checkpoint record minus its channel values and versions, as LangGraph
// writes it: the keys of versions_seen repeat LangGraph's channel names.
const RECORD_DICTIONARY = Buffer.from(
  '"__input__":{},"__start__":{"__start__":1},"__pregel_tasks":1,"branch:to:","__root__":' +
    '"updated_channels":["messages","branch:to:"],' +
    '{"ts":"2026-01-01T00:00:00.000Z","versions_seen":{"__input__":{},"__start__":{"__start__":',
);

/** Below this, deflate's framing costs more than it can save. */
const MIN_PACK_BYTES = 48;

/**
 * The type and bytes to store for a serialised value: compressed when that
 * is smaller. A serialiser type that itself starts with PACKED_PREFIX is
 * always compressed, so a stored type with the prefix is never ambiguous.
 */
export function packValue(type: string, bytes: Buffer): [string, Buffer] {
  const forced = type.startsWith(PACKED_PREFIX);
  if (bytes.length < MIN_PACK_BYTES && !forced) return [type, bytes];
  const packed = deflateRawSync(bytes, { dictionary: DICTIONARY, windowBits: 12, memLevel: 4 });
  return packed.length < bytes.length || forced ? [PACKED_PREFIX + type, packed] : [type, bytes];
}

/** The serialiser's type and bytes of a stored value. */
export function unpackValue(type: string, blob: Uint8Array | string): [string, Uint8Array | string] {
  if (!type.startsWith(PACKED_PREFIX) || typeof blob === "string") return [type, blob];
  return [type.slice(PACKED_PREFIX.length), inflateRawSync(blob, { dictionary: DICTIONARY })];
}

/** A checkpoint's record (whatever is not queried in SQL) as stored: deflated JSON. */
export function packRecord(record: object): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(record)), { dictionary: RECORD_DICTIONARY, windowBits: 12, memLevel: 4 });
}

export function unpackRecord(packed: Uint8Array): unknown {
  return JSON.parse(inflateRawSync(packed, { dictionary: RECORD_DICTIONARY }).toString("utf8"));
}
