import type { ChannelVersions, Checkpoint, CheckpointMetadata, SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { type ChannelEntry, type StoredWrite, type TypedBytes, encodeBody } from "./body.js";
import type { CheckpointLocation } from "./errors.js";
import { serialiseAll } from "./serde.js";
import type { ChannelState, State } from "./state.js";
import { versionKey } from "./versions.js";

/** Row flag: the row holds every channel value itself; reading stops here. */
export const FULL = 1;
/** Row flag: the body carries pending writes made against the parent. */
export const CARRIES_WRITES = 2;

/** A checkpoint row ready to store. */
export interface EncodedRow {
  flags: number;
  body: Buffer;
  /** The checkpoint's resolved state, for the cache once the row is stored. */
  state: State;
  /** What the body stores per channel. */
  entries: [string, ChannelEntry][];
}

/** How a checkpoint relates to what is stored. */
export type Base =
  /** First checkpoint of a chain: only the channels in newVersions are stored. */
  | { kind: "root" }
  /** The parent's resolved state: store what changed since. */
  | { kind: "parent"; state: State }
  /**
   * Store every value whole: the parent is gone on purpose (a prune), or
   * `lostParentId` was never stored or lost (e.g. in a crash of the
   * database server), which the metadata then records, so a history shows
   * the gap.
   */
  | { kind: "orphan"; lostParentId?: string };

/** Metadata key of a checkpoint stored whole because its parent was missing. */
export const LOST_PARENT_KEY = "missing_parent_checkpoint_id";

export interface PutInput {
  location: CheckpointLocation;
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  newVersions: ChannelVersions;
  base: Base;
  /** Pending writes of the parent travelling with this row. */
  writes: StoredWrite[];
}

/** Values stored as lists (item by item, shared with the parent): non-empty plain arrays. */
export function isListValue(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && Object.getPrototypeOf(value) === Array.prototype;
}

/**
 * Encodes one checkpoint as a row. Against a known parent, only channels in
 * newVersions are stored, and a list only as the items after the prefix it
 * shares (by identity) with the parent's list: an appended message costs one
 * serialised message, however long the history. With a serialiser that can
 * work synchronously, no promise is involved, so a put reaches the wire
 * without yielding to the graph's other work first.
 */
export function encodeCheckpoint(serde: SerializerProtocol, input: PutInput): EncodedRow | Promise<EncodedRow> {
  const { checkpoint, base } = input;
  const state = new Map<string, ChannelState>(base.kind === "parent" ? base.state : []);
  const versions = base.kind === "orphan" ? checkpoint.channel_versions : input.newVersions;
  const values = checkpoint.channel_values;
  const plans = Object.keys(versions).map((channel) =>
    planChannel(channel, versionKey(versions[channel]!), values, state.get(channel)),
  );
  const metadata = base.kind === "orphan" && base.lostParentId ? { ...input.metadata, [LOST_PARENT_KEY]: base.lostParentId } : input.metadata;
  const serialised = serialiseAll(serde, [metadata, ...plans.flatMap((plan) => plan.serialise)]);
  return serialised instanceof Promise
    ? serialised.then((typed) => finishRow(input, plans, state, typed))
    : finishRow(input, plans, state, serialised);
}

/**
 * A checkpoint's row, encoded once: by the batcher just before it is sent,
 * or ahead of that for a serialiser that only works through promises; and
 * encoded again, whole, if its parent turns out to be gone.
 */
export class PendingRow {
  encoded: EncodedRow | undefined;

  constructor(
    private readonly serde: SerializerProtocol,
    private input: PutInput,
  ) {}

  /** Synchronous: with a promise-only serialiser, call encodeAhead() first. */
  encode(): EncodedRow {
    return (this.encoded ??= encodeCheckpoint(this.serde, this.input) as EncodedRow);
  }

  async encodeAhead(): Promise<void> {
    this.encoded = await encodeCheckpoint(this.serde, this.input);
  }

  /** Encodes again against another base (the parent is gone: the row stores every value). */
  rebase(base: Base): void {
    this.input = { ...this.input, base };
    this.encoded = undefined;
  }
}

function finishRow(input: PutInput, plans: Plan[], state: Map<string, ChannelState>, typed: TypedBytes[]): EncodedRow {
  const { id: _id, channel_values: _values, ...record } = input.checkpoint;
  const channels: [string, ChannelEntry][] = [];
  let next = 1;
  for (const plan of plans) {
    const { channel, version } = plan;
    if (plan.kind === "empty") {
      channels.push([channel, { kind: "empty", version }]);
      state.set(channel, { kind: "empty", version });
    } else if (plan.kind === "value") {
      const value = typed[next]!;
      channels.push([channel, { kind: "value", version, value }]);
      state.set(channel, { kind: "value", version, value, where: { ...input.location, part: `channel "${channel}"` } });
    } else {
      channels.push([channel, { kind: "list", version, keep: plan.keep, items: typed.slice(next, next + plan.serialise.length) }]);
      state.set(channel, { kind: "list", version, items: plan.items });
    }
    next += plan.serialise.length;
  }
  const body = encodeBody({ record: JSON.stringify(record), metadata: typed[0]!, channels, writes: input.writes });
  const flags = (input.base.kind === "parent" ? 0 : FULL) | (input.writes.length > 0 ? CARRIES_WRITES : 0);
  return { flags, body, state, entries: channels };
}

type Plan = { channel: string; version: string; serialise: unknown[] } & (
  | { kind: "empty" }
  | { kind: "value" }
  | { kind: "list"; keep: number; items: unknown[] }
);

/** What storing one channel takes: which values to serialise, and for a list how much of the parent's it keeps. */
function planChannel(channel: string, version: string, values: Record<string, unknown>, previous: ChannelState | undefined): Plan {
  if (!(channel in values)) return { channel, version, serialise: [], kind: "empty" };
  const value = values[channel];
  if (!isListValue(value)) return { channel, version, serialise: [value], kind: "value" };
  let keep = 0;
  if (previous?.kind === "list") {
    const limit = Math.min(previous.items.length, value.length);
    while (keep < limit && previous.items[keep] === value[keep]) keep++;
  }
  // A copy: the graph may keep mutating its own array after the put.
  return { channel, version, serialise: value.slice(keep), kind: "list", keep, items: value.slice() };
}
