import { randomUUID } from "node:crypto";
import { ANONYMOUS_OWNER } from "../owners.js";
import { driveRun, type RunAction } from "./drive.js";
import type { CliEnvironment } from "./env.js";
import { formatOutcome } from "./format.js";
import { withCore } from "./session.js";

/**
 * A scripted walk through the banking flow on a fresh thread: balance request,
 * PIN interrupt, a wrong PIN, the right one. Each step is a run of its own, as
 * it would be across processes, and the thread stays for the user to inspect.
 */
export async function demoCommand(env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const threadId = `demo-${randomUUID().slice(0, 8)}`;
  await withCore(env, async (core) => {
    out(`Banking demo on thread ${threadId} (database: ${core.db.location})\n`);
    const steps: { say: string; action: RunAction }[] = [
      { say: `> "What's my balance?"`, action: { kind: "input", input: { message: "What's my balance?" } } },
      { say: "> PIN 0000 (wrong)", action: { kind: "resume", value: "0000" } },
      { say: "> PIN 1234", action: { kind: "resume", value: "1234" } },
    ];
    for (const step of steps) {
      out(step.say);
      const outcome = await driveRun(core, { graphId: "banking", threadId, owner: ANONYMOUS_OWNER, action: step.action, streamModes: ["values"] });
      out(formatOutcome(outcome) + "\n");
    }
    out("Try it yourself:");
    out(`  npm run threadline -- run banking --thread my-thread --input "What's my balance?"`);
    out(`  npm run threadline -- run banking --thread my-thread --resume 1234`);
    out(`  npm run threadline -- threads show ${threadId}`);
  });
}
