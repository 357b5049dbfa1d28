import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../errors.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const QUOTES = new Set(['"', "'", "`"]);

/**
 * Parses the text of a `.env` file into variables, with the rules of
 * `dotenv` and Node's `--env-file`: `KEY=value` lines, an optional `export `
 * prefix, `#` comments, values in single, double or back quotes that may
 * span lines (`\n` in double quotes is a newline); a later line wins over an
 * earlier one. Unlike those (which skip what they cannot read), a line that
 * is not a variable is an error naming `source` and the line, so a typo does
 * not silently drop a setting.
 *
 * @example
 * parseEnvFile('A=1\nexport B="two\\nlines" # comment', ".env"); // { A: "1", B: "two\nlines" }
 */
export function parseEnvFile(text: string, source: string): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const env: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) throw malformed(source, lineNo, "expected KEY=value");
    const name = line.slice(0, eq).trim().replace(/^export\s+/, "");
    if (!NAME.test(name)) throw malformed(source, lineNo, `"${name}" is not a variable name`);
    let rest = line.slice(eq + 1).trimStart();
    const quote = rest[0];
    if (quote === undefined || !QUOTES.has(quote)) {
      const hash = rest.indexOf("#");
      env[name] = (hash < 0 ? rest : rest.slice(0, hash)).trim();
      continue;
    }
    // A quoted value runs to its closing quote, possibly lines further down.
    rest = rest.slice(1);
    let value = "";
    let close = rest.indexOf(quote);
    while (close < 0) {
      if (++i >= lines.length) throw malformed(source, lineNo, `the value of ${name} has no closing ${quote}`);
      value += rest + "\n";
      rest = lines[i]!;
      close = rest.indexOf(quote);
    }
    value += rest.slice(0, close);
    const after = rest.slice(close + 1).trim();
    if (after !== "" && !after.startsWith("#")) {
      throw malformed(source, i + 1, `unexpected text after the closing ${quote} of ${name}`);
    }
    env[name] = quote === '"' ? value.replace(/\\n/g, "\n") : value;
  }
  return env;
}

/**
 * Reads and parses a `.env` file; a missing or malformed one is a
 * ConfigurationError naming its path.
 *
 * @example
 * const env = await readEnvFile("/srv/app/.env");
 */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(err as Error).message})`;
    throw new ConfigurationError(`the env file ${path} ${reason}`);
  }
  return parseEnvFile(text, path);
}

function malformed(source: string, line: number, reason: string): ConfigurationError {
  return new ConfigurationError(`${source}:${line}: ${reason}`);
}
