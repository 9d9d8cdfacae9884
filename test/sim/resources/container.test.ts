import { describe, expect, it } from "vitest";
import type { SimEvent } from "../../../sim/event.js";
import { Process } from "../../../sim/process.js";
import { Container } from "../../../sim/resources/container.js";
import { Simulation } from "../../../sim/simulation.js";

/** Starts a process that waits `at` ticks, then on `make()`, and logs "name@time". */
function waitFor(sim: Simulation, log: string[], name: string, at: number, make: () => SimEvent<unknown>): void {
  new Process(
    sim,
    (function* () {
      yield at;
      yield make();
      log.push(`${name}@${sim.now}`);
    })(),
    name,
  );
}

describe("Container", () => {
  it("serves puts that fit and gets that are covered at once, with no kernel event", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 100, init: 30 });
    expect(tank.get(30).processed).toBe(true);
    expect(tank.put(100).processed).toBe(true);
    expect(tank.level.value).toBe(100);
    expect(sim.pending).toBe(0);
  });

  it("makes a get wait until enough has been put", () => {
    const sim = new Simulation();
    const tank = new Container(sim);
    const log: string[] = [];
    waitFor(sim, log, "get-50", 0, () => tank.get(50));
    waitFor(sim, log, "put-20", 10, () => tank.put(20));
    waitFor(sim, log, "put-40", 20, () => tank.put(40));
    sim.run();
    expect(log).toEqual(["put-20@10", "put-40@20", "get-50@20"]);
    expect(tank.level.value).toBe(10);
  });

  it("makes a put wait until it fits under the capacity", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 10, init: 8 });
    const log: string[] = [];
    waitFor(sim, log, "put-5", 0, () => tank.put(5));
    waitFor(sim, log, "get-2", 10, () => tank.get(2));
    waitFor(sim, log, "get-1", 20, () => tank.get(1));
    sim.run();
    expect(log).toEqual(["get-2@10", "get-1@20", "put-5@20"]);
    expect(tank.level.value).toBe(10);
  });

  it("does not let a small get bypass a blocked larger one that came first", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { init: 5 });
    const log: string[] = [];
    waitFor(sim, log, "big-get-8", 0, () => tank.get(8));
    waitFor(sim, log, "small-get-2", 1, () => tank.get(2));
    waitFor(sim, log, "put-5", 10, () => tank.put(5));
    sim.run();
    // The 5 held would cover the small get, but it queues behind the big one.
    expect(log).toEqual(["put-5@10", "big-get-8@10", "small-get-2@10"]);
    expect(tank.level.value).toBe(0);
  });

  it("does not let a small put bypass a blocked larger one that came first", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 10, init: 7 });
    const log: string[] = [];
    waitFor(sim, log, "big-put-6", 0, () => tank.put(6));
    waitFor(sim, log, "small-put-1", 1, () => tank.put(1));
    waitFor(sim, log, "get-4", 10, () => tank.get(4));
    sim.run();
    // The 3 free would fit the small put, but it queues behind the big one.
    expect(log).toEqual(["get-4@10", "big-put-6@10", "small-put-1@10"]);
    expect(tank.level.value).toBe(10);
  });

  it("lets the requests behind a cancelled head through at once", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { init: 5 });
    const big = tank.get(8);
    const small = tank.get(2);
    expect(small.triggered).toBe(false);
    expect(tank.cancel(big)).toBe(true);
    expect(tank.cancel(big)).toBe(false);
    sim.run();
    expect(small.processed).toBe(true);
    expect(big.triggered).toBe(false);
    expect(tank.level.value).toBe(3);
    expect(tank.waitingGets.value).toBe(0);
  });

  it("averages the level and the waiting requests over time", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 10, init: 4 });
    const log: string[] = [];
    waitFor(sim, log, "put-6", 10, () => tank.put(6));
    waitFor(sim, log, "get-7", 20, () => tank.get(7));
    waitFor(sim, log, "get-5", 30, () => tank.get(5));
    waitFor(sim, log, "put-2", 35, () => tank.put(2));
    sim.run({ until: 40 });
    // Level: 4 on [0, 10), 10 on [10, 20), 3 on [20, 30); the get of 5 waits on
    // [30, 35), then takes 3 + 2 and the level is 0.
    expect(log).toEqual(["put-6@10", "get-7@20", "put-2@35", "get-5@35"]);
    expect(tank.level.mean(40)).toBe((40 + 100 + 30 + 15) / 40);
    expect(tank.level.max).toBe(10);
    expect(tank.waitingGets.mean(40)).toBe(5 / 40);
    expect(tank.waitingPuts.mean(40)).toBe(0);
  });

  it("rejects amounts it could never serve and a bad capacity or initial level", () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 10 });
    for (const amount of [0, -1, 11, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => tank.get(amount)).toThrow(RangeError);
      expect(() => tank.put(amount)).toThrow(RangeError);
    }
    expect(() => new Container(sim, { capacity: 0 })).toThrow(RangeError);
    expect(() => new Container(sim, { capacity: 10, init: 11 })).toThrow(RangeError);
    expect(() => new Container(sim, { init: -1 })).toThrow(RangeError);
  });
});
