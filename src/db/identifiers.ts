import { InvalidInputError } from "../errors.js";

// Schema names reach SQL text (search_path, CREATE SCHEMA), where parameters
// cannot be used. Only plain lower-case identifiers are accepted, which also
// keeps them valid unquoted and free of case-folding surprises.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Returns `name` if it is safe to place in SQL text as an identifier, else throws. */
export function assertIdentifier(name: string, what = "identifier"): string {
  if (!IDENTIFIER.test(name)) {
    throw new InvalidInputError(
      `invalid ${what} "${name}": use lower-case letters, digits and underscores (at most 63, not starting with a digit)`,
    );
  }
  return name;
}
