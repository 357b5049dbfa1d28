import { InvalidInputError } from "../errors.js";
import { UsageError } from "./usage.js";

/**
 * `--input` is JSON when it looks like a JSON object or array, otherwise the
 * text of a user message. Broken JSON is an error rather than a message, so a
 * typo never becomes a silent conversation turn.
 */
export function parseInput(raw: string, textInput: (text: string) => unknown): unknown {
  const trimmed = raw.trim();
  if (!trimmed) throw new InvalidInputError("--input is empty");
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidInputError(`--input is not valid JSON: ${(err as Error).message}`);
    }
  }
  return textInput(raw);
}

/** `--resume` is a JSON object or array when it parses as one, else the string as typed. */
export function parseResume(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidInputError(`--resume is not valid JSON: ${(err as Error).message}`);
    }
  }
  return raw;
}

export function parsePositiveInt(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
  return n;
}
