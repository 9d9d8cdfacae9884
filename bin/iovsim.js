#!/usr/bin/env node
// The CLI is compiled by `npm run build` (run automatically by `npm ci` through `prepare`).

// A reader that closes the pipe early (`iovsim expand STUDY | head`) has what it wanted: the rest of
// stdout is dropped and the command finishes as usual (files it writes, its exit code), without Node's
// unhandled-EPIPE stack trace. Any other stdout error is reported as one line and exits 70.
process.stdout.on("error", (err) => {
  if (err && err.code === "EPIPE") return;
  process.stderr.write(`iovsim: stdout: ${err?.message}\n`);
  process.exit(70);
});
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
