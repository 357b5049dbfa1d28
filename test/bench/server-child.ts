/**
 * Threadline's server for the benchmark, in a process of its own as the
 * stock server is and as `threadline serve` runs: the clients' work never
 * shares its event loop. Started by startThreadlineProcess with
 * `{ projectDir, url?, memory, workers? }` as JSON in argv[2]; reports
 * `{ url, where }` over IPC once it listens, then answers "count" (the
 * statements it sent since the last count) and "close".
 */
import { StatementCounter } from "./stats.js";
import { startThreadline } from "./server-targets.js";

const options = JSON.parse(process.argv[2]!) as { projectDir: string; url?: string; memory: boolean; workers?: number };
const counter = new StatementCounter();
counter.install();
const errors: string[] = [];
const target = await startThreadline(options.projectDir, {
  ...(options.url ? { url: options.url } : {}),
  memory: options.memory,
  ...(options.workers ? { workers: options.workers } : {}),
  log: (err) => errors.push(err instanceof Error ? err.message : String(err)),
});
process.on("message", async (message: { type: "count" | "close" }) => {
  if (message.type === "count") {
    process.send!({ type: "count", statements: counter.statements + counter.transactionControl, errors: errors.splice(0) });
    counter.reset();
  } else {
    await target.close();
    process.send!({ type: "closed" }, () => process.exit(0));
  }
});
process.send!({ type: "ready", url: target.url, where: target.where });
