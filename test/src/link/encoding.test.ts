import { describe, expect, it } from "vitest";
import {
  dataRateFromBaud,
  ENCODING_8B10B,
  ENCODING_64B66B,
  ENCODING_128B130B,
  lineEncoding,
} from "../../../src/link/encoding.js";

describe("line encodings", () => {
  it("carry 8 of 10, 64 of 66 and 128 of 130 bits", () => {
    expect(ENCODING_8B10B.efficiency).toBe(0.8);
    expect(ENCODING_64B66B.efficiency).toBeCloseTo(0.969697, 6);
    expect(ENCODING_128B130B.efficiency).toBeCloseTo(0.984615, 6);
  });

  it("are found by id", () => {
    expect(lineEncoding("64b/66b")).toBe(ENCODING_64B66B);
  });

  it("turn 8.5 GBd of 8b/10b into exactly 6.8 Gb/s", () => {
    expect(dataRateFromBaud(8_500_000_000, ENCODING_8B10B)).toBe(6_800_000_000);
  });

  it("turn 10.3125 GBd of 64b/66b into exactly 10 Gb/s", () => {
    expect(dataRateFromBaud(10_312_500_000, ENCODING_64B66B)).toBe(10_000_000_000);
  });

  it("turn 8 GT/s of 128b/130b into 7.877 Gb/s per lane (docs/domain.md §1.1)", () => {
    expect(dataRateFromBaud(8e9, ENCODING_128B130B) / 1e9).toBeCloseTo(7.877, 3);
  });
});
