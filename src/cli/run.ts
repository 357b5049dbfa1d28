import { parseArgs } from "node:util";
import { assertThreadId, ownerOf } from "../owners.js";
import { MULTITASK_STRATEGIES, type MultitaskStrategy, type RunStreamMode } from "../runs/request.js";
import { driveRun, type RunAction } from "./drive.js";
import type { CliEnvironment } from "./env.js";
import { rethrowRunFault } from "./faults.js";
import { formatOutcome, outcomeJson } from "./format.js";
import { inputChannels, parseInput, parseJsonObject, parseResume } from "./input.js";
import { modelServicesFromEnvironment } from "./model.js";
import { withCore } from "./session.js";
import { UsageError } from "./usage.js";

export const RUN_USAGE =
  "threadline run <graph> --thread <id> [--user <id>] [--input <json|text>] [--resume <value>] [--multitask reject|interrupt|rollback|enqueue] [--configurable <json>] [--json] [--verbose]";

/**
 * Runs a graph on a thread: new input, the answer to a pending interrupt, or
 * (with neither) the continuation of a run that was cut off mid-way. The
 * run is a record like any other (the server's runs are the same), executed
 * in this process; while another run is busy on the thread, `--multitask`
 * says what to do (default: refuse).
 */
export async function runCommand(argv: string[], env: CliEnvironment, out: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      thread: { type: "string", short: "t" },
      user: { type: "string", short: "u" },
      input: { type: "string", short: "i" },
      resume: { type: "string", short: "r" },
      multitask: { type: "string" },
      configurable: { type: "string" },
      json: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
    },
  });
  const [graphId, ...extra] = positionals;
  if (!graphId || extra.length) throw new UsageError(`usage: ${RUN_USAGE}`);
  if (!values.thread) throw new UsageError(`--thread is required; usage: ${RUN_USAGE}`);
  const threadId = assertThreadId(values.thread);
  const owner = ownerOf(values.user);
  if (values.input !== undefined && values.resume !== undefined) throw new UsageError("give --input or --resume, not both");
  const strategy = values.multitask;
  if (strategy !== undefined && !(MULTITASK_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new UsageError(`--multitask must be one of ${MULTITASK_STRATEGIES.join(", ")}, not "${strategy}"`);
  }
  const configurable = values.configurable === undefined ? undefined : parseJsonObject(values.configurable, "--configurable");
  let action: RunAction = { kind: "continue" };
  await withCore(
    env,
    async (core) => {
      // A node's update arrives when it finishes; it is reported once its
      // step is saved (the "checkpoints" event follows the save).
      const unsaved: string[] = [];
      const modes: RunStreamMode[] = values.verbose ? ["updates", "checkpoints"] : ["values"];
      const outcome = await driveRun(core, {
        graphId,
        threadId,
        owner,
        action,
        streamModes: modes,
        ...(strategy ? { multitaskStrategy: strategy as MultitaskStrategy } : {}),
        ...(configurable ? { configurable } : {}),
        ...(signal ? { signal } : {}),
        onEvent: values.verbose
          ? (event) => {
              if (event.event === "updates") unsaved.push(...Object.keys(event.data as object).filter((n) => n !== "__interrupt__"));
              else if (event.event === "checkpoints") for (const node of unsaved.splice(0)) out(`· ${node}`);
            }
          : undefined,
      }).catch((err: unknown) => rethrowRunFault(err, core, { graphId, threadId, userId: values.user }));
      for (const node of unsaved.splice(0)) out(`· ${node}`);
      out(values.json ? JSON.stringify(outcomeJson(outcome)) : formatOutcome(outcome));
    },
    async (project) => {
      const loaded = await project.load(graphId);
      if (values.input !== undefined) {
        const channels = inputChannels(await loaded.instantiate({ configurable: {} }, {}));
        action = { kind: "input", input: parseInput(values.input, loaded, channels) };
      } else if (values.resume !== undefined) action = { kind: "resume", value: parseResume(values.resume) };
      return loaded.requiresChatModel ? modelServicesFromEnvironment(env) : {};
    },
  );
}
