#!/usr/bin/env node
// The CLI is compiled by `npm run build` (run automatically by `npm ci` through `prepare`).
import("../dist/src/cli/main.js").then(
  async ({ main }) => {
    process.exitCode = await main(process.argv);
  },
  (err) => {
    if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/src/cli/main.js")) {
      process.stderr.write("iovsim: not built yet; run `npm run build` (npm ci does it for you)\n");
      process.exit(2);
    }
    throw err;
  },
);
