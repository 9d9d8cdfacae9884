import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Process } from "../../../sim/process.js";
import type { Request, ResourceOptions } from "../../../sim/resources/resource.js";
import { Resource } from "../../../sim/resources/resource.js";
import { Simulation } from "../../../sim/simulation.js";

/** A customer: arrives at `at`, asks for a unit with `priority`, holds it `hold` ticks; logs "name@grant time". */
function customer(sim: Simulation, res: Resource, log: string[], name: string, at: number, hold: number, priority = 0) {
  return new Process(
    sim,
    (function* () {
      yield at;
      const req = res.request(priority);
      yield req;
      log.push(`${name}@${sim.now}`);
      yield hold;
      res.release(req);
    })(),
    name,
  );
}

describe("Resource", () => {
  it("serves up to capacity at once and the rest in arrival order", () => {
    const sim = new Simulation();
    const res = new Resource(sim, { capacity: 2 });
    const log: string[] = [];
    ["a", "b", "c", "d", "e"].forEach((name, i) => {
      customer(sim, res, log, name, i, 10);
    });
    sim.run();
    expect(log).toEqual(["a@0", "b@1", "c@10", "d@11", "e@20"]);
    expect(res.count).toBe(0);
  });

  it("grants a free unit at once, with no kernel event", () => {
    const sim = new Simulation();
    const res = new Resource(sim);
    const req = res.request();
    expect(req.processed).toBe(true);
    expect(req.granted).toBe(true);
    expect(sim.pending).toBe(0);
  });

  it("with the priority discipline serves lower priorities first, FIFO among equals", () => {
    const sim = new Simulation();
    const res = new Resource(sim, { discipline: "priority" });
    const log: string[] = [];
    customer(sim, res, log, "holder", 0, 10);
    customer(sim, res, log, "p5-first", 1, 1, 5);
    customer(sim, res, log, "p1-first", 2, 1, 1);
    customer(sim, res, log, "p3", 3, 1, 3);
    customer(sim, res, log, "p1-second", 4, 1, 1);
    customer(sim, res, log, "p5-second", 5, 1, 5);
    sim.run();
    expect(log).toEqual(["holder@0", "p1-first@10", "p1-second@11", "p3@12", "p5-first@13", "p5-second@14"]);
  });

  for (const discipline of ["fifo", "priority"] as const) {
    it(`(${discipline}) withdraws a waiting request on release, and the next one is served instead`, () => {
      const sim = new Simulation();
      const res = new Resource(sim, { discipline });
      const holder = res.request();
      const quitter = res.request();
      const patient = res.request();
      expect(res.queueLength).toBe(2);
      res.release(quitter);
      expect(res.queueLength).toBe(1);
      res.release(holder);
      sim.run();
      expect(quitter.granted).toBe(false);
      expect(quitter.triggered).toBe(false);
      expect(patient.granted).toBe(true);
      expect(patient.processed).toBe(true);
    });
  }

  it("grants in (priority, arrival) order under any mix of requests, releases and withdrawals", () => {
    // Model: the waiting list sorted by (priority, seq); a release of a granted
    // request hands its unit to the head. Checks the heap, removals included.
    const op = fc.oneof(
      fc.record({ kind: fc.constant("request" as const), priority: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 80, size: "max" }), (capacity, ops) => {
        const sim = new Simulation();
        const res = new Resource(sim, { capacity, discipline: "priority" });
        const all: Request[] = [];
        const held = new Set<Request>();
        let waiting: Request[] = [];
        for (const o of ops) {
          if (o.kind === "request") {
            const req = res.request(o.priority);
            all.push(req);
            if (held.size < capacity && waiting.length === 0) held.add(req);
            else waiting.push(req);
          } else if (all.length > 0) {
            const req = all[o.pick % all.length]!;
            res.release(req);
            if (held.delete(req)) {
              waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
              const next = waiting.shift();
              if (next !== undefined) held.add(next);
            } else waiting = waiting.filter((w) => w !== req);
          }
          for (const r of all) if (r.granted !== held.has(r)) return false;
          if (res.queueLength !== waiting.length || res.count !== held.size) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("of a D/D/1 queue (arrivals every 10 ticks, service 6) is busy 60% of the time", () => {
    const sim = new Simulation();
    const res = new Resource(sim);
    const log: string[] = [];
    for (let k = 0; k < 100; k++) customer(sim, res, log, `c${k}`, 10 * k, 6);
    sim.run({ until: 1000 });
    // Busy [10k, 10k + 6) for k = 0..99: 600 of 1000 ticks; nobody ever waits.
    expect(res.utilization()).toBe(0.6);
    expect(res.waiting.mean(sim.now)).toBe(0);
    expect(res.waiting.max).toBe(0);
  });

  it("averages the queue length over time", () => {
    const sim = new Simulation();
    const res = new Resource(sim);
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) customer(sim, res, log, name, 0, 10);
    sim.run({ until: 40 });
    // Waiting: 2 on [0, 10), 1 on [10, 20), 0 after: (20 + 10) / 40.
    expect(res.waiting.mean(sim.now)).toBe(0.75);
    expect(res.waiting.max).toBe(2);
    // Busy on [0, 30): 30 / 40.
    expect(res.utilization()).toBe(0.75);
  });

  it("restarts its statistics at the end of a warm-up", () => {
    const sim = new Simulation();
    const res = new Resource(sim);
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) customer(sim, res, log, name, 0, 10);
    sim.run({ until: 20 });
    res.resetStats();
    sim.run({ until: 40 });
    // After t = 20: busy on [20, 30), nobody waiting.
    expect(res.utilization()).toBe(0.5);
    expect(res.waiting.mean(sim.now)).toBe(0);
  });

  it("rejects a capacity that is not a whole number ≥ 1", () => {
    const sim = new Simulation();
    const bad: ResourceOptions[] = [{ capacity: 0 }, { capacity: 1.5 }, { capacity: Number.NaN }];
    for (const options of bad) expect(() => new Resource(sim, options)).toThrow(RangeError);
  });
});
