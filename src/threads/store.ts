import type { Database } from "../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
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

  async list(options: { graphId?: string; userId?: string; limit?: number; offset?: number } = {}): Promise<ThreadRow[]> {
    const limit = options.limit ?? 50;
    const offset = options.offset ?? 0;
    const { rows } = await this.db.pool.query<ThreadRow>(THREAD_SQL.list, [
      options.graphId ?? null,
      limit,
      offset,
      options.userId ?? null,
    ]);
    return rows;
  }

  /**
   * Registers the thread for `graphId` (owned by `userId` when given), or
   * confirms it already belongs to both.
   */
  async claim(threadId: string, graphId: string, metadata: Record<string, unknown> = {}, userId?: string): Promise<void> {
    await this.db.pool.query(THREAD_SQL.insert, [threadId, graphId, metadata, userId ?? null]);
    const row = await this.get(threadId);
    if (row && row.graphId !== graphId) {
      throw new ConflictError(`thread "${threadId}" belongs to graph "${row.graphId}", not "${graphId}"`);
    }
    if (row) assertOwner(row, userId);
  }

  /** Every thread the user owns. */
  async idsOfUser(userId: string): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ threadId: string }>(THREAD_SQL.idsOfUser, [userId]);
    return rows.map((r) => r.threadId);
  }

  async touch(threadId: string): Promise<void> {
    await this.db.pool.query(THREAD_SQL.touch, [threadId]);
  }
}

/**
 * Refuses a thread owned by someone other than `userId`. The error is the
 * same as for a missing thread, so one user cannot learn that another
 * user's thread id exists.
 */
export function assertOwner(thread: ThreadRow, userId: string | undefined): void {
  if (thread.userId !== null && thread.userId !== userId) throw new NotFoundError(`unknown thread "${thread.threadId}"`);
}

// User ids come from the caller (CLI flag, API auth), never from a model; a
// conservative alphabet keeps them safe in logs and URLs.
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,255}$/;

export function assertUserId(id: string): string {
  if (!USER_ID.test(id)) {
    throw new InvalidInputError(
      `invalid user id "${id}": use 1-256 letters, digits, '.', '_', ':', '@', '+' or '-', starting with a letter or digit`,
    );
  }
  return id;
}
