import { readEnvironment } from "./cli/env.js";
import { main } from "./cli/main.js";

// The first Ctrl-C stops the run at hand as an interrupt (what it saved is
// kept, and the command that carries it on is printed); a second one quits.
const interrupted = new AbortController();
process.once("SIGINT", () => {
  interrupted.abort();
  process.once("SIGINT", () => process.exit(130));
});
// `serve` stops gracefully on either.
process.once("SIGTERM", () => interrupted.abort());

const code = await main(process.argv.slice(2), readEnvironment(process.env), {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  signal: interrupted.signal,
});
process.exitCode = code;
