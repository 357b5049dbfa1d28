import { crc32c } from "@node-rs/crc32";

/**
 * CRC32C of what a stored row means, kept in its `checksum` column and
 * checked on every read: raw deflate carries no checksum of its own, so a
 * flipped bit in a body used to inflate into a different, valid-looking
 * state. The thread id is left out so that copying a thread in SQL keeps
 * the rows valid; everything else that changes a row's meaning is in.
 * Values are signed, as Postgres `integer` stores them.
 */
export function checkpointChecksum(checkpointNs: string, checkpointId: string, parentId: string | null, flags: number, body: Uint8Array): number {
  const parent = parentId === null ? "\u0001" : `\u0002${parentId}`;
  return crc32c(body, crc32c(`${checkpointNs}\u0000${checkpointId}\u0000${parent}\u0000${flags}\u0000`)) | 0;
}

/** CRC32C of a pending-writes row (see checkpointChecksum). */
export function writeChecksum(
  checkpointNs: string,
  checkpointId: string,
  taskId: string,
  taskPath: string,
  idx: number,
  channel: string,
  type: string,
  blob: Uint8Array,
): number {
  const head = `${checkpointNs}\u0000${checkpointId}\u0000${taskId}\u0000${taskPath}\u0000${idx}\u0000${channel}\u0000${type}\u0000`;
  return crc32c(blob, crc32c(head)) | 0;
}
