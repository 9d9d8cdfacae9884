import { defineConfig } from "vitest/config";

// `npm run fuzz` (test/fuzz/full.fuzz.ts): one long test that spreads its cases over
// worker threads itself, so one vitest worker and no file parallelism.
export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.fuzz.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 86_400_000,
    watch: false,
  },
});
