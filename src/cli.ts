import { readEnvironment } from "./cli/env.js";
import { main } from "./cli/main.js";

const code = await main(process.argv.slice(2), readEnvironment(process.env), {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
});
process.exitCode = code;
