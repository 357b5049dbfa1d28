import { randomInt } from "node:crypto";

const FRACTION_SCALE = 1_000_000_000;

/**
 * The next channel version after `current`: the next integer plus a random
 * fraction. Two forks of one checkpoint therefore get different versions for
 * the same channel (integer versions would collide and the second fork's blob
 * would be dropped), while versions stay plain numbers that compare correctly
 * and continue threads written with integer versions.
 *
 * @example
 * nextChannelVersion(undefined); // e.g. 1.482093117
 * nextChannelVersion(1.482093117); // e.g. 2.000381964
 */
export function nextChannelVersion(current: number | string | undefined): number {
  const base = current === undefined ? 0 : Math.floor(typeof current === "number" ? current : Number.parseFloat(current));
  if (!Number.isFinite(base)) throw new TypeError(`invalid channel version: ${String(current)}`);
  return base + 1 + randomInt(1, FRACTION_SCALE) / FRACTION_SCALE;
}

/** The text a version is stored under; matches Postgres' jsonb text of the same number. */
export function versionKey(version: number | string): string {
  return String(version);
}
