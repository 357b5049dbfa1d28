import { parseArgs } from "node:util";
import { toPlain } from "../graph/plain.js";
import { assertThreadId } from "../threads/store.js";
import type { CliEnvironment } from "./env.js";
import { formatThread, formatThreadList } from "./format.js";
import { parsePositiveInt } from "./input.js";
import { withRuntime } from "./session.js";
import { UsageError } from "./usage.js";

export const THREADS_USAGE =
  "threadline threads list [--graph <id>] [--user <id>] [--limit <n>] [--json] | threadline threads show <id> [--user <id>] [--history <n>] [--json]";

export async function threadsCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      graph: { type: "string", short: "g" },
      user: { type: "string", short: "u" },
      limit: { type: "string", short: "n" },
      history: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const [sub, id, ...extra] = positionals;
  if (sub === "list" && id === undefined) {
    const limit = parsePositiveInt(values.limit, "--limit", 50);
    await withRuntime(env, async (runtime) => {
      const rows = await runtime.threads.list({ graphId: values.graph, userId: values.user, limit });
      out(values.json ? JSON.stringify(rows) : formatThreadList(rows));
    });
    return;
  }
  if (sub === "show" && id !== undefined && extra.length === 0) {
    const threadId = assertThreadId(id);
    const historyLimit = parsePositiveInt(values.history, "--history", 100);
    await withRuntime(env, async (runtime) => {
      const view = await runtime.show(threadId, { historyLimit, userId: values.user });
      out(values.json ? JSON.stringify(toPlain(view)) : formatThread(view));
    });
    return;
  }
  throw new UsageError(`usage: ${THREADS_USAGE}`);
}
