/**
 * Whether checkpoint metadata matches a list() filter, with the semantics of
 * Postgres' jsonb containment (`metadata @> filter`), which the stock saver
 * uses: every key of an object filter must be present with a matching
 * value, every element of an array filter must match some element, and
 * scalars must be equal.
 *
 * @example
 * matchesFilter({ source: "loop", step: 3, parents: {} }, { source: "loop" }); // true
 */
export function matchesFilter(value: unknown, filter: unknown): boolean {
  if (filter === null || typeof filter !== "object") return value === filter;
  if (Array.isArray(filter)) {
    if (!Array.isArray(value)) return false;
    return filter.every((wanted) => value.some((item) => matchesFilter(item, wanted)));
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(filter).every(([key, wanted]) => wanted !== undefined ? key in record && matchesFilter(record[key], wanted) : true);
}
