import { describe, expect, it } from "vitest";
import { allOf, anyOf } from "../../sim/condition.js";
import { SimEvent, timeout } from "../../sim/event.js";
import { Process } from "../../sim/process.js";
import { Simulation } from "../../sim/simulation.js";

/** Starts a process that waits on `wait`; the returned log gets [time, value or failure message]. */
function outcome(sim: Simulation, wait: SimEvent<unknown>): [number, unknown][] {
  const log: [number, unknown][] = [];
  new Process(
    sim,
    (function* () {
      try {
        const value = yield wait;
        log.push([sim.now, value]);
      } catch (error) {
        log.push([sim.now, `failed: ${(error as Error).message}`]);
      }
    })(),
  );
  return log;
}

describe("allOf", () => {
  it("succeeds when the last event does, with the values in list order", () => {
    const sim = new Simulation();
    const log = outcome(sim, allOf(sim, [timeout(sim, 30, "slow"), timeout(sim, 10, "fast"), timeout(sim, 20, "mid")]));
    sim.run();
    expect(log).toEqual([[30, ["slow", "fast", "mid"]]]);
  });

  it("counts events already processed at once", () => {
    const sim = new Simulation();
    const done = new SimEvent<string>(sim).resolveNow("ready");
    const log = outcome(sim, allOf(sim, [done, timeout(sim, 5, "later")]));
    sim.run();
    expect(log).toEqual([[5, ["ready", "later"]]]);
  });

  it("fails with the first failure, without waiting for the rest", () => {
    const sim = new Simulation();
    const broken = new SimEvent(sim).fail(new Error("disk on fire"), 8);
    const log = outcome(sim, allOf(sim, [timeout(sim, 50, "ok"), broken]));
    sim.run();
    expect(log).toEqual([[8, "failed: disk on fire"]]);
  });

  it("of an empty list succeeds at once with no values", () => {
    const sim = new Simulation();
    const log = outcome(sim, allOf(sim, []));
    sim.run();
    expect(log).toEqual([[0, []]]);
  });
});

describe("anyOf", () => {
  it("succeeds with the index and value of the first event processed", () => {
    const sim = new Simulation();
    const log = outcome(sim, anyOf(sim, [timeout(sim, 30, "slow"), timeout(sim, 10, "fast"), timeout(sim, 20, "mid")]));
    sim.run();
    expect(log).toEqual([[10, { index: 1, value: "fast" }]]);
    expect(sim.now).toBe(30); // the others still fire, unobserved
  });

  it("ignores events processed after the first, even failures of them", () => {
    const sim = new Simulation();
    const late = new SimEvent(sim);
    const result = anyOf(sim, [timeout(sim, 3, "first"), late]);
    const log = outcome(sim, result);
    // Someone else takes the late failure, so it does not throw out of run().
    const other = outcome(sim, late);
    late.fail(new Error("too late"), 9);
    sim.run();
    expect(log).toEqual([[3, { index: 0, value: "first" }]]);
    expect(other).toEqual([[9, "failed: too late"]]);
    expect(result.value).toEqual({ index: 0, value: "first" });
  });

  it("fails if the first event processed failed", () => {
    const sim = new Simulation();
    const log = outcome(sim, anyOf(sim, [timeout(sim, 20, "ok"), new SimEvent(sim).fail(new Error("link down"), 4)]));
    sim.run();
    expect(log).toEqual([[4, "failed: link down"]]);
  });

  it("takes an event already processed at once", () => {
    const sim = new Simulation();
    const log = outcome(sim, anyOf(sim, [timeout(sim, 20, "later"), new SimEvent(sim).resolveNow("now")]));
    sim.run();
    expect(log).toEqual([[0, { index: 1, value: "now" }]]);
  });

  it("rejects an empty list", () => {
    expect(() => anyOf(new Simulation(), [])).toThrow(RangeError);
  });
});
