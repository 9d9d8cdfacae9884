import { describe, expect, it } from "vitest";
import { INITIAL_RTO_TICKS, RTO_MIN_TICKS } from "../../../src/run/tcp-params.js";
import { RttEstimator } from "../../../src/run/tcp-rtt.js";

const MS = 1_000_000_000;

describe("RttEstimator (RFC 6298)", () => {
  it("waits 1 s before the first sample", () => {
    const r = new RttEstimator(RTO_MIN_TICKS);
    expect(r.srtt).toBe(-1);
    expect(r.timeoutTicks).toBe(INITIAL_RTO_TICKS);
  });

  it("sets SRTT = R and RTTVAR = R / 2 on the first sample, and the RTO to SRTT + 4·RTTVAR above the floor", () => {
    const r = new RttEstimator(0);
    r.sample(100 * MS);
    expect(r.srtt).toBe(100 * MS);
    expect(r.timeoutTicks).toBe(300 * MS); // 100 + 4 × 50
  });

  it("smooths later samples with gains 1/8 and 1/4", () => {
    const r = new RttEstimator(0);
    r.sample(100 * MS);
    r.sample(200 * MS);
    expect(r.srtt).toBe(112.5 * MS); // 7/8 × 100 + 1/8 × 200
    // RTTVAR = 3/4 × 50 + 1/4 × |100 − 200| = 62.5; RTO = 112.5 + 4 × 62.5
    expect(r.timeoutTicks).toBe(362.5 * MS);
  });

  it("never goes below the minimum RTO (Linux: 200 ms)", () => {
    const r = new RttEstimator(RTO_MIN_TICKS);
    r.sample(0.05 * MS);
    expect(r.timeoutTicks).toBe(RTO_MIN_TICKS);
  });

  it("doubles the timeout per expiry up to 64 times, and resets it on progress", () => {
    const r = new RttEstimator(RTO_MIN_TICKS);
    r.sample(MS);
    for (let k = 0; k < 10; k++) r.backOff();
    expect(r.timeoutTicks).toBe(64 * RTO_MIN_TICKS);
    r.resetBackoff();
    expect(r.timeoutTicks).toBe(RTO_MIN_TICKS);
  });

  it("gives RACK's reordering window as SRTT + a quarter of the minimum RTT", () => {
    const r = new RttEstimator(0);
    r.sample(80 * MS);
    r.sample(40 * MS);
    expect(r.minRtt).toBe(40 * MS);
    expect(r.reorderWindow()).toBe(r.srtt + 10 * MS);
  });
});
