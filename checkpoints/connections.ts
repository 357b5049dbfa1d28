import pg from "pg";
import { checkOut } from "./database.js";

/**
 * Connections the saver's writes keep between statements. `pool.query()`
 * checks a client out on the next tick, so a put's statement would only
 * leave after the graph's own work that follows the put, and its round trip
 * could not overlap that work; on a lone thread that costs about a fifth of
 * a millisecond per step. A writer therefore keeps its connection while
 * statements keep coming and gives it back to the pool once none came for
 * `idleMs`, so an agent waiting on a model holds no connection.
 */
export class WriterConnections {
  private readonly idle: pg.PoolClient[] = [];
  private readonly held = new Map<pg.PoolClient, (err: Error) => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastUse = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly idleMs = 50,
  ) {}

  async query(config: pg.QueryConfig): Promise<pg.QueryResult> {
    const client = this.idle.pop() ?? (await this.checkOut());
    try {
      const result = await client.query(config);
      this.idle.push(client);
      return result;
    } catch (err) {
      // A statement the server refused leaves the connection usable, unless
      // the server was ending the session (57P01-57P03 shutting down, 08xxx
      // connection faults): a retry on it would only fail again.
      if (err instanceof pg.DatabaseError && !/^(57P0|08)/.test(err.code ?? "")) this.idle.push(client);
      else this.drop(client, err as Error);
      throw err;
    } finally {
      this.lastUse = performance.now();
      this.timer ??= setTimeout(() => this.releaseIdle(), this.idleMs);
    }
  }

  /** Gives the idle connections back to the pool once none was used for `idleMs`. */
  private releaseIdle(): void {
    this.timer = undefined;
    const quietFor = performance.now() - this.lastUse;
    if (quietFor < this.idleMs) {
      this.timer = setTimeout(() => this.releaseIdle(), this.idleMs - quietFor);
      return;
    }
    for (const client of this.idle.splice(0)) this.drop(client);
  }

  private async checkOut(): Promise<pg.PoolClient> {
    // A kept connection that dies between statements would otherwise emit an
    // unhandled 'error' and crash the process; it is dropped instead.
    let client: pg.PoolClient | undefined;
    let early: Error | undefined;
    const onError = (err: Error) => (client ? this.drop(client, err) : (early = err));
    client = await checkOut(this.pool, onError);
    this.held.set(client, onError);
    if (early) {
      this.drop(client, early);
      throw early;
    }
    return client;
  }

  private drop(client: pg.PoolClient, err?: Error): void {
    const at = this.idle.indexOf(client);
    if (at >= 0) this.idle.splice(at, 1);
    const onError = this.held.get(client);
    if (!onError) return;
    this.held.delete(client);
    client.removeListener("error", onError);
    // A connection let go because it failed may still report its end (the
    // server's termination notice arrives after the failed statement's); with
    // no listener that would crash the process.
    if (err) client.on("error", () => undefined);
    // Released with an error, pg-pool closes the connection instead of reusing it.
    client.release(err);
  }
}
