/** The last list value written or read for one channel of one thread. */
export interface CachedList {
  /** The items themselves, compared by identity to find the unchanged prefix. */
  readonly items: readonly unknown[];
  /** Stored node id of each item. */
  readonly nodes: readonly Buffer[];
}

/** Where a known node sits in a cached list. */
export interface KnownNode {
  list: CachedList;
  index: number;
}

/** Nodes of one thread this process already holds, by node id (latin1). */
export type KnownNodes = Map<string, KnownNode>;

/**
 * Remembers, per thread and per (namespace, channel), the last list value
 * stored or read, so a put serialises and sends only the items appended
 * since and a read neither fetches nor deserialises items it already has.
 * It is only a hint: a put that builds on a node checks in the same
 * statement that the node still exists and resends the whole list if not.
 * Items are matched by identity, so an item must not be mutated in place
 * once checkpointed (LangGraph's reducers replace messages, never mutate).
 */
export class ListCache {
  private readonly threads = new Map<string, Map<string, CachedList>>();

  constructor(private readonly capacity = 2_000) {}

  get(threadId: string, checkpointNs: string, channel: string): CachedList | undefined {
    const lists = this.touch(threadId);
    return lists?.get(`${checkpointNs}\u0000${channel}`);
  }

  set(threadId: string, checkpointNs: string, channel: string, list: CachedList): void {
    let lists = this.touch(threadId);
    if (!lists) {
      lists = new Map();
      this.threads.set(threadId, lists);
      if (this.threads.size > this.capacity) {
        const oldest = this.threads.keys().next().value;
        if (oldest !== undefined) this.threads.delete(oldest);
      }
    }
    lists.set(`${checkpointNs}\u0000${channel}`, list);
  }

  /** Every node of the thread's cached lists, with where to find its prefix. */
  known(threadId: string): KnownNodes {
    const known: KnownNodes = new Map();
    for (const list of this.threads.get(threadId)?.values() ?? []) {
      list.nodes.forEach((node, index) => known.set(node.toString("latin1"), { list, index }));
    }
    return known;
  }

  forgetThread(threadId: string): void {
    this.threads.delete(threadId);
  }

  private touch(threadId: string): Map<string, CachedList> | undefined {
    const lists = this.threads.get(threadId);
    if (lists) {
      this.threads.delete(threadId);
      this.threads.set(threadId, lists);
    }
    return lists;
  }
}

/**
 * A Map that forgets its least recently inserted entries beyond `capacity`;
 * holds deserialised list items shared by reads of the same thread.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    if (this.size > this.capacity) {
      const oldest = this.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    return this;
  }
}
