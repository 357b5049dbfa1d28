import type { Database } from "../db/database.js";
import { ConflictError, InvalidInputError } from "../errors.js";
import { THREAD_SQL, type ThreadRow } from "./sql.js";

export type { ThreadRow } from "./sql.js";

// Thread ids reach file names in logs, URLs and the CLI; a conservative
// alphabet keeps them printable and unambiguous everywhere.
const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function assertThreadId(id: string): string {
  if (!THREAD_ID.test(id)) {
    throw new InvalidInputError(
      `invalid thread id "${id}": use 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    );
  }
  return id;
}

/** The registry of threads: which graph owns each, and when it was last used. */
export class ThreadStore {
  constructor(private readonly db: Database) {}

  async get(threadId: string): Promise<ThreadRow | undefined> {
    const { rows } = await this.db.pool.query<ThreadRow>(THREAD_SQL.get, [threadId]);
    return rows[0];
  }

  async list(options: { graphId?: string; limit?: number; offset?: number } = {}): Promise<ThreadRow[]> {
    const limit = options.limit ?? 50;
    const offset = options.offset ?? 0;
    const { rows } = await this.db.pool.query<ThreadRow>(THREAD_SQL.list, [options.graphId ?? null, limit, offset]);
    return rows;
  }

  /** Registers the thread for `graphId`, or confirms it already belongs to it. */
  async claim(threadId: string, graphId: string, metadata: Record<string, unknown> = {}): Promise<void> {
    await this.db.pool.query(THREAD_SQL.insert, [threadId, graphId, metadata]);
    const row = await this.get(threadId);
    if (row && row.graphId !== graphId) {
      throw new ConflictError(`thread "${threadId}" belongs to graph "${row.graphId}", not "${graphId}"`);
    }
  }

  async touch(threadId: string): Promise<void> {
    await this.db.pool.query(THREAD_SQL.touch, [threadId]);
  }
}
