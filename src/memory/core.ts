import type { Database } from "../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { BlockLimitError, ReadOnlyBlockError } from "./errors.js";
import { assertScope, charLength } from "./scope.js";
import { CORE_SQL } from "./sql.js";
import type { BlockEditOptions, CoreBlock, CoreBlockDefinition, MemoryScope } from "./types.js";

const LABEL = /^[a-z][a-z0-9_]{0,62}$/;
const MAX_LIMIT = 100_000;

export const DEFAULT_BLOCK_LIMIT = 2000;

/** The two blocks every scope starts with, MemGPT's persona and human. */
export const DEFAULT_BLOCKS: readonly CoreBlockDefinition[] = [
  {
    label: "persona",
    description:
      "Your persona: who you are, how you behave and speak. Keep it consistent; refine it when you learn how you should act.",
    limit: DEFAULT_BLOCK_LIMIT,
    value: "I am a helpful assistant with a long-term memory.",
  },
  {
    label: "human",
    description:
      "Key facts about the user you are talking to (name, preferences, circumstances), so you can be personal across conversations.",
    limit: DEFAULT_BLOCK_LIMIT,
    value: "",
  },
];

/**
 * Core memory: small labelled blocks that are always in the system prompt.
 * Edits use optimistic locking: each names the version it was computed from,
 * and an edit racing another fails with ConflictError instead of losing it.
 *
 * @example
 * const core = new CoreMemory(db);
 * const scope = { assistantId: "agent", userId: "u1" };
 * await core.ensureDefaults(scope);
 * await core.append(scope, "human", "Name: Ada.");
 */
export class CoreMemory {
  private readonly defaults: readonly CoreBlockDefinition[];

  constructor(
    private readonly db: Pick<Database, "pool">,
    defaults: readonly CoreBlockDefinition[] = DEFAULT_BLOCKS,
  ) {
    this.defaults = defaults.map(validateDefinition);
    const labels = new Set(this.defaults.map((d) => d.label));
    if (labels.size !== this.defaults.length) throw new InvalidInputError("default core memory blocks must have distinct labels");
  }

  /** Creates the default blocks the scope does not have yet; returns all its blocks. */
  async ensureDefaults(scope: MemoryScope): Promise<CoreBlock[]> {
    assertScope(scope);
    if (this.defaults.length > 0) {
      const d = this.defaults;
      await this.db.pool.query(CORE_SQL.ensure, [
        scope.assistantId,
        scope.userId,
        d.map((b) => b.label),
        d.map((b) => b.value ?? ""),
        d.map((b) => b.description),
        d.map((b) => b.limit),
        d.map((b) => b.readOnly ?? false),
      ]);
    }
    return this.list(scope);
  }

  /** The scope's blocks: persona, human, then custom blocks in creation order. */
  async list(scope: MemoryScope): Promise<CoreBlock[]> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<CoreBlock>(CORE_SQL.list, [scope.assistantId, scope.userId]);
    return rows;
  }

  /** One block, or undefined when the scope has no block with that label. */
  async get(scope: MemoryScope, label: string): Promise<CoreBlock | undefined> {
    assertScope(scope);
    const { rows } = await this.db.pool.query<CoreBlock>(CORE_SQL.get, [scope.assistantId, scope.userId, label]);
    return rows[0];
  }

  /** Creates a custom block; ConflictError if the label is taken. */
  async create(scope: MemoryScope, definition: CoreBlockDefinition): Promise<CoreBlock> {
    assertScope(scope);
    const d = validateDefinition(definition);
    const { rows } = await this.db.pool.query<CoreBlock>(CORE_SQL.create, [
      scope.assistantId,
      scope.userId,
      d.label,
      d.value ?? "",
      d.description,
      d.limit,
      d.readOnly ?? false,
    ]);
    if (!rows[0]) throw new ConflictError(`core memory block '${d.label}' already exists`);
    return rows[0];
  }

  /**
   * The application's (not the model's) definition of a block: creates it or
   * overwrites its description, limit and read-only flag, and its value when
   * `definition.value` is given. Bypasses the read-only flag by design.
   */
  async define(scope: MemoryScope, definition: CoreBlockDefinition): Promise<CoreBlock> {
    assertScope(scope);
    const d = validateDefinition(definition);
    const { rows } = await this.db.pool.query<CoreBlock>(CORE_SQL.define, [
      scope.assistantId,
      scope.userId,
      d.label,
      d.value ?? null,
      d.description,
      d.limit,
      d.readOnly ?? false,
    ]);
    return rows[0]!;
  }

  /**
   * Deletes a block (the application's call, so read-only blocks too).
   * NotFoundError when the scope has no block with that label. A default
   * block comes back with its default value at the scope's next compile.
   */
  async delete(scope: MemoryScope, label: string): Promise<void> {
    assertScope(scope);
    const { rowCount } = await this.db.pool.query(CORE_SQL.delete, [scope.assistantId, scope.userId, label]);
    if (rowCount) return;
    const labels = (await this.list(scope)).map((b) => `'${b.label}'`);
    const known = labels.length ? `the blocks are ${labels.join(", ")}` : "there are no blocks";
    throw new NotFoundError(`there is no core memory block '${label}' to delete; ${known}`);
  }

  /** Appends `content` on a new line at the end of the block. */
  async append(scope: MemoryScope, label: string, content: string, options: BlockEditOptions = {}): Promise<CoreBlock> {
    if (content.trim() === "") throw new InvalidInputError("content is empty; pass the text to append");
    return this.edit(scope, label, options, (block) => {
      const value = block.value === "" ? content : `${block.value}\n${content}`;
      return { value, detail: `${charLength(block.value)} + ${charLength(value) - charLength(block.value)}` };
    });
  }

  /** Replaces the one exact occurrence of `oldContent`; an empty `newContent` deletes it. */
  async replace(
    scope: MemoryScope,
    label: string,
    oldContent: string,
    newContent: string,
    options: BlockEditOptions = {},
  ): Promise<CoreBlock> {
    if (oldContent === "") throw new InvalidInputError("old_content is empty; copy the exact text to replace from the block");
    return this.edit(scope, label, options, (block) => {
      const at = block.value.indexOf(oldContent);
      if (at < 0) {
        throw new InvalidInputError(
          `old_content was not found in block '${label}'; copy the exact text from the block as shown in your core memory (matching is case- and whitespace-sensitive)`,
        );
      }
      const count = countOccurrences(block.value, oldContent);
      if (count > 1) {
        throw new InvalidInputError(
          `old_content occurs ${count} times in block '${label}'; include more of the surrounding text so it matches exactly once`,
        );
      }
      const value = block.value.slice(0, at) + newContent + block.value.slice(at + oldContent.length);
      const delta = charLength(newContent) - charLength(oldContent);
      return { value, detail: `${charLength(block.value)} ${delta < 0 ? "-" : "+"} ${Math.abs(delta)}` };
    });
  }

  /** Rewrites the whole block. */
  async rethink(scope: MemoryScope, label: string, newValue: string, options: BlockEditOptions = {}): Promise<CoreBlock> {
    return this.edit(scope, label, options, () => ({ value: newValue, detail: "new value" }));
  }

  private async edit(
    scope: MemoryScope,
    label: string,
    options: BlockEditOptions,
    compute: (block: CoreBlock) => { value: string; detail: string },
  ): Promise<CoreBlock> {
    assertScope(scope);
    const block = await this.load(scope, label);
    if (block.readOnly) throw new ReadOnlyBlockError(label);
    if (options.expectedVersion !== undefined && options.expectedVersion !== block.version) {
      throw staleVersion(label, options.expectedVersion, block.version);
    }
    const { value, detail } = compute(block);
    const length = charLength(value);
    if (length > block.limit) throw new BlockLimitError(label, block.limit, length, detail);
    const { rows } = await this.db.pool.query<CoreBlock>(CORE_SQL.update, [
      scope.assistantId,
      scope.userId,
      label,
      block.version,
      value,
    ]);
    if (rows[0]) return rows[0];
    // Nothing updated: explain why from the row as it is now.
    const now = await this.get(scope, label);
    if (!now) throw await this.notFound(scope, label);
    if (now.readOnly) throw new ReadOnlyBlockError(label);
    throw staleVersion(label, block.version, now.version);
  }

  /** The block, creating the defaults first when a default label is asked for. */
  private async load(scope: MemoryScope, label: string): Promise<CoreBlock> {
    const block = await this.get(scope, label);
    if (block) return block;
    if (this.defaults.some((d) => d.label === label)) {
      await this.ensureDefaults(scope);
      const created = await this.get(scope, label);
      if (created) return created;
    }
    throw await this.notFound(scope, label);
  }

  private async notFound(scope: MemoryScope, label: string): Promise<NotFoundError> {
    // Listing through ensureDefaults names the default blocks even before first use.
    const labels = (await this.ensureDefaults(scope)).map((b) => `'${b.label}'`);
    const known = labels.length ? `the blocks are ${labels.join(", ")}` : "there are no blocks yet";
    return new NotFoundError(`there is no core memory block '${label}'; ${known}`);
  }
}

function staleVersion(label: string, expected: number, actual: number): ConflictError {
  return new ConflictError(
    `block '${label}' was changed by another edit (version ${actual}, this edit was based on version ${expected}); re-read the block and try again`,
  );
}

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

function validateDefinition(d: CoreBlockDefinition): CoreBlockDefinition {
  if (!LABEL.test(d.label)) {
    throw new InvalidInputError(
      `invalid block label "${d.label}": use lower-case letters, digits and underscores, starting with a letter (at most 63)`,
    );
  }
  if (!Number.isInteger(d.limit) || d.limit < 1 || d.limit > MAX_LIMIT) {
    throw new InvalidInputError(`block '${d.label}' limit must be an integer from 1 to ${MAX_LIMIT}, got ${d.limit}`);
  }
  const length = charLength(d.value ?? "");
  if (length > d.limit) throw new BlockLimitError(d.label, d.limit, length, "initial value");
  return d;
}
