/**
 * Flags known to work for Debian's `chromium` headless in a container without a GPU,
 * a sandbox or outside network: shared by the browser tests (test/e2e/browser.ts)
 * and the page benchmark (bench/web.ts).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
