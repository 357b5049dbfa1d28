import { parseArgs } from "node:util";
import { InvalidInputError } from "../errors.js";
import { assertThreadId } from "../threads/store.js";
import type { CliEnvironment } from "./env.js";
import { formatThread, formatThreadList } from "./format.js";
import { parsePositiveInt } from "./input.js";
import { withRuntime } from "./session.js";

export const THREADS_USAGE =
  "threadline threads list [--graph <id>] [--limit <n>] [--json] | threadline threads show <id> [--history <n>] [--json]";

export async function threadsCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      graph: { type: "string", short: "g" },
      limit: { type: "string", short: "n" },
      history: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const [sub, id, ...extra] = positionals;
  if (sub === "list" && id === undefined) {
    const limit = parsePositiveInt(values.limit, "--limit", 50);
    await withRuntime(env, async (runtime) => {
      const rows = await runtime.threads.list({ graphId: values.graph, limit });
      out(values.json ? JSON.stringify(rows) : formatThreadList(rows));
    });
    return;
  }
  if (sub === "show" && id !== undefined && extra.length === 0) {
    const threadId = assertThreadId(id);
    const historyLimit = parsePositiveInt(values.history, "--history", 100);
    await withRuntime(env, async (runtime) => {
      const view = await runtime.show(threadId, { historyLimit });
      out(values.json ? JSON.stringify(view) : formatThread(view));
    });
    return;
  }
  throw new InvalidInputError(`usage: ${THREADS_USAGE}`);
}
