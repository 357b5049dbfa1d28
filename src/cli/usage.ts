import { InvalidInputError } from "../errors.js";

/** A command line that does not fit the command's usage: exit code 2, as for the argument parser's own errors. */
export class UsageError extends InvalidInputError {}
