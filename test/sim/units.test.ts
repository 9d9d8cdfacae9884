import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatRate,
  formatSize,
  formatTime,
  parseRate,
  parseSize,
  parseTime,
  secondsToTicks,
  TICKS_PER_SECOND,
  ticksToSeconds,
  UnitError,
} from "../../sim/units.js";

describe("ticks", () => {
  it("counts picoseconds: 10^12 ticks per second", () => {
    expect(TICKS_PER_SECOND).toBe(1e12);
    expect(secondsToTicks(1e-9)).toBe(1000);
    expect(ticksToSeconds(5120)).toBeCloseTo(5.12e-9, 20);
  });

  it("rounds seconds to the nearest tick", () => {
    expect(secondsToTicks(1.4e-12)).toBe(1);
    expect(secondsToTicks(1.6e-12)).toBe(2);
  });
});

describe("parseTime", () => {
  it("reads each unit into picoseconds", () => {
    expect(parseTime("7ps")).toBe(7);
    expect(parseTime("250ns")).toBe(250_000);
    expect(parseTime("1.5us")).toBe(1_500_000);
    expect(parseTime("1.5µs")).toBe(1_500_000);
    expect(parseTime("2ms")).toBe(2_000_000_000);
    expect(parseTime("0.11s")).toBe(110_000_000_000);
    expect(parseTime("0s")).toBe(0);
  });

  it("tolerates whitespace between the number and the unit", () => {
    expect(parseTime(" 10 ns ")).toBe(10_000);
  });

  it("reads decimals exactly, without float noise", () => {
    // 1.005 * 1000 is 1004.9999999999999 in floating point.
    expect(parseTime("1.005ns")).toBe(1005);
    expect(parseTime("1e3ns")).toBe(1_000_000);
  });

  it("reads any whole number of picoseconds back as itself", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => parseTime(`${n}ps`) === n));
  });

  it("accepts the longest time the clock holds and rejects a longer one", () => {
    expect(parseTime("9007s")).toBe(9_007_000_000_000_000);
    expect(() => parseTime("9008s")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a time of at most 2^53 ps (about 2.5 h, the clock's range), got "9008s"]`,
    );
  });

  it("rejects a fraction of a picosecond", () => {
    expect(() => parseTime("0.5ps")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a whole number of picoseconds (the clock's resolution), got "0.5ps"]`,
    );
  });

  it("rejects a negative time", () => {
    expect(() => parseTime("-1us")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a non-negative time, got "-1us"]`,
    );
  });

  it("rejects an unknown unit, a missing unit and a non-string, naming the units", () => {
    expect(() => parseTime("10 sec")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a time like "1.5us", got "10 sec" (units: ps, ns, us, ms, s)]`,
    );
    expect(() => parseTime("100")).toThrow(UnitError);
    expect(() => parseTime(100 as unknown as string)).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a time like "1.5us", got the number 100 (units: ps, ns, us, ms, s)]`,
    );
  });
});

describe("parseRate", () => {
  it("reads decimal SI prefixes into bits per second", () => {
    expect(parseRate("64bps")).toBe(64);
    expect(parseRate("56Kbps")).toBe(56_000);
    expect(parseRate("100Mbps")).toBe(100e6);
    expect(parseRate("10Gbps")).toBe(10e9);
    expect(parseRate("10 Gbps")).toBe(10e9);
    expect(parseRate("2.5Gbps")).toBe(2.5e9);
    expect(parseRate("1.6Tbps")).toBe(1.6e12);
  });

  it("reads back what formatRate prints", () => {
    expect(parseRate(formatRate(9.75e9))).toBe(9.75e9);
  });

  it("rejects byte rates, suggesting the bit rate", () => {
    expect(() => parseRate("10GBps")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: rates are in bits per second: "10GBps" is bytes per second; write "80Gbps"]`,
    );
    expect(() => parseRate("1.25 GB/s")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: rates are in bits per second: "1.25 GB/s" is bytes per second; write "10Gbps"]`,
    );
    expect(() => parseRate("100MBps")).toThrow('write "800Mbps"');
  });

  it("rejects units it does not know, naming the ones it does", () => {
    expect(() => parseRate("10 Gbits")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a rate like "10Gbps", got "10 Gbits" (units: bps, Kbps, Mbps, Gbps, Tbps)]`,
    );
    expect(() => parseRate("10gbps")).toThrow(UnitError);
    expect(() => parseRate("-1Gbps")).toThrow(UnitError);
  });
});

describe("parseSize", () => {
  it("reads KB as 1000 bytes and KiB as 1024", () => {
    expect(parseSize("1500B")).toBe(1500);
    expect(parseSize("4KB")).toBe(4000);
    expect(parseSize("4kB")).toBe(4000);
    expect(parseSize("4KiB")).toBe(4096);
    expect(parseSize("1.5KiB")).toBe(1536);
    expect(parseSize("9 MB")).toBe(9e6);
    expect(parseSize("2MiB")).toBe(2 * 1024 ** 2);
    expect(parseSize("1GB")).toBe(1e9);
    expect(parseSize("1GiB")).toBe(1024 ** 3);
    expect(parseSize("1TiB")).toBe(1024 ** 4);
  });

  it("rejects lowercase-b units, which read as bits", () => {
    expect(() => parseSize("4kb")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: sizes are in bytes: "4kb" reads as bits (lowercase b); write "4KB" or "4KiB"]`,
    );
    expect(() => parseSize("8Gb")).toThrow('write "8GB" or "8GiB"');
    expect(() => parseSize("64b")).toThrow('write "64B"');
  });

  it("rejects a fraction of a byte", () => {
    expect(() => parseSize("1.1KiB")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a whole number of bytes, got "1.1KiB"]`,
    );
  });

  it("rejects a bare number", () => {
    expect(() => parseSize("1500")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a size like "4KiB", got "1500" (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)]`,
    );
  });
});

describe("formatting", () => {
  it("prints times with three significant digits in the largest fitting unit", () => {
    expect(formatTime(5120)).toBe("5.12 ns");
    expect(formatTime(1_234_567)).toBe("1.23 us");
    expect(formatTime(999_700)).toBe("1 us");
    expect(formatTime(150_000_000_000)).toBe("150 ms");
    expect(formatTime(0)).toBe("0 s");
    expect(formatTime(7)).toBe("7 ps");
  });

  it("prints rates in bits per second", () => {
    expect(formatRate((10e9 * 1500) / 1538)).toBe("9.75 Gb/s");
    expect(formatRate(10e9)).toBe("10 Gb/s");
    expect(formatRate(100e6)).toBe("100 Mb/s");
    expect(formatRate(0)).toBe("0 b/s");
  });

  it("prints sizes with binary prefixes, and small odd sizes as exact bytes", () => {
    expect(formatSize(4096)).toBe("4 KiB");
    expect(formatSize(1538)).toBe("1538 B");
    expect(formatSize(64)).toBe("64 B");
    expect(formatSize(1.5 * 1024 ** 2)).toBe("1.5 MiB");
    expect(formatSize(100_000)).toBe("97.7 KiB");
    expect(formatSize(0)).toBe("0 B");
  });
});

describe("parsed texts remembered", () => {
  it("give the same value the second time, and a bad text throws every time", () => {
    for (let round = 0; round < 2; round++) {
      expect(parseRate("10Gbps")).toBe(10e9);
      expect(parseTime("1.005ns")).toBe(1005);
      expect(parseSize("4KiB")).toBe(4096);
      expect(() => parseRate("10GBps")).toThrow(/bits per second/);
      expect(() => parseTime("1.5")).toThrow(UnitError);
    }
  });

  it("stay right past the bound, where the memory starts over", () => {
    for (let i = 0; i < 10_000; i++) expect(parseSize(`${i}B`)).toBe(i);
    expect(parseSize("4KiB")).toBe(4096);
    expect(parseRate("2.5Gbps")).toBe(2.5e9);
  });
});
