import { describe, expect, it } from "vitest";
import { echo, escapeControl, quote, safeLine, truncate } from "../../../src/topology/echo.js";

describe("echoed user text", () => {
  it("shows control characters as inert escapes, so a file cannot retitle or clear the terminal", () => {
    expect(escapeControl("a\u001b]0;title\u0007b\u001b[2Jc")).toBe("a\\x1b]0;title\\x07b\\x1b[2Jc");
    expect(escapeControl("line\nnext\ttab\r")).toBe("line\\nnext\\ttab\\r");
    expect(escapeControl("c1 \u009b and bidi \u202e")).toBe("c1 \\x9b and bidi \\u202e");
  });

  it("cuts long values to 120 characters and says how long they were", () => {
    expect(truncate("short")).toBe("short");
    expect(truncate("x".repeat(200))).toBe(`${"x".repeat(120)}… (200 characters)`);
    expect(echo("\u001b".repeat(130))).toBe(`${"\\x1b".repeat(120)}… (130 characters)`);
  });

  it("quotes strings for messages the way JSON does, cut and escaped", () => {
    expect(quote("eth-10g")).toBe('"eth-10g"');
    expect(quote(`a\u0085b`)).toBe('"a\\x85b"');
  });

  it("makes any whole line safe: long unbroken runs cut, the line capped, and doing it twice changes nothing", () => {
    const line = `topology.nodes.${"n".repeat(5000)}: no node named ${"m".repeat(5000)} \u001b[31m`;
    const safe = safeLine(line);
    expect(safe.includes("\u001b")).toBe(false);
    expect(safe.length).toBeLessThanOrEqual(600 + "… (message cut)".length);
    expect(safeLine(safe)).toBe(safe);
  });
});
