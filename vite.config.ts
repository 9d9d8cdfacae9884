import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    // Analytic validation runs simulate millions of events; keep per-test time generous.
    testTimeout: 60_000,
    pool: "threads",
  },
});
