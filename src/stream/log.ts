import type { Database } from "../db/database.js";
import { EVENT_SQL, type RunEvent } from "./sql.js";

export type { RunEvent } from "./sql.js";

type Listener = (event: RunEvent | null) => void;

const FLUSH_EVERY_MS = 20;
const FLUSH_AT = 64;
const READ_PAGE = 500;

/**
 * The event log of runs: every event a run emits gets the next sequence
 * number of its run and is stored in `run_events`, so a client can replay a
 * run's stream from any event id, from any process, during the run or
 * after. Listeners in this process get events the moment they are emitted;
 * storing them is batched (every 20 ms, or 64 events, and at the run's end).
 *
 * @example
 * for await (const e of log.stream(runId, { after: 3, ended })) console.log(e.seq, e.event);
 */
export class RunEventLog {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly writers = new Map<string, EventWriter>();

  constructor(private readonly db: Database) {}

  /**
   * The writer of a run's events, numbering on from what is already stored
   * (a re-executed run); `fresh` says the run never emitted any (its first
   * attempt), which saves asking.
   */
  async writer(runId: string, options: { fresh?: boolean } = {}): Promise<EventWriter> {
    const last = options.fresh ? 0 : (await this.db.pool.query<{ seq: number }>(EVENT_SQL.last, [runId])).rows[0]!.seq;
    const writer = new EventWriter(this.db, runId, last, (event) => this.emit(runId, event));
    this.writers.set(runId, writer);
    writer.closed.finally(() => {
      if (this.writers.get(runId) === writer) this.writers.delete(runId);
      this.emit(runId, null);
    });
    return writer;
  }

  /** Stored events of a run after sequence number `after`. */
  async read(runId: string, after = 0, limit = READ_PAGE): Promise<RunEvent[]> {
    const { rows } = await this.db.pool.query<RunEvent>(EVENT_SQL.after, [runId, after, limit]);
    return rows;
  }

  /**
   * Calls `listener` with each event of the run emitted from now on in this
   * process (first with those emitted but not yet stored), then with null
   * when the run's writer closes.
   */
  subscribe(runId: string, listener: Listener, options: { replayAfter?: number } = {}): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    const writer = this.writers.get(runId);
    const replay = writer && options.replayAfter !== undefined ? writer.since(options.replayAfter) : (writer?.unstored() ?? []);
    for (const event of replay) listener(event);
    return () => {
      set.delete(listener);
      // Only this set, and only when empty: a later subscriber may have made a new one.
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  /**
   * Every event of the run after `after`: the stored ones, then live ones
   * until the run ends. `ended` tells whether the run has finished (its
   * events are all stored by then); it is asked when nothing new arrived,
   * which is how a process that does not execute the run follows it.
   * Listens from the moment it is called, not from the first read, so an
   * event emitted in between (a fast run) is not missed. A run whose writer
   * is in this process, holding every event after `after`, is followed from
   * memory alone: no read waits behind the run's own statements.
   */
  stream(runId: string, options: { after?: number; ended: () => Promise<boolean>; signal?: AbortSignal; pollMs?: number }): AsyncGenerator<RunEvent> {
    const live: RunEvent[] = [];
    const state = { closed: false, wake: undefined as (() => void) | undefined, fromMemory: false };
    const writer = this.writers.get(runId);
    state.fromMemory = writer !== undefined && writer.start <= (options.after ?? 0);
    const unsubscribe = this.subscribe(
      runId,
      (event) => {
        if (event) live.push(event);
        else state.closed = true;
        state.wake?.();
      },
      state.fromMemory ? { replayAfter: options.after ?? 0 } : {},
    );
    // A follower whose client went stops at once, not at the run's next event.
    const onAbort = () => state.wake?.();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const stop = () => {
      unsubscribe();
      options.signal?.removeEventListener("abort", onAbort);
    };
    const follow = this.follow(runId, options, live, state, stop);
    // A generator never started skips its finally: stop listening on return either way.
    const finish = follow.return.bind(follow);
    follow.return = (value) => {
      stop();
      return finish(value);
    };
    return follow;
  }

  private async *follow(
    runId: string,
    options: { after?: number; ended: () => Promise<boolean>; signal?: AbortSignal; pollMs?: number },
    live: RunEvent[],
    state: { closed: boolean; wake: (() => void) | undefined; fromMemory: boolean },
    unsubscribe: () => void,
  ): AsyncGenerator<RunEvent> {
    let last = options.after ?? 0;
    try {
      while (state.fromMemory) {
        for (const event of live.splice(0)) {
          if (event.seq <= last) continue;
          yield event;
          last = event.seq;
        }
        if (state.closed || options.signal?.aborted) return;
        await new Promise<void>((resolve) => (state.wake = resolve));
        state.wake = undefined;
      }
      for (;;) {
        const stored = await this.read(runId, last);
        for (const event of stored) {
          yield event;
          last = event.seq;
        }
        if (stored.length === READ_PAGE) continue;
        for (const event of live.splice(0)) {
          if (event.seq <= last) continue;
          yield event;
          last = event.seq;
        }
        if (options.signal?.aborted) return;
        if (state.closed || (await options.ended())) {
          for (let page = await this.read(runId, last); page.length; page = await this.read(runId, last)) {
            for (const event of page) {
              yield event;
              last = event.seq;
            }
          }
          // Events of a run whose record went as it ended (a stateless run) were only ever live.
          for (const event of live.splice(0)) {
            if (event.seq <= last) continue;
            yield event;
            last = event.seq;
          }
          return;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs ?? 100);
          state.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        state.wake = undefined;
      }
    } finally {
      unsubscribe();
    }
  }

  private emit(runId: string, event: RunEvent | null): void {
    for (const listener of this.listeners.get(runId) ?? []) listener(event);
  }
}

/** Numbers, publishes and stores one run's events. */
export class EventWriter {
  private pending: RunEvent[] = [];
  /** Batches handed to the database and not yet stored. */
  private readonly storing = new Set<RunEvent[]>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private done!: () => void;
  /** Settles when the writer is closed and everything is stored. */
  readonly closed = new Promise<void>((resolve) => (this.done = resolve));

  /** Every event this writer pushed: a follower in this process needs no read. */
  private readonly history: RunEvent[] = [];
  /** The sequence number it numbered on from: events up to it were stored by an earlier attempt. */
  readonly start: number;

  constructor(
    private readonly db: Database,
    private readonly runId: string,
    private seq: number,
    private readonly publish: (event: RunEvent) => void,
  ) {
    this.start = seq;
  }

  /** The events it pushed after `after` (which must be at least `start`). */
  since(after: number): RunEvent[] {
    return this.history.filter((e) => e.seq > after);
  }

  /** Emits an event now and stores it soon; returns its sequence number. */
  push(event: string, data: unknown): number {
    const entry = { seq: ++this.seq, event, data };
    this.pending.push(entry);
    this.history.push(entry);
    this.publish(entry);
    // A failure to store is kept and reported by close().
    if (this.pending.length >= FLUSH_AT) this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => this.flush().catch(() => undefined), FLUSH_EVERY_MS);
    return entry.seq;
  }

  /** Events emitted and not yet stored, oldest first. */
  unstored(): RunEvent[] {
    return [...[...this.storing].flat(), ...this.pending];
  }

  /** Stores what was pushed; rejects with the first storing failure. */
  flush(): Promise<void> {
    if (this.pending.length) {
      this.finish((columns) => this.db.pool.query(EVENT_SQL.append, [this.runId, columns.seqs, columns.events, columns.data])).catch(() => undefined);
    }
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /**
   * Hands the events not stored yet to `write`, after every batch before
   * them was stored: `flush` stores them on their own, the run's end in the
   * statement that ends it (as columns EVENT_SQL.append takes), so the run's
   * end and its last events arrive together. Resolves with what `write`
   * returns; a failure is also kept for `flush` and `close` to report.
   */
  finish<T>(write: (batch: EventColumns) => Promise<T>): Promise<T> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    this.storing.add(batch);
    const written = this.chain.then(() => write(columnsOf(batch)));
    this.chain = written.then(
      () => void this.storing.delete(batch),
      (err: unknown) => {
        this.failure ??= err;
        this.storing.delete(batch);
      },
    );
    return written;
  }

  /** Drops what is not stored yet (the database stopped answering) and tells listeners the stream has ended. */
  abandon(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.done();
  }

  /** Stores the rest and tells listeners the run's stream has ended. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.done();
    }
  }
}

/** A batch of events as the columns of one insert. */
export interface EventColumns {
  seqs: number[];
  events: string[];
  data: string[];
}

function columnsOf(batch: readonly RunEvent[]): EventColumns {
  return { seqs: batch.map((e) => e.seq), events: batch.map((e) => e.event), data: batch.map((e) => JSON.stringify(e.data ?? null)) };
}
