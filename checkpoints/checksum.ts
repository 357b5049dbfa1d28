import { crc32c } from "@node-rs/crc32";

/**
 * CRC32C of what a stored row means, kept in its `checksum` column and
 * checked whenever a row is read: raw deflate carries no checksum of its
 * own, so without one a flipped bit in a body can inflate into a
 * different, valid-looking state. The thread id is left out so that
 * copying a thread in SQL keeps the rows valid; everything else that
 * changes a row's meaning is in. Values are signed, as Postgres `integer`
 * stores them.
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

export const CHECKSUM_MISMATCH = "its checksum does not match its contents";

/** The fields of a stored checkpoint row its checksum covers. */
export interface ChecksummedCheckpoint {
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  flags: number;
  body: Uint8Array;
  /** Null for rows stored before checksums. */
  checksum: number | null;
}

/** The fields of a stored pending-write row its checksum covers. */
export interface ChecksummedWrite {
  checkpointNs: string;
  checkpointId: string;
  taskId: string;
  taskPath: string;
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
  checksum: number | null;
}

/** Whether a row with a checksum no longer matches it (a row without one cannot be checked). */
export function checkpointRowDamaged(row: ChecksummedCheckpoint): boolean {
  return row.checksum !== null && row.checksum !== checkpointChecksum(row.checkpointNs, row.checkpointId, row.parentCheckpointId, row.flags, row.body);
}

export function writeRowDamaged(w: ChecksummedWrite): boolean {
  return w.checksum !== null && w.checksum !== writeChecksum(w.checkpointNs, w.checkpointId, w.taskId, w.taskPath, w.idx, w.channel, w.type, w.blob);
}
