import { describe, expect, it } from "vitest";
import { clip, escapeControls, terminalSafe } from "../../../src/cli/terminal.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, TINY } from "./helpers.js";

const io = captureOutput();

describe("terminal output", () => {
  it("shows control characters as escapes, keeping newlines and tabs", () => {
    expect(escapeControls("a\x1b]0;pwned\x07b\tc\nd\re\u009b2J\u202e")).toBe(
      "a\\x1b]0;pwned\\x07b\tc\nd\\x0de\\x9b2J\\u202e",
    );
  });

  it("clips a long value and says how long it was", () => {
    expect(clip("abc", 120)).toBe("abc");
    const v = "x".repeat(20_000_000);
    const c = clip(v, 120);
    expect(c.length).toBeLessThan(140);
    expect(c).toMatch(/^x{96}…\(\+19,999,904 characters\)$/);
  });

  it("clips only runs without blanks longer than 200 characters", () => {
    const table = `${"name".padEnd(250)}value`;
    expect(terminalSafe(table)).toBe(table);
    expect(terminalSafe(`a ${"y".repeat(5000)} b`)).toMatch(/^a y{176}…\(\+4,824 characters\) b$/);
  });

  it("is applied to what commands echo: a file name or an option cannot retitle or clear the terminal", async () => {
    const evil = "no-such\x1b]0;pwned\x07\x1b[2J.yaml";
    expect(await cli(["run", evil])).toBe(3);
    expect(io.err).toContain("no-such\\x1b]0;pwned\\x07\\x1b[2J.yaml:1:1 (file): cannot read");
    expect(await cli(["run", TINY, "--\x1b[2Jx"])).toBe(2);
    expect(io.err).toContain("unknown option '--\\x1b[2Jx'");
    expect(io.out + io.err).not.toContain("\x1b");
    expect(io.out + io.err).not.toContain("\x07");
  });
});
