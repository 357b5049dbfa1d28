import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { openCore, type Core } from "../core.js";
import { openDatabase } from "../db/open.js";
import { loadProject, type Project } from "../graph/project.js";
import type { CliEnvironment } from "./env.js";

/** Services a command's preflight decides the core needs. */
export interface SessionServices {
  chatModel?: BaseChatModel;
  embeddings?: EmbeddingsInterface;
}

/**
 * Reads the project file and puts its `env` into the environment, before
 * anything imports a graph module.
 */
export async function openProject(env: CliEnvironment): Promise<Project> {
  if (env.shared) return env.shared.project;
  const project = await loadProject(env.projectFile);
  env.applyProject(project);
  return project;
}

/**
 * Opens the project file, then the database (migrating everything), and
 * runs `fn` with the core, which is always closed after.
 */
export async function withCore<T>(
  env: CliEnvironment,
  fn: (core: Core) => Promise<T>,
  before?: (project: Project) => Promise<SessionServices | void>,
): Promise<T> {
  const project = await openProject(env);
  if (env.shared) {
    await before?.(project);
    return fn(env.shared.core);
  }
  // Checks that need no database (unknown graph, malformed input, missing
  // model settings) run first, so a bad command never creates a data folder
  // or a row.
  const services = (await before?.(project)) ?? {};
  const checkpoints = env.checkpoints();
  const db = await openDatabase(env.database());
  let core: Core | undefined;
  try {
    core = await openCore({ db, project, checkpoints, ...services });
    return await fn(core);
  } finally {
    await (core ? core.close() : db.close());
  }
}
