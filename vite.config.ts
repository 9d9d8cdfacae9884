import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // `*.slow.test.ts` run in `npm run test:slow` (vitest.slow.config.ts); the browser tests in `npm run test:e2e`.
    exclude: ["test/e2e/**", "test/**/*.slow.test.ts", "node_modules/**"],
    // Hang guards, not speed checks: a test must pass on a 2-core machine shared with other
    // jobs (load 10+), where work that takes 5 s idle can take a minute.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "threads",
  },
});
