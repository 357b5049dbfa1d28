import { InvalidInputError } from "../errors.js";

/**
 * An edit would make a block longer than its limit. Carries the numbers so a
 * caller (or a tool) can tell the model exactly how much to cut.
 */
export class BlockLimitError extends InvalidInputError {
  constructor(
    readonly label: string,
    readonly limit: number,
    /** Length the block would have had after the edit. */
    readonly length: number,
    /** How that length came about, e.g. "1990 + 25". */
    detail: string,
  ) {
    super(
      `block '${label}' would exceed its ${limit}-character limit (${detail} = ${length} characters); ` +
        `shorten the content by at least ${length - limit} characters, or use memory_rethink to rewrite the block more concisely`,
    );
  }
}

/** The block is read-only: only the application may change it, never the model. */
export class ReadOnlyBlockError extends InvalidInputError {
  constructor(readonly label: string) {
    super(`block '${label}' is read-only and cannot be edited; keep the information in another block or in archival memory`);
  }
}
