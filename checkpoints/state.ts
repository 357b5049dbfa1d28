import type { SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type { TypedBytes } from "./body.js";
import { type CheckpointLocation, CorruptCheckpointError } from "./errors.js";
import { rowKey } from "./keys.js";

/**
 * Deserialised list items by where they are stored (checkpoint row,
 * channel, position among the items that row added), shared by every read
 * and put of this process. What a key names never changes (see itemKey), so
 * an entry never goes stale; the oldest entries go first beyond `capacity`.
 */
export class ItemCache {
  private readonly items = new Map<string, unknown>();

  constructor(private readonly capacity = 20_000) {}

  get(key: string): unknown {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  set(key: string, value: unknown): void {
    this.items.delete(key);
    this.items.set(key, value);
    evictOldest(this.items, this.capacity);
  }
}

/**
 * Deletes the oldest entries of an insertion-ordered map once it holds more
 * than `capacity`, a sixteenth of the capacity at a time, never the newest.
 * Deleting one entry per insert would cost a scan each time: V8 leaves a
 * deleted entry's slot in place until the table is rebuilt, and
 * `keys().next()` walks every such slot from the start (measured: ~9 µs per
 * insert into a full 20,000-entry map, against ~0.2 µs this way).
 */
export function evictOldest<K, V>(map: Map<K, V>, capacity: number): void {
  if (map.size <= capacity) return;
  let excess = map.size - capacity + Math.floor(capacity / 16);
  for (const key of map.keys()) {
    if (excess-- <= 0) break;
    map.delete(key);
  }
}

/**
 * Where an item is stored. A row's flags are part of it: rewriting a row
 * whole (when a prune removes its ancestors) renumbers its items, and
 * always sets FULL, so an item cached from the row before cannot be
 * mistaken for one of the rewritten row, in this process or another.
 */
export function itemKey(rowKey: string, flags: number, channel: string, index: number): string {
  return `${rowKey}\u0000${flags & 1}\u0000${channel}\u0000${index}`;
}

/**
 * A list item read from the store and not deserialised yet. Deserialised at
 * most once: every list that shares the item (every later checkpoint of the
 * thread shares its message history) shares the resulting object, which is
 * what keeps reading a whole history linear.
 */
export class Unloaded {
  private loaded: Promise<unknown> | undefined;

  constructor(
    private readonly value: TypedBytes,
    private readonly where: CheckpointLocation,
    private readonly cache?: { items: ItemCache; key: string },
  ) {}

  load(serde: SerializerProtocol): Promise<unknown> {
    this.loaded ??= loadTyped(serde, this.value, this.where).then((value) => {
      this.cache?.items.set(this.cache.key, value);
      return value;
    });
    return this.loaded;
  }
}

/** The value of one channel at one checkpoint, as far as storage knows it. */
export type ChannelState =
  | { kind: "empty"; version: string }
  | { kind: "value"; version: string; value: TypedBytes; where: CheckpointLocation }
  /** `items` holds live objects and Unloaded placeholders; never handed out, only copies of it. */
  | { kind: "list"; version: string; items: unknown[] };

/** Every channel of one checkpoint; a channel whose version differs from the checkpoint's has no value there. */
export type State = ReadonlyMap<string, ChannelState>;

/** Deserialises a stored value, turning any failure into a CorruptCheckpointError. */
export async function loadTyped(serde: SerializerProtocol, value: TypedBytes, where: CheckpointLocation): Promise<unknown> {
  try {
    return await serde.loadsTyped(value.type, value.data);
  } catch (err) {
    throw new CorruptCheckpointError(where, `cannot deserialise (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
}

/** A copy of a list channel's items with every placeholder deserialised. */
export async function materialise(serde: SerializerProtocol, items: unknown[]): Promise<unknown[]> {
  const pending: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item instanceof Unloaded) {
      pending.push(
        item.load(serde).then((value) => {
          items[i] = value;
        }),
      );
    }
  }
  if (pending.length > 0) await Promise.all(pending);
  return items.slice();
}

/**
 * The resolved states of the latest few checkpoints per thread and
 * namespace, written or read by this process. A put whose parent is here
 * stores only what changed; a read stops walking the history where it
 * reaches one. Items are matched by identity, so an item must not be
 * mutated in place once checkpointed (LangGraph's reducers replace
 * messages, never mutate them). Least recently used threads go first.
 */
export class StateCache {
  private readonly threads = new Map<string, Map<string, Map<string, State>>>();

  constructor(
    private readonly maxThreads = 1_000,
    private readonly perNamespace = 3,
  ) {}

  get(threadId: string, checkpointNs: string, checkpointId: string): State | undefined {
    return this.touch(threadId)?.get(checkpointNs)?.get(checkpointId);
  }

  set(threadId: string, checkpointNs: string, checkpointId: string, state: State): void {
    let namespaces = this.touch(threadId);
    if (!namespaces) {
      namespaces = new Map();
      this.threads.set(threadId, namespaces);
      evictOldest(this.threads, this.maxThreads);
    }
    let states = namespaces.get(checkpointNs);
    if (!states) namespaces.set(checkpointNs, (states = new Map()));
    states.delete(checkpointId);
    states.set(checkpointId, state);
    if (states.size > this.perNamespace) states.delete(states.keys().next().value!);
  }

  /** The cached states of one thread, by rowKey (a snapshot: later evictions do not affect it). */
  knownByKey(threadId: string): Map<string, State> {
    const known = new Map<string, State>();
    for (const [checkpointNs, states] of this.threads.get(threadId) ?? []) {
      for (const [checkpointId, state] of states) known.set(rowKey(threadId, checkpointNs, checkpointId), state);
    }
    return known;
  }

  forgetThread(threadId: string): void {
    this.threads.delete(threadId);
  }

  private touch(threadId: string): Map<string, Map<string, State>> | undefined {
    const namespaces = this.threads.get(threadId);
    if (namespaces) {
      this.threads.delete(threadId);
      this.threads.set(threadId, namespaces);
    }
    return namespaces;
  }
}
