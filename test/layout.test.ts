import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/**
 * The only files that may read the environment: entry points, which turn it
 * into explicit options for everything else. (`npm run depcheck` checks the
 * layering of imports; a property read is not an import, so this checks it.)
 */
const ENV_READERS = ["src/cli.ts", "src/cli/env.ts", "src/bin/*", "src/server/main.ts", "src/worker/main.ts"];

const SCANNED = ["src", "checkpoints", "tools", "graphs"];

function allowed(file: string): boolean {
  return ENV_READERS.some((entry) => (entry.endsWith("/*") ? file.startsWith(entry.slice(0, -1)) : file === entry));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(m?ts|m?js)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const isProcess = (node: ts.Node) => ts.isIdentifier(node) && node.text === "process";

/** Lines that read `process.env` (`process.env`, `process["env"]`, `const { env } = process`); comments and strings do not count. */
function envReads(text: string): number[] {
  const source = ts.createSourceFile("scanned.ts", text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node) => {
    const reads =
      (ts.isPropertyAccessExpression(node) && isProcess(node.expression) && node.name.text === "env") ||
      (ts.isElementAccessExpression(node) && isProcess(node.expression) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === "env") ||
      (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer) && ts.isObjectBindingPattern(node.name) &&
        node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === "env"));
    if (reads) lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

describe("project layout", () => {
  it("reads process.env only in entry points", () => {
    const readers = SCANNED.flatMap(sourceFiles)
      .filter((file) => !allowed(file))
      .flatMap((file) => envReads(readFileSync(join(ROOT, file), "utf8")).map((line) => `${file}:${line}`));
    expect(readers).toEqual([]);
  });

  it("finds every form of reading it, and nothing in comments or strings", () => {
    expect(envReads("const url = process.env.DATABASE_URL;")).toEqual([1]);
    expect(envReads('\nconst env = process["env"];')).toEqual([2]);
    expect(envReads("const { env: vars } = process;")).toEqual([1]);
    expect(envReads("// process.env.DATABASE_URL\n/** process.env */\nconst s = 'process.env';")).toEqual([]);
  });
});
