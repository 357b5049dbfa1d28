// The project's layering, checked by `npm run depcheck` (part of `npm test`).
// Reading process.env is the one rule imports cannot show: test/layout.test.ts.
const { exports: packageExports } = require("./package.json");

const SOURCE_CONDITION = "threadline-source";

// What the package exports, as source files: all that graphs may reach.
const ENTRY_FILES = Object.values(packageExports)
  .filter((target) => typeof target === "object")
  .map((target) => target[SOURCE_CONDITION].replace(/^\.\//, ""));

const escape = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const exactly = (paths) => `^(${paths.map(escape).join("|")})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules form layers; a cycle means two of them are one module, or one belongs lower.",
      from: {},
      to: { circular: true },
    },
    {
      name: "checkpoints-stand-alone",
      severity: "error",
      comment: "The checkpointer is usable without the runtime: it imports nothing of it (the runtime may import it).",
      from: { path: "^checkpoints/" },
      to: { path: "^(src|graphs|tools)/" },
    },
    {
      name: "tools-use-memory-and-errors-only",
      severity: "error",
      comment: "The memory tools reach the runtime only through the memory service and the typed errors.",
      from: { path: "^tools/" },
      to: { path: "^src/", pathNot: exactly(["src/memory/index.ts", "src/errors.ts"]) },
    },
    {
      name: "graphs-import-the-package",
      severity: "error",
      comment: 'Graphs are user code: they import "threadline" (or a subpath), as a user\'s graph would, never a path into it.',
      from: { path: "^graphs/" },
      to: { path: "^(src|checkpoints|tools)/", dependencyTypes: ["local"] },
    },
    {
      name: "graphs-import-exported-entries-only",
      severity: "error",
      comment: "Only what package.json exports is the package's public surface.",
      from: { path: "^graphs/" },
      to: { path: "^(src|checkpoints|tools)/", pathNot: exactly(ENTRY_FILES) },
    },
    {
      name: "db-is-the-bottom-layer",
      severity: "error",
      comment: "src/db/ knows only itself, the typed errors and the checkpointer's database helpers.",
      from: { path: "^src/db/" },
      to: { path: "^(src|tools|graphs)/", pathNot: "^src/(db/|errors\\.ts$)" },
    },
    {
      name: "services-below-runs",
      severity: "error",
      comment: "Runs, the CLI and the server drive the services; the services never reach up to them.",
      from: { path: "^src/(db|memory|graph|window|agent|store|threads|assistants|stream|models)/" },
      to: { path: "^src/(runs|cli|server|worker)/" },
    },
    {
      name: "edges-on-top",
      severity: "error",
      comment: "The CLI and the HTTP server are entry points: the core never imports them, and the server never imports the CLI.",
      from: { pathNot: "^src/(cli|bin)/|^src/cli\\.ts$" },
      to: { path: "^src/cli/|^src/cli\\.ts$" },
    },
    {
      name: "server-is-an-edge",
      severity: "error",
      comment: "Only the server and the CLI (its `serve` command) reach the HTTP edge.",
      from: { pathNot: "^src/(cli|server)/" },
      to: { path: "^src/server/" },
    },
  ],
  options: {
    includeOnly: "^(src|checkpoints|tools|graphs)/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      // "threadline" resolves to the sources, as in development (package.json exports).
      conditionNames: [SOURCE_CONDITION, "import", "node", "default"],
      exportsFields: ["exports"],
      extensions: [".ts", ".js", ".d.ts"],
    },
  },
};
