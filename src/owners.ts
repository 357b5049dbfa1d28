import { InvalidInputError, NotFoundError } from "./errors.js";

/**
 * Every thread, run and assistant has an owner. A request that names no
 * user acts for the anonymous owner, and system assistants (one per graph of
 * the project) belong to the system owner, which every user can read. Both
 * start with '~', which no user id can (see USER_ID), so no user is ever
 * mistaken for either.
 */
export const ANONYMOUS_OWNER = "~anonymous";
export const SYSTEM_OWNER = "~system";

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

/** The owner a request acts as: the user it names, else the anonymous owner. */
export function ownerOf(userId: string | undefined | null): string {
  return userId === undefined || userId === null ? ANONYMOUS_OWNER : assertUserId(userId);
}

/** The user id to hand a graph (`configurable.user_id`): none for the anonymous owner. */
export function userIdOf(owner: string): string | undefined {
  return owner === ANONYMOUS_OWNER ? undefined : owner;
}

/**
 * The user a run's graph acts for (`configurable.user_id`): the run's owner;
 * for the anonymous owner (a server without authentication, where anyone may
 * do anything) the `user_id` the request names, as LangGraph's own server
 * passes it through, so such a server can drive a graph that scopes memory
 * by user. An authenticated owner is never replaced by what a request says.
 */
export function graphUserOf(owner: string, requested: unknown): string | undefined {
  const user = userIdOf(owner);
  if (user !== undefined || requested === undefined || requested === null) return user;
  if (typeof requested !== "string") throw new InvalidInputError("configurable.user_id must be a string");
  return assertUserId(requested);
}

// Thread ids reach file names in logs, URLs and the CLI; a conservative
// alphabet keeps them printable and unambiguous everywhere.
const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function assertThreadId(id: string): string {
  if (typeof id !== "string" || !THREAD_ID.test(id)) {
    throw new InvalidInputError(
      `invalid thread id "${id}": use 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    );
  }
  return id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** A run id: refused as unknown when it is not a UUID, as it cannot name a run. */
export function assertRunId(id: string): string {
  if (typeof id !== "string" || !UUID.test(id)) throw new NotFoundError(`unknown run "${id}"`);
  return id.toLowerCase();
}
