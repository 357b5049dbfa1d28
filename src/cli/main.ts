import { translateDatabaseError } from "../db/errors.js";
import { isThreadlineError } from "../errors.js";
import { CHAT_USAGE, chatCommand } from "./chat.js";
import { CHECKPOINTS_USAGE, checkpointsCommand } from "./checkpoints.js";
import { demoCommand } from "./demo.js";
import type { CliEnvironment } from "./env.js";
import { MIGRATE_USAGE, migrateCommand } from "./migrate.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { SERVE_USAGE, serveCommand } from "./serve.js";
import { THREADS_USAGE, threadsCommand } from "./threads.js";
import type { CliIO } from "./io.js";
import { UsageError } from "./usage.js";

export type { CliIO } from "./io.js";
import { DataDirInUseError } from "../db/pglite-lock.js";
import { FORWARDED, runInServer } from "./remote.js";

export const USAGE = `usage:
  ${SERVE_USAGE}
  ${RUN_USAGE}
  ${THREADS_USAGE.replaceAll(" | ", "\n  ")}
  ${CHAT_USAGE}
  ${CHECKPOINTS_USAGE}
  ${MIGRATE_USAGE}
  threadline demo`;


/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: string[], env: CliEnvironment, io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        await runCommand(rest, env, io.out, io.signal);
        return io.signal?.aborted ? 130 : 0;
      case "serve":
        await serveCommand(rest, env, { out: io.out, err: io.err, ...(io.signal ? { signal: io.signal } : {}), runCli: main });
        return 0;
      case "threads":
        await threadsCommand(rest, env, io.out);
        return 0;
      case "chat":
        await chatCommand(rest, env, {
          out: io.out,
          write: io.write ?? ((text) => process.stdout.write(text)),
          input: io.input ?? process.stdin,
        });
        return 0;
      case "checkpoints":
        return await checkpointsCommand(rest, env, io.out);
      case "migrate":
        await migrateCommand(rest, env, io.out);
        return 0;
      case "demo":
        await demoCommand(env, io.out);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`threadline: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    // A server on this machine holds the embedded database: it runs the command.
    if (err instanceof DataDirInUseError && FORWARDED.has(command ?? "") && !env.shared) {
      const code = await runInServer(err.dataDir, argv, io);
      if (code !== undefined) return code;
    }
    io.err(`threadline: ${describe(err)}`);
    return isUsageError(err) ? 2 : 1;
  }
}

function describe(err: unknown): string {
  // Commands that know the thread add the way on; any other database fault
  // still reads as one, not as a driver's message.
  const typed = translateDatabaseError(err);
  if (isThreadlineError(typed)) return typed.message;
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) return e.message!.split("\n")[0]!;
  // Anything else is unexpected: one line, not a stack, but enough to report.
  return `unexpected error: ${(e?.message ?? String(err)).split("\n")[0]}`;
}

function isUsageError(err: unknown): boolean {
  if (err instanceof UsageError) return true;
  const code = (err as { code?: string })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
