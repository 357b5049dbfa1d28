import { dirname, isAbsolute, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where a loader or runtime error points in the source. */
export interface SourceLocation {
  file: string;
  line: number;
  /** 1-based, as editors count. */
  column?: number;
}

export interface LoadFailure {
  location?: SourceLocation;
  /** One line: what the loader said, without its framing ("Transform failed with 1 error:"). */
  reason: string;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
// esbuild, as tsx reports it: "/abs/file.ts:3:5: ERROR: Unexpected "="" (column 0-based).
const ESBUILD = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;
// Vite's oxc transform: "[PARSE_ERROR] Unexpected token" then "╭─[ file.ts:3:6 ]" (1-based).
const OXC_REASON = /\[([A-Z_]+)\]\s*(.+)/;
const OXC_LOCATION = /\[\s*([^\s\]]+?):(\d+):(\d+)\s*\]/;
// Vite's parser: "Parse failed with 1 error:\n<reason>\n…At file: /@fs/abs/file.mjs:3:5" (column 0-based).
const PARSE_FAILED = /Parse failed with \d+ errors?:\s*\n(.+)/;
const AT_FILE = /At file: (\S+?):(\d+):(\d+)/;
const FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?$/;
const RESOLUTION_CODES = new Set(["ERR_MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED", "ERR_UNSUPPORTED_DIR_IMPORT"]);
const LOADER_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * What went wrong importing a graph module, from whichever loader threw:
 * tsx/esbuild (the CLI), Vite (tests), Node itself, or the module's own code
 * while it ran. Loaders put the location on a line of their message, which a
 * one-line report would otherwise lose.
 *
 * @example
 * const { location, reason } = describeLoadFailure(err);
 * // { location: { file: "/app/graph.ts", line: 3, column: 6 }, reason: 'Unexpected "="' }
 */
export function describeLoadFailure(err: unknown): LoadFailure {
  if (!(err instanceof Error)) return { reason: String(err) };
  const structured = esbuildLocation(err);
  if (structured) return structured;
  const message = err.message.replace(ANSI, "");
  const esbuild = ESBUILD.exec(message);
  if (esbuild) {
    return { location: at(esbuild[1]!, esbuild[2]!, Number(esbuild[3]) + 1), reason: esbuild[4]!.trim() };
  }
  const oxc = OXC_LOCATION.exec(message);
  if (oxc) {
    return { location: at(oxc[1]!, oxc[2]!, Number(oxc[3])), reason: OXC_REASON.exec(message)?.[2]?.trim() ?? firstLine(message) };
  }
  const atFile = AT_FILE.exec(message);
  if (atFile) {
    return { location: at(atFile[1]!, atFile[2]!, Number(atFile[3]) + 1), reason: PARSE_FAILED.exec(message)?.[1]?.trim() ?? firstLine(message) };
  }
  const reason = `${err.name && err.name !== "Error" && !message.startsWith(err.name) ? `${err.name}: ` : ""}${firstLine(message)}`;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && RESOLUTION_CODES.has(code)) return { reason };
  return { location: thrownAt(err.stack ?? ""), reason };
}

/**
 * A short account of a value for error messages: its kind and a glimpse of
 * it, never the whole thing.
 *
 * @example
 * describeValue(42); // "a number (42)"
 * describeValue({ a: 1 }); // "an object with keys a"
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case "number":
    case "boolean":
    case "bigint":
      return `a ${typeof value} (${String(value)})`;
    case "symbol":
      return "a symbol";
    case "function":
      return /^class\b/.test(Function.prototype.toString.call(value)) ? `a class (${value.name || "anonymous"})` : "a function";
  }
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  const name = (value as object).constructor?.name;
  if (name && name !== "Object") return `an instance of ${name}`;
  const keys = Object.keys(value as object);
  if (keys.length === 0) return "an empty object";
  return `an object with keys ${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""}`;
}

/** Formats a location the way editors and terminals link it: file:line:column. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
}

function esbuildLocation(err: Error): LoadFailure | undefined {
  const first = (err as { errors?: { text?: string; location?: { file?: string; line?: number; column?: number } | null }[] })
    .errors?.[0];
  if (!first?.location?.file || !first.location.line) return undefined;
  return {
    location: { file: resolvePath(first.location.file), line: first.location.line, column: (first.location.column ?? 0) + 1 },
    reason: first.text ?? firstLine(err.message),
  };
}

// The first frame in code of the project: a module's top-level statement that
// threw, or the line of it that called into a library that did.
function thrownAt(stack: string): SourceLocation | undefined {
  for (const line of stack.split("\n").slice(1)) {
    const frame = FRAME.exec(line);
    if (!frame) continue;
    const file = resolvePath(frame[1]!);
    if (file.includes(`${sep}node_modules${sep}`) || dirname(file) === LOADER_DIR) continue;
    return { file, line: Number(frame[2]), column: Number(frame[3]) };
  }
  return undefined;
}

function at(file: string, line: string, column: number): SourceLocation {
  return { file: resolvePath(file), line: Number(line), column };
}

function resolvePath(file: string): string {
  if (file.startsWith("file://")) return fileURLToPath(file);
  if (file.startsWith("/@fs/")) return file.slice("/@fs".length);
  return isAbsolute(file) ? file : resolve(file);
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "(no message)"
  );
}
