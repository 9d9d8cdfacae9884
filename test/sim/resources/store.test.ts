import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SimEvent } from "../../../sim/event.js";
import { Interrupt, Process } from "../../../sim/process.js";
import { PriorityStore, Store } from "../../../sim/resources/store.js";
import { Simulation } from "../../../sim/simulation.js";

/** Starts a process that waits `at` ticks, then on `make()`, and logs "name:value@time". */
function waitFor(sim: Simulation, log: string[], name: string, at: number, make: () => SimEvent<unknown>): void {
  new Process(
    sim,
    (function* () {
      yield at;
      const value = yield make();
      log.push(`${name}:${String(value)}@${sim.now}`);
    })(),
    name,
  );
}

interface Job {
  name: string;
  prio: number;
}

describe("Store", () => {
  it("hands items out in the order they were put, at once and with no kernel event", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    for (const item of ["a", "b", "c"]) expect(store.put(item).processed).toBe(true);
    const gets = [store.get(), store.get(), store.get()];
    expect(gets.map((g) => [g.processed, g.value])).toEqual([
      [true, "a"],
      [true, "b"],
      [true, "c"],
    ]);
    expect(sim.pending).toBe(0);
    expect(store.size).toBe(0);
  });

  it("makes a get on an empty store wait for a put; waiting gets are served in arrival order", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const log: string[] = [];
    waitFor(sim, log, "first", 1, () => store.get());
    waitFor(sim, log, "second", 2, () => store.get());
    waitFor(sim, log, "put-x", 10, () => store.put("x"));
    waitFor(sim, log, "put-y", 20, () => store.put("y"));
    sim.run();
    expect(log).toEqual(["put-x:undefined@10", "first:x@10", "put-y:undefined@20", "second:y@20"]);
  });

  it("makes a put into a full store wait until a get makes room; waiting puts enter in arrival order", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim, { capacity: 2 });
    const log: string[] = [];
    for (const [i, item] of ["a", "b", "c", "d"].entries()) waitFor(sim, log, `put-${item}`, i, () => store.put(item));
    for (const t of [10, 20, 30, 40]) waitFor(sim, log, `get@${t}`, t, () => store.get());
    sim.run();
    expect(log).toEqual([
      "put-a:undefined@0",
      "put-b:undefined@1",
      "get@10:a@10",
      "put-c:undefined@10",
      "get@20:b@20",
      "put-d:undefined@20",
      "get@30:c@30",
      "get@40:d@40",
    ]);
  });

  it("gives a filtered get the first item it accepts, leaving the others in order", () => {
    const sim = new Simulation();
    const store = new Store<number>(sim);
    for (const n of [1, 2, 3, 4]) store.put(n);
    expect(store.get((n) => n % 2 === 0).value).toBe(2);
    expect([store.get().value, store.get().value, store.get().value]).toEqual([1, 3, 4]);
  });

  it("does not let a waiting filtered get block a later get that can be served", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const log: string[] = [];
    waitFor(sim, log, "wants-blue", 1, () => store.get((s) => s.startsWith("blue")));
    waitFor(sim, log, "takes-any", 2, () => store.get());
    waitFor(sim, log, "put-red", 5, () => store.put("red"));
    waitFor(sim, log, "put-green", 6, () => store.put("green"));
    waitFor(sim, log, "put-blue", 7, () => store.put("blue"));
    sim.run();
    expect(log).toEqual([
      "put-red:undefined@5",
      "takes-any:red@5",
      "put-green:undefined@6",
      "put-blue:undefined@7",
      "wants-blue:blue@7",
    ]);
    expect(store.get().value).toBe("green");
  });

  it("moves a waiting put in when a filtered get takes an item from the middle of a full store", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim, { capacity: 2 });
    store.put("a");
    store.put("b");
    const waiting = store.put("c");
    expect(store.get((s) => s === "b").value).toBe("b");
    sim.run();
    expect(waiting.processed).toBe(true);
    expect([store.get().value, store.get().value]).toEqual(["a", "c"]);
  });

  it("takes NaN items out of the middle with a filter too", () => {
    const sim = new Simulation();
    const store = new Store<number>(sim);
    for (const n of [1, Number.NaN, 3]) store.put(n);
    expect(store.get(Number.isNaN).value).toBeNaN();
    expect([store.get().value, store.get().value, store.size]).toEqual([1, 3, 0]);
  });

  it("withdraws a cancelled get, so a later put goes to the next get in line", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const gone = store.get();
    const next = store.get();
    expect(store.cancel(gone)).toBe(true);
    expect(store.cancel(gone)).toBe(false);
    store.put("x");
    sim.run();
    expect(gone.triggered).toBe(false);
    expect(next.value).toBe("x");
    expect(store.waitingGets.value).toBe(0);
  });

  it("lets an interrupted consumer cancel its get and leave the items to others", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const log: string[] = [];
    const impatient = new Process(
      sim,
      (function* () {
        const get = store.get();
        try {
          yield get;
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          store.cancel(get);
          log.push(`gave up@${sim.now}`);
        }
      })(),
    );
    sim.schedule(
      3,
      sim.handler(() => impatient.interrupt("timeout")),
    );
    waitFor(sim, log, "put", 5, () => store.put("x"));
    sim.run();
    expect(log).toEqual(["gave up@3", "put:undefined@5"]);
    expect(store.size).toBe(1);
  });

  it("averages the items held and the gets waiting over time", () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const log: string[] = [];
    waitFor(sim, log, "put-a", 0, () => store.put("a"));
    waitFor(sim, log, "put-b", 10, () => store.put("b"));
    waitFor(sim, log, "get-a", 20, () => store.get());
    waitFor(sim, log, "get-b", 30, () => store.get());
    waitFor(sim, log, "get-c", 30, () => store.get());
    waitFor(sim, log, "put-c", 35, () => store.put("c"));
    sim.run({ until: 40 });
    // Level: 1 on [0, 10), 2 on [10, 20), 1 on [20, 30), 0 after; "c" goes
    // straight to the waiting get and is never counted as held.
    expect(store.level.mean(40)).toBe((10 + 20 + 10) / 40);
    expect(store.level.max).toBe(2);
    // One get waits on [30, 35).
    expect(store.waitingGets.mean(40)).toBe(5 / 40);
    expect(log.at(-1)).toBe("get-c:c@35");
  });

  it("rejects a capacity that is not a whole number ≥ 1 or Infinity", () => {
    const sim = new Simulation();
    for (const capacity of [0, 2.5, Number.NaN]) expect(() => new Store(sim, { capacity })).toThrow(RangeError);
    expect(new Store(sim).capacity).toBe(Number.POSITIVE_INFINITY);
  });

  it("passes every item through exactly once, in order, whatever the capacity and timing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 30, size: "max" }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 30, size: "max" }),
        (capacity, putGaps, getGaps) => {
          const sim = new Simulation();
          const store = new Store<number>(sim, { capacity });
          const got: number[] = [];
          new Process(
            sim,
            (function* () {
              for (const [i, gap] of putGaps.entries()) {
                yield gap;
                yield store.put(i);
              }
            })(),
          );
          new Process(
            sim,
            (function* () {
              for (const gap of getGaps) {
                yield gap;
                got.push((yield store.get()) as number);
              }
            })(),
          );
          sim.run();
          const n = Math.min(putGaps.length, getGaps.length);
          expect(got).toEqual([...Array(n).keys()]);
          expect(store.size).toBe(Math.min(putGaps.length - n, capacity));
        },
      ),
    );
  });
});

describe("PriorityStore", () => {
  it("hands out the item with the lowest key first, FIFO among equal keys", () => {
    const sim = new Simulation();
    const store = new PriorityStore<Job>(sim, { key: (j) => j.prio });
    const jobs = [
      { name: "bulk-1", prio: 5 },
      { name: "urgent-1", prio: 0 },
      { name: "normal", prio: 2 },
      { name: "urgent-2", prio: 0 },
      { name: "bulk-2", prio: 5 },
    ];
    for (const j of jobs) store.put(j);
    const order = jobs.map(() => store.get().value?.name);
    expect(order).toEqual(["urgent-1", "urgent-2", "normal", "bulk-1", "bulk-2"]);
  });

  it("gives a filtered get the lowest-key item it accepts", () => {
    const sim = new Simulation();
    const store = new PriorityStore<Job>(sim, { key: (j) => j.prio });
    for (const [name, prio] of [
      ["a", 3],
      ["b", 1],
      ["c", 2],
      ["d", 1],
    ] as const)
      store.put({ name, prio });
    expect(store.get((j) => j.name !== "b").value?.name).toBe("d");
    expect([store.get().value?.name, store.get().value?.name, store.get().value?.name]).toEqual(["b", "c", "a"]);
  });

  it("serves a waiting get with the best item present when it wakes", () => {
    const sim = new Simulation();
    const store = new PriorityStore<number>(sim, { key: (n) => n, capacity: 1 });
    const log: string[] = [];
    waitFor(sim, log, "get", 0, () => store.get());
    waitFor(sim, log, "put-7", 1, () => store.put(7));
    sim.run();
    expect(log).toEqual(["put-7:undefined@1", "get:7@1"]);
  });

  it("orders like a stable sort by key, for any items", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 60, size: "max" }), (keys) => {
        const sim = new Simulation();
        const store = new PriorityStore<[number, number]>(sim, { key: (item) => item[0] });
        keys.forEach((k, i) => {
          store.put([k, i]);
        });
        const out = keys.map(() => store.get().value);
        const expected = keys.map((k, i): [number, number] => [k, i]).sort((a, b) => a[0] - b[0]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it("rejects an item whose key is NaN", () => {
    const store = new PriorityStore<number>(new Simulation(), { key: () => Number.NaN });
    expect(() => store.put(1)).toThrow(RangeError);
  });
});
