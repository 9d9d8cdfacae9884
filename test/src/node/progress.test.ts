import { describe, expect, it } from "vitest";
import { statusLine } from "../../../src/node/progress.js";

function fake(isTTY: boolean) {
  const written: string[] = [];
  let t = 0;
  return {
    written,
    advance: (ms: number) => {
      t += ms;
    },
    options: { stream: { isTTY, columns: 40, write: (s: string) => written.push(s) > 0 }, now: () => t },
  };
}

describe("statusLine", () => {
  it("off a terminal writes a plain line a minute, never a carriage return", () => {
    const f = fake(false);
    const status = statusLine("sizes", f.options);
    status.update("1 search done");
    f.advance(30_000);
    status.update("2 searches done");
    expect(f.written).toEqual([]);
    f.advance(31_000);
    status.update("3 searches done");
    f.advance(1_000);
    status.update("4 searches done");
    status.stop();
    expect(f.written).toEqual(["sizes: 61 s  3 searches done\n"]);
  });

  it("on a terminal redraws one line at most ten times a second and clears it at the end", () => {
    const f = fake(true);
    const status = statusLine("plan", f.options);
    f.advance(150);
    status.update("a");
    f.advance(50);
    status.update("b");
    f.advance(100);
    status.update("a much longer text than the terminal is wide");
    status.stop();
    expect(f.written[0]).toBe("\r\x1b[Kplan / 0 s  a");
    expect(f.written).toHaveLength(3);
    expect(f.written[1]!.length).toBeLessThanOrEqual("\r\x1b[K".length + 39);
    expect(f.written[2]).toBe("\r\x1b[K");
  });
});
