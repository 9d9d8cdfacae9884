import { defineConfig } from "vitest/config";

// `npm run test:slow` (CI runs it after `npm test`): the checks that take minutes on a busy
// machine — the built-in study end to end, 50 interrupts, full candidate walks. Files named
// `*.slow.test.ts`; `npm test` leaves them out. Timeouts are hang guards, not speed checks.
export default defineConfig({
  test: {
    include: ["test/**/*.slow.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: "threads",
  },
});
