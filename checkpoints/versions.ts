/**
 * The next channel version after `current`: the next integer. Versions only
 * order a channel's updates along one lineage; what a checkpoint holds is
 * stored in its own row, never looked up by version across the thread, so
 * two forks of one checkpoint may both write version n + 1 and neither
 * loses its value. Continues threads written with fractional versions.
 *
 * @example
 * nextChannelVersion(undefined); // 1
 * nextChannelVersion(7.482093117); // 8
 */
export function nextChannelVersion(current: number | string | undefined): number {
  const base = current === undefined ? 0 : Math.floor(typeof current === "number" ? current : Number.parseFloat(current));
  if (!Number.isFinite(base)) throw new TypeError(`invalid channel version: ${String(current)}`);
  return base + 1;
}

/** The text a version is stored under. */
export function versionKey(version: number | string): string {
  return String(version);
}
