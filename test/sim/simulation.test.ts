import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { queueingCases, simulateQueue } from "../../examples/queueing.js";
import { NORMAL, Simulation, URGENT } from "../../sim/simulation.js";

describe("Simulation", () => {
  it("advances the clock to each event's time and counts fired events", () => {
    const sim = new Simulation();
    const seen: Array<[number, string]> = [];
    const h = sim.handler((name: string) => seen.push([sim.now, name]));
    sim.schedule(30, h, "c");
    sim.schedule(10, h, "a");
    sim.schedule(20, h, "b");
    expect(sim.run()).toBe(3);
    expect(seen).toEqual([
      [10, "a"],
      [20, "b"],
      [30, "c"],
    ]);
    expect(sim.events).toBe(3);
  });

  it("fires equal times by priority, then in the order scheduled", () => {
    const sim = new Simulation();
    const order: string[] = [];
    const h = sim.handler((s: string) => order.push(s));
    sim.schedule(5, h, "normal-1", NORMAL);
    sim.schedule(5, h, "urgent", URGENT);
    sim.schedule(5, h, "normal-2", NORMAL);
    sim.schedule(5, h, "late", 300);
    sim.run();
    expect(order).toEqual(["urgent", "normal-1", "normal-2", "late"]);
  });

  it("stops before events later than `until` and sets the clock to `until`", () => {
    const sim = new Simulation();
    const h = sim.handler(() => {});
    sim.schedule(10, h);
    sim.schedule(100, h);
    expect(sim.run({ until: 50 })).toBe(1);
    expect(sim.now).toBe(50);
    expect(sim.peek()).toBe(100);
    expect(sim.run({ until: 100 })).toBe(1); // an event at exactly `until` fires
    expect(sim.pending).toBe(0);
  });

  it("steps one event at a time and peeks without firing", () => {
    const sim = new Simulation();
    const h = sim.handler(() => {});
    sim.schedule(7, h);
    sim.schedule(3, h);
    expect(sim.peek()).toBe(3);
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(3);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(sim.peek()).toBe(Number.POSITIVE_INFINITY);
  });

  it("returns from run() after the event that called stop()", () => {
    const sim = new Simulation();
    let count = 0;
    const h = sim.handler(() => {
      if (++count === 2) sim.stop();
      sim.schedule(1, h);
    });
    sim.schedule(1, h);
    sim.run();
    expect(count).toBe(2);
    expect(sim.now).toBe(2);
    sim.run({ until: 5 });
    expect(count).toBe(5);
  });

  it("cancels a pending event in O(1) and skips it", () => {
    const sim = new Simulation();
    const fired: string[] = [];
    const h = sim.handler((s: string) => fired.push(s));
    const a = sim.schedule(1, h, "a");
    sim.schedule(2, h, "b");
    expect(sim.cancel(a)).toBe(true);
    expect(sim.cancel(a)).toBe(false);
    sim.run();
    expect(fired).toEqual(["b"]);
    expect(sim.events).toBe(1);
  });

  it("posts like schedule, returning a slot whose handle cancels the event while it is pending", () => {
    const sim = new Simulation();
    const fired: string[] = [];
    const h = sim.handler((s: string) => fired.push(s));
    const a = sim.post(1, h, "a");
    const b = sim.postAt(1, h, "b");
    const c = sim.post(2, h, "c");
    expect([a, b, c].every((slot) => Number.isInteger(slot) && slot >= 0 && slot < 2 ** 24)).toBe(true);
    expect(sim.isPending(sim.handleOf(b))).toBe(true);
    expect(sim.cancel(sim.handleOf(b))).toBe(true);
    const handleA = sim.handleOf(a);
    sim.run();
    expect(fired).toEqual(["a", "c"]);
    // A later event takes a's slot: a's handle stays stale and cannot cancel it.
    const slots = [sim.post(1, h, "d"), sim.post(1, h, "e"), sim.post(1, h, "f")];
    expect(slots).toContain(a);
    expect(sim.cancel(handleA)).toBe(false);
    sim.run();
    expect(fired).toEqual(["a", "c", "d", "e", "f"]);
  });

  it("rejects times in the past, non-integer times and out-of-range priorities", () => {
    const sim = new Simulation();
    const h = sim.handler(() => {});
    expect(() => sim.post(-1, h)).toThrow(/before now/);
    expect(() => sim.postAt(0.5, h)).toThrow(/safe integer/);
    expect(() => sim.schedule(-1, h)).toThrow(/before now/);
    expect(() => sim.schedule(1.5, h)).toThrow(/safe integer/);
    expect(() => sim.schedule(1, h, undefined, 512)).toThrow(/priority/);
    expect(() => sim.schedule(2 ** 53, h)).toThrow(/safe integer/);
    expect(() => sim.postAt(Number.NaN, h)).toThrow(RangeError);
    expect(() => sim.post(Number.POSITIVE_INFINITY, h)).toThrow(RangeError);
  });

  it("takes whole times on either side of 2^52 ticks (the fast check's edge) and refuses fractions there", () => {
    const sim = new Simulation();
    const h = sim.handler(() => {});
    for (const t of [2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, 2 ** 53 - 1]) expect(() => sim.postAt(t, h)).not.toThrow();
    expect(() => sim.postAt(2 ** 52 - 0.5, h)).toThrow(/safe integer/);
    expect(() => sim.postAt(2 ** 51 + 0.5, h)).toThrow(/safe integer/);
    sim.run();
    expect(sim.now).toBe(2 ** 53 - 1);
  });

  it("refuses to run re-entrantly from inside an event", () => {
    const sim = new Simulation();
    const h = sim.handler(() => sim.run());
    sim.schedule(1, h);
    expect(() => sim.run()).toThrow(/already running/);
  });

  it("emits a stop probe only to listeners", () => {
    const sim = new Simulation();
    const reasons: string[] = [];
    sim.probes.on("stop", (reason: string) => reasons.push(reason));
    sim.run();
    sim.run({ until: 10 });
    expect(reasons).toEqual(["empty", "until"]);
  });
});

/** A small model whose event sequence depends on every draw of a seeded generator. */
function hashRun(seed: number, extraEvent = false): string {
  const sim = new Simulation();
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % 1000;
  };
  let left = 10_000;
  const h = sim.handler(() => {
    if (--left > 0) sim.schedule(next(), h);
  });
  for (let i = 0; i < 50; i++) sim.schedule(next(), h);
  if (extraEvent)
    sim.schedule(
      1,
      sim.handler(() => {}),
    );
  sim.run();
  return sim.fingerprint();
}

describe("fingerprint", () => {
  it("is the same for the same seed and differs for another seed or one extra event", () => {
    expect(hashRun(7)).toBe(hashRun(7));
    expect(hashRun(7)).not.toBe(hashRun(8));
    expect(hashRun(7)).not.toBe(hashRun(7, true));
    expect(hashRun(7)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("tells apart two events swapped, a time differing only above 2^32 ticks, and a different handler", () => {
    const digest = (events: [number, string][]): string => {
      const sim = new Simulation();
      const ids = new Map([
        ["a", sim.handler(() => {}, "a")],
        ["b", sim.handler(() => {}, "b")],
      ]);
      for (const [t, name] of events) sim.scheduleAt(t, ids.get(name)!);
      sim.run();
      return sim.fingerprint();
    };
    const base = digest([
      [5, "a"],
      [5, "b"],
    ]);
    const variants = [
      digest([
        [5, "b"],
        [5, "a"],
      ]),
      digest([
        [5, "a"],
        [5 + 2 ** 32, "b"],
      ]),
      digest([
        [5, "a"],
        [5, "a"],
      ]),
    ];
    expect(new Set([base, ...variants]).size).toBe(4);
  });

  it("is the same in a separate Node process", async () => {
    // A separate process runs the compiled kernel (`npm test` builds first) through the M/M/1 example.
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { queueingCases, simulateQueue } from "./dist/examples/queueing.js";
         const r = simulateQueue(queueingCases()[0], { seed: 3, customers: 20000, warmup: 100 });
         process.stdout.write(r.fingerprint + " " + r.meanSojourn);`,
      ],
      { cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8" },
    );
    const r = simulateQueue(queueingCases()[0]!, { seed: 3, customers: 20000, warmup: 100 });
    expect(out).toBe(`${r.fingerprint} ${r.meanSojourn}`);
  });
});
