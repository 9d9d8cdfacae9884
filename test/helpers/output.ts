import { afterEach, beforeEach, vi } from "vitest";

/**
 * Captures what CLI commands write to stdout and stderr, per test: call at the top of a
 * file or `describe`; read (or reset) `io.out` and `io.err` in the tests.
 */
export function captureOutput(): { out: string; err: string } {
  const io = { out: "", err: "" };
  beforeEach(() => {
    io.out = "";
    io.err = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      io.out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      io.err += String(s);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return io;
}
