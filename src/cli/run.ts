import { parseArgs } from "node:util";
import { toPlain } from "../graph/plain.js";
import type { RunAction } from "../runtime/runtime.js";
import { assertThreadId } from "../threads/store.js";
import type { CliEnvironment } from "./env.js";
import { rethrowRunFault } from "./faults.js";
import { formatOutcome } from "./format.js";
import { parseInput, parseResume } from "./input.js";
import { chatModelFromEnvironment } from "./model.js";
import { withRuntime } from "./session.js";
import { UsageError } from "./usage.js";

export const RUN_USAGE =
  "threadline run <graph> --thread <id> [--user <id>] [--input <json|text>] [--resume <value>] [--json] [--verbose]";

/**
 * Runs a graph on a thread: new input, the answer to a pending interrupt, or
 * (with neither) the continuation of a run that was cut off mid-way.
 */
export async function runCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      thread: { type: "string", short: "t" },
      user: { type: "string", short: "u" },
      input: { type: "string", short: "i" },
      resume: { type: "string", short: "r" },
      json: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
    },
  });
  const [graphId, ...extra] = positionals;
  if (!graphId || extra.length) throw new UsageError(`usage: ${RUN_USAGE}`);
  if (!values.thread) throw new UsageError(`--thread is required; usage: ${RUN_USAGE}`);
  const threadId = assertThreadId(values.thread);
  if (values.input !== undefined && values.resume !== undefined) {
    throw new UsageError("give --input or --resume, not both");
  }
  let action: RunAction = { kind: "continue" };
  await withRuntime(
    env,
    async (runtime) => {
      const outcome = await runtime.run(graphId, threadId, action, {
        userId: values.user,
        onStep: values.verbose ? (node) => out(`· ${node}`) : undefined,
      }).catch((err: unknown) => rethrowRunFault(err, runtime, { graphId, threadId, userId: values.user }));
      out(values.json ? JSON.stringify(toPlain(outcome)) : formatOutcome(outcome, values.user));
    },
    async (project) => {
      const loaded = await project.load(graphId);
      if (values.input !== undefined) action = { kind: "input", input: parseInput(values.input, loaded.textInput) };
      else if (values.resume !== undefined) action = { kind: "resume", value: parseResume(values.resume) };
      return loaded.requiresChatModel ? { chatModel: await chatModelFromEnvironment(env) } : {};
    },
  );
}
