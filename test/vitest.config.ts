import { fileURLToPath } from "node:url";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * The package's own name ("threadline", which the graphs import as a user's
 * graph would) resolves to the TypeScript sources under this export
 * condition, and to dist/ without it (package.json `exports`).
 */
const SOURCE_CONDITION = "threadline-source";

// Minutes rather than seconds (building, packing and installing the package):
// `npm test` runs them after the rest.
const SLOW_TESTS = ["test/package/pack.test.ts", "test/**/*.slow.test.ts"];

// CLI processes the tests start (node --import tsx src/cli.ts) inherit it.
const nodeOptions = [process.env.NODE_OPTIONS, `--conditions=${SOURCE_CONDITION}`].filter(Boolean).join(" ");

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    // The checkpoint validation suite registers its tests through globals.
    globals: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    env: { NODE_OPTIONS: nodeOptions },
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: SLOW_TESTS } },
      { extends: true, test: { name: "slow", include: SLOW_TESTS, testTimeout: 600_000, hookTimeout: 600_000 } },
    ],
  },
});
