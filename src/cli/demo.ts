import { randomUUID } from "node:crypto";
import type { CliEnvironment } from "./env.js";
import { formatOutcome } from "./format.js";
import { withRuntime } from "./session.js";

/**
 * A scripted walk through the banking flow on a fresh thread: balance request,
 * PIN interrupt, a wrong PIN, the right one. Each step is a separate run, as
 * it would be across processes, and the thread stays for the user to inspect.
 */
export async function demoCommand(env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const threadId = `demo-${randomUUID().slice(0, 8)}`;
  await withRuntime(env, async (runtime) => {
    out(`Banking demo on thread ${threadId} (database: ${runtime.db.location})\n`);
    const steps = [
      { say: `> "What's my balance?"`, action: { kind: "input", input: { message: "What's my balance?" } } },
      { say: "> PIN 0000 (wrong)", action: { kind: "resume", value: "0000" } },
      { say: "> PIN 1234", action: { kind: "resume", value: "1234" } },
    ] as const;
    for (const step of steps) {
      out(step.say);
      out(formatOutcome(await runtime.run("banking", threadId, step.action)) + "\n");
    }
    out("Try it yourself:");
    out(`  npm run threadline -- run banking --thread my-thread --input "What's my balance?"`);
    out(`  npm run threadline -- run banking --thread my-thread --resume 1234`);
    out(`  npm run threadline -- threads show ${threadId}`);
  });
}
