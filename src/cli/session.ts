import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { openDatabase } from "../db/open.js";
import { loadProject, type Project } from "../graph/project.js";
import { Runtime } from "../runtime/runtime.js";
import type { CliEnvironment } from "./env.js";

/** Services a command's preflight decides the runtime needs. */
export interface SessionServices {
  chatModel?: BaseChatModel;
}

/** Opens the project file, then the database, and runs `fn` with a runtime that is always closed. */
export async function withRuntime<T>(
  env: CliEnvironment,
  fn: (runtime: Runtime) => Promise<T>,
  before?: (project: Project) => Promise<SessionServices | void>,
): Promise<T> {
  const project = await loadProject(env.projectFile);
  // Checks that need no database (unknown graph, malformed input, missing
  // model settings) run first, so a bad command never creates a data folder
  // or a row.
  const services = (await before?.(project)) ?? {};
  const checkpoints = env.checkpoints();
  const db = await openDatabase(env.database());
  let runtime: Runtime | undefined;
  try {
    runtime = await Runtime.open({ db, project, checkpoints, ...services });
    return await fn(runtime);
  } finally {
    await (runtime ? runtime.close() : db.close());
  }
}
