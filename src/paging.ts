import { InvalidInputError } from "./errors.js";

/** The largest page any list or search returns. */
export const MAX_PAGE = 1000;

/** A page size from a request: `fallback` when absent, refused outside 1..MAX_PAGE. */
export function pageSize(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_PAGE}, got ${limit}`);
  }
  return limit;
}

export function pageOffset(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(`offset must be a whole number of at least 0, got ${value}`);
  return value;
}

export function sortOrder(order: string | undefined): "ASC" | "DESC" {
  if (order === undefined || order === "desc") return "DESC";
  if (order === "asc") return "ASC";
  throw new InvalidInputError(`sort order must be "asc" or "desc", got "${order}"`);
}
