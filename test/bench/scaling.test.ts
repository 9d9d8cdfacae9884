import { describe, expect, it } from "vitest";
import { windowAt } from "../../bench/scaling.js";

describe("the packet-level window", () => {
  it("is the given one from 1,024 hosts up and longer below, in proportion, at most 16 times", () => {
    expect(windowAt(8, 4096)).toBe("8ms");
    expect(windowAt(8, 1024)).toBe("8ms");
    expect(windowAt(8, 512)).toBe("16ms");
    expect(windowAt(8, 128)).toBe("64ms");
    expect(windowAt(2, 32)).toBe("32ms");
  });
});
