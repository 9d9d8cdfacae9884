import { defineConfig } from "vitest/config";

// Browser tests (`npm run test:e2e`): playwright-core drives the system Chromium
// (`apt-get install chromium`, or CHROMIUM_PATH). One browser at a time: one
// worker, files in sequence, and generous timeouts for the Vite build and the
// browser start on a cold CI machine.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    watch: false,
  },
});
