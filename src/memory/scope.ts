import { InvalidInputError } from "../errors.js";
import type { MemoryScope } from "./types.js";

const MAX_ID_LENGTH = 256;

/** Checks that both halves of a scope are present, so no query runs unscoped. */
export function assertScope(scope: MemoryScope): MemoryScope {
  for (const [name, value] of [["assistantId", scope?.assistantId], ["userId", scope?.userId]] as const) {
    if (typeof value !== "string" || value.trim() === "" || value.length > MAX_ID_LENGTH) {
      throw new InvalidInputError(`memory scope needs a non-empty ${name} of at most ${MAX_ID_LENGTH} characters`);
    }
  }
  return scope;
}

/** Length in Unicode code points, the unit Postgres' char_length uses. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Returns `date` if it is a real point in time, else throws an InvalidInputError naming it. */
export function assertDate(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new InvalidInputError(`${name} is not a valid date`);
  return date;
}
