import type { MatchCondition } from "@langchain/langgraph-checkpoint";
import { InvalidInputError } from "../errors.js";

/**
 * Checks of what a batch asks for, before any SQL runs: namespaces, keys,
 * values, filters and pages, each turned into the JSON the statements of
 * sql.ts take.
 */

export const DEFAULT_SEARCH_LIMIT = 10;
export const DEFAULT_LIST_LIMIT = 100;

const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"]);
const ORDERED = new Set(["$gt", "$gte", "$lt", "$lte"]);

export interface FilterCondition {
  key: string;
  /** An operator, or "contains" for a plain value (JSON containment). */
  op: string;
  operand: unknown;
}

/**
 * A namespace as the stored path: labels joined by ".". Labels are
 * non-empty strings without "." (the separator) or NUL (which Postgres text
 * cannot hold).
 */
export function namespacePath(namespace: unknown, what: string, options: { allowEmpty?: boolean } = {}): string {
  if (!Array.isArray(namespace)) throw new InvalidInputError(`${what} must be a list of labels`);
  if (namespace.length === 0 && !options.allowEmpty) throw new InvalidInputError(`${what} must not be empty`);
  for (const label of namespace) assertLabel(label, what);
  return namespace.join(".");
}

export function assertLabels(path: unknown, what: string): string[] {
  if (!Array.isArray(path)) throw new InvalidInputError(`${what} must be a list of labels`);
  for (const label of path) assertLabel(label, what);
  return path as string[];
}

export function assertKey(key: unknown): string {
  if (typeof key !== "string" || key === "") throw new InvalidInputError("an item's key must be a non-empty string");
  if (key.includes("\0")) throw new InvalidInputError("an item's key must not contain NUL");
  return key;
}

/** A value to store: an object that is JSON (its keys are what filters match). */
export function assertValue(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError("an item's value must be an object (or null to delete it)");
  }
  try {
    JSON.stringify(value);
  } catch (err) {
    throw new InvalidInputError(`an item's value must be JSON: ${(err as Error).message}`);
  }
  return value as Record<string, unknown>;
}

/**
 * A filter as conditions on top-level keys: a plain value must be contained
 * (`{ tags: ["a"] }` matches tags ["a", "b"]), an object of operators
 * compares ($eq, $ne, $gt, $gte, $lt, $lte on numbers or strings, $in and
 * $nin with a list).
 */
export function filterConditions(filter: unknown): FilterCondition[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== "object" || Array.isArray(filter)) throw new InvalidInputError("a search filter must be an object");
  const conditions: FilterCondition[] = [];
  for (const [key, expected] of Object.entries(filter)) {
    if (key === "" || key.startsWith("$")) {
      throw new InvalidInputError(`filter key "${key}": name a field of the value; operators go inside it, e.g. { score: { $gt: 1 } }`);
    }
    if (expected === undefined) throw new InvalidInputError(`filter key "${key}" has no value`);
    const operators = isOperatorObject(expected) ? Object.entries(expected as object) : undefined;
    if (!operators) {
      conditions.push({ key, op: "contains", operand: expected });
      continue;
    }
    for (const [op, operand] of operators) conditions.push({ key, op, operand: checkOperand(key, op, operand) });
  }
  return conditions;
}

export function pageOf(limit: unknown, offset: unknown, defaultLimit: number): { limit: number; offset: number } {
  return { limit: count(limit ?? defaultLimit, "limit"), offset: count(offset ?? 0, "offset") };
}

export function maxDepthOf(maxDepth: unknown): number | null {
  if (maxDepth === undefined || maxDepth === null) return null;
  if (!Number.isInteger(maxDepth) || (maxDepth as number) < 1) throw new InvalidInputError("maxDepth must be a positive integer");
  return maxDepth as number;
}

/** Match conditions as the statement takes them, and the literal path every match starts with. */
export function matchConditions(conditions: readonly MatchCondition[] | undefined): {
  json: { match_type: string; path: string[] }[];
  start: string;
} {
  const json = (conditions ?? []).map((c) => {
    if (c.matchType !== "prefix" && c.matchType !== "suffix") {
      throw new InvalidInputError(`a namespace match is "prefix" or "suffix", not "${String(c.matchType)}"`);
    }
    return { match_type: c.matchType, path: assertLabels(c.path, `the ${c.matchType} to match`) };
  });
  const prefix = json.find((c) => c.match_type === "prefix")?.path ?? [];
  const wildcard = prefix.indexOf("*");
  return { json, start: (wildcard < 0 ? prefix : prefix.slice(0, wildcard)).join(".") };
}

function assertLabel(label: unknown, what: string): void {
  if (typeof label !== "string" || label === "") throw new InvalidInputError(`${what}: labels must be non-empty strings`);
  if (label.includes(".") || label.includes("\0")) {
    throw new InvalidInputError(`${what}: label "${label}" must not contain "." (the separator) or NUL`);
  }
}

// An object whose keys start with "$" is operators; any "$" key makes it so,
// so a misspelt operator is an error rather than a containment test.
function isOperatorObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith("$"));
}

function checkOperand(key: string, op: string, operand: unknown): unknown {
  if (!OPERATORS.has(op)) {
    throw new InvalidInputError(`filter key "${key}": unknown operator "${op}" (use ${[...OPERATORS].join(", ")})`);
  }
  if (operand === undefined) throw new InvalidInputError(`filter key "${key}": ${op} needs a value`);
  if (ORDERED.has(op) && !(typeof operand === "string" || (typeof operand === "number" && Number.isFinite(operand)))) {
    throw new InvalidInputError(`filter key "${key}": ${op} compares numbers or strings`);
  }
  if ((op === "$in" || op === "$nin") && !Array.isArray(operand)) {
    throw new InvalidInputError(`filter key "${key}": ${op} takes a list`);
  }
  return operand;
}

function count(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new InvalidInputError(`${what} must be a non-negative integer`);
  return value as number;
}
