/**
 * Context evaluation: for each history strategy, the share of questions whose
 * evidence turns reach the assembled context, and the tokens it costs.
 *
 * Usage: npm run eval:context -- --data <file.json> [--budget 4000] [--retrieved 1000] [--model gpt-4o]
 *                                [--embeddings <module>] [--json <out>]
 *
 * `--budget` is the history share (verbatim turns + summary); the system prompt
 * is small and fixed; `full` is measured without a limit as the reference.
 * Runs on an in-memory PGlite with the real recall store; needs no model.
 * `--embeddings` names a module whose default export is LangChain
 * `Embeddings`: recall then ranks by meaning too, as with a provider.
 * Beside the strategies it prints a plain BM25 baseline computed in-process
 * (best-ranked earlier turns until the history budget is used, and the same
 * stopped at hybrid's mean tokens), and, when the questions have categories
 * (test/eval/data/hard.json, from generate-hard.ts), the evidence held per
 * category.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { openDatabase } from "../../src/db/open.js";
import { loadDataset } from "./lib/dataset.js";
import { evaluate, formatTable } from "./lib/run.js";

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      budget: { type: "string", default: "4000" },
      retrieved: { type: "string", default: "1000" },
      model: { type: "string", default: "gpt-4o" },
      json: { type: "string" },
      embeddings: { type: "string" },
    },
  });
  if (!values.data) throw new Error("missing --data <file.json>");
  const historyBudget = positive("budget", values.budget);
  const retrievedBudget = positive("retrieved", values.retrieved);
  const dataset = loadDataset(values.data);
  const embeddings = values.embeddings ? await embeddingsFrom(values.embeddings) : undefined;
  const db = await openDatabase({ dataDir: "memory://" });
  try {
    const report = await evaluate(dataset, { db, historyBudget, retrievedBudget, model: values.model, ...(embeddings ? { embeddings } : {}) });
    const counting = report.exactTokens ? "exact" : "approximate";
    const ranking = embeddings ? `, embeddings from ${values.embeddings}` : "";
    console.log(`history budget ${historyBudget} tokens, retrieved ${retrievedBudget}, model ${report.model} (${counting} token counts)${ranking}`);
    console.log(formatTable(report));
    if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await db.close();
  }
}

async function embeddingsFrom(path: string): Promise<EmbeddingsInterface> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const value = module.default as Partial<EmbeddingsInterface> | undefined;
  if (typeof value?.embedDocuments !== "function" || typeof value.embedQuery !== "function") {
    throw new Error(`--embeddings ${path}: the default export is not an Embeddings object (embedDocuments, embedQuery)`);
  }
  return value as EmbeddingsInterface;
}

main().catch((err: unknown) => {
  console.error(`eval:context: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  process.exit(1);
});
