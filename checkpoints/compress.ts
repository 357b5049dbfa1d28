import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * Values in the pending-writes table (writes that did not travel with the
 * next checkpoint) are mostly small serialised LangChain objects: a few
 * hundred bytes each, far below the ~2 KB at which Postgres would compress a
 * row itself. Deflate with a preset dictionary of the serialisation's
 * boilerplate shrinks such a message to about a third. A compressed value's
 * type carries PACKED_PREFIX, so values not worth compressing read back
 * unchanged.
 *
 * The dictionary is part of the storage format: stored values depend on it,
 * so it must never change. A different dictionary needs a new prefix.
 */
export const PACKED_PREFIX = "~";

export const DICTIONARY = Buffer.from(
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

/**
 * Preset dictionary of checkpoint bodies (checkpoints/body.ts): what a
 * record, its metadata and a step's writes repeat, then the message
 * boilerplate, last because it is matched most often (deflate reaches the
 * end of a dictionary cheapest). Part of the storage format: never change
 * it; a new dictionary needs a new body format number.
 */
export const BODY_DICTIONARY = Buffer.concat([
  Buffer.from(
    '{"v":4,"ts":"2026-01-01T00:00:00.000Z","channel_versions":{"__start__":2,"messages":' +
      '"branch:to:","__pregel_tasks":"versions_seen":{"__input__":{},"__start__":{"__start__":1},' +
      '{"source":"loop","step":,"parents":{}}jsonmessages~__pregel_pull, ~__pregel_push, ' +
      '{"lc":1,"type":"constructor","id":["langchain_core","messages","ToolMessage"],"kwargs":{"content":"","tool_call_id":"call_' +
      '"tool_calls":[{"id":"call_","name":"","args":{}}],"usage_metadata":{"input_tokens":,"output_tokens":,"total_tokens":}',
  ),
  DICTIONARY,
]);

const DEFLATE = { dictionary: DICTIONARY, windowBits: 12, memLevel: 4 };

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
  const packed = deflateRawSync(bytes, DEFLATE);
  return packed.length < bytes.length || forced ? [PACKED_PREFIX + type, packed] : [type, bytes];
}

/** The serialiser's type and bytes of a stored value. */
export function unpackValue(type: string, blob: Uint8Array | string): [string, Uint8Array | string] {
  if (!type.startsWith(PACKED_PREFIX) || typeof blob === "string") return [type, blob];
  return [type.slice(PACKED_PREFIX.length), inflateRawSync(blob, { dictionary: DICTIONARY })];
}
