import { parseArgs } from "node:util";
import { ThreadlineSaver, type VerifyReport } from "../../checkpoints/index.js";
import { migrate } from "../db/migrate.js";
import { coreMigrations } from "../db/migrations.js";
import type { Database } from "../db/database.js";
import { openDatabase } from "../db/open.js";
import { NotFoundError } from "../errors.js";
import { assertThreadId, ownerOf } from "../owners.js";
import { THREAD_SQL } from "../threads/sql.js";
import type { CliEnvironment } from "./env.js";
import { parsePositiveInt } from "./input.js";
import { UsageError } from "./usage.js";

export const CHECKPOINTS_USAGE =
  "threadline checkpoints verify [--thread <id> | --user <id>] [--repair] [--batch <n>] [--json]";

/**
 * Checks stored checkpoints (a thread, a user's threads, or everything) and
 * with --repair gives rows stored before checksums theirs. Returns the exit
 * code: 1 when a corrupt row was found.
 */
export async function checkpointsCommand(argv: string[], env: CliEnvironment, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      thread: { type: "string", short: "t" },
      user: { type: "string", short: "u" },
      repair: { type: "boolean" },
      batch: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (positionals.length !== 1 || positionals[0] !== "verify") throw new UsageError(`usage: ${CHECKPOINTS_USAGE}`);
  if (values.thread !== undefined && values.user !== undefined) throw new UsageError("give --thread or --user, not both");
  const threadId = values.thread === undefined ? undefined : assertThreadId(values.thread);
  const owner = values.user === undefined ? undefined : ownerOf(values.user);
  const batchSize = parsePositiveInt(values.batch, "--batch", 500);
  // Storage only: no project file, no graph is loaded.
  const db = await openDatabase(env.database());
  try {
    await migrate(db, [coreMigrations]);
    const saver = await ThreadlineSaver.create(db);
    const threadIds = threadId ? [threadId] : owner ? await idsOf(db, owner) : undefined;
    const report = await saver.verify({ threadIds, repair: values.repair === true, batchSize });
    if (threadId && report.checkpoints === 0 && !(await db.pool.query(THREAD_SQL.getAny, [threadId])).rowCount) throw new NotFoundError(`unknown thread "${threadId}"`);
    out(values.json ? JSON.stringify(report) : formatReport(report, values.repair === true));
    return report.corrupt.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

async function idsOf(db: Database, owner: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ threadId: string }>(THREAD_SQL.idsOfOwner, [owner]);
  return rows.map((r) => r.threadId);
}

function formatReport(report: VerifyReport, repair: boolean): string {
  const lines = [
    `verified ${report.checkpoints} checkpoint rows and ${report.writes} pending-write rows: ` +
      `${report.corrupt.length} corrupt, ${report.unchecksummed} without a checksum` +
      (repair ? ` (${report.repaired} given one)` : report.unchecksummed ? " (add them with --repair)" : ""),
  ];
  for (const c of report.corrupt) {
    const ns = c.checkpointNs ? ` namespace "${c.checkpointNs}"` : "";
    const task = c.taskId ? ` of task ${c.taskId}` : "";
    lines.push(`  corrupt ${c.kind}${task}: thread ${c.threadId}${ns} checkpoint ${c.checkpointId}: ${c.reason}`);
  }
  return lines.join("\n");
}
