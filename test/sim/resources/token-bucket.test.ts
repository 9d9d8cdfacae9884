import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Interrupt, Process } from "../../../sim/process.js";
import type { TokenBucketOptions } from "../../../sim/resources/token-bucket.js";
import { TokenBucket } from "../../../sim/resources/token-bucket.js";
import { Simulation } from "../../../sim/simulation.js";

/** Starts a process that waits `at` ticks, then takes `n` tokens, and logs "name@time". */
function taker(sim: Simulation, bucket: TokenBucket, log: string[], name: string, at: number, n: number): Process {
  return new Process(
    sim,
    (function* () {
      yield at;
      yield bucket.take(n);
      log.push(`${name}@${sim.now}`);
    })(),
    name,
  );
}

/** A double as an exact fraction num/den (den a power of two). */
function exactFraction(x: number): [bigint, bigint] {
  let den = 1n;
  while (!Number.isInteger(x)) {
    x *= 2;
    den *= 2n;
  }
  return [BigInt(x), den];
}

/** Kernel events a process costs by itself (its start, and its end if processed as an event). */
function kernelEventsOfAnEmptyProcess(): number {
  const sim = new Simulation();
  new Process(sim, (function* () {})());
  sim.run();
  return sim.events;
}

/** One process takes sizes[i] tokens after idling steps[i].gap ticks, in turn; returns the grant times. */
function runGreedy(rate: number, burst: number, steps: { gap: number }[], sizes: number[]): number[] {
  const sim = new Simulation();
  const bucket = new TokenBucket(sim, { rate, burst });
  const granted: number[] = [];
  new Process(
    sim,
    (function* () {
      for (const [i, s] of steps.entries()) {
        yield s.gap;
        yield bucket.take(sizes[i]!);
        granted.push(sim.now);
      }
    })(),
  );
  sim.run();
  return granted;
}

describe("TokenBucket", () => {
  it("starts full: the first take of a full bucket succeeds at once, with no kernel event", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 0.5, burst: 8 });
    const req = bucket.take(8);
    expect(req.processed).toBe(true);
    expect(sim.pending).toBe(0);
    expect(bucket.tokens).toBe(0);
  });

  it("makes a take of n wait exactly ceil((n − level) / rate) ticks", () => {
    const cases: [rate: number, level: number, n: number, wait: number][] = [
      [0.25, 0, 3, 12], // exactly 12 ticks
      [0.25, 0, 3.1, 13], // 12.4 → 13
      [0.5, 2, 3, 2],
      [0.3, 0, 1, 4], // 3.33 → 4
      [0.1, 0, 3, 30], // 0.1 is a hair above 1/10: 3 tokens exist at tick 30, not 31
      [3, 0, 10, 4], // several tokens per tick: 3.33 → 4
    ];
    for (const [rate, level, n, wait] of cases) {
      const sim = new Simulation();
      const bucket = new TokenBucket(sim, { rate, burst: 10 });
      bucket.take(10 - level);
      const log: string[] = [];
      taker(sim, bucket, log, `take ${n} at rate ${rate} from ${level}`, 0, n);
      sim.run();
      expect(log).toEqual([`take ${n} at rate ${rate} from ${level}@${wait}`]);
    }
  });

  it("counts a tie within rounding as there: rate 1/3 makes one token every 3 ticks", () => {
    // The double nearest 1/3 is a hair below it, but (1/3) · 3 rounds to exactly 1.
    // With burst = n a tick late would also lose the surplus to the cap, every time.
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1 / 3, burst: 1 });
    bucket.take(1);
    const log: string[] = [];
    for (const name of ["first", "second", "third"]) taker(sim, bucket, log, name, 0, 1);
    sim.run();
    expect(log).toEqual(["first@3", "second@6", "third@9"]);
  });

  it("counts tokens accrued before the take: one issued later waits less", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 0.25, burst: 10 });
    bucket.take(10);
    const log: string[] = [];
    // At t = 5 the bucket holds 1.25; 2.75 more take 11 ticks.
    taker(sim, bucket, log, "take-4", 5, 4);
    sim.run();
    expect(log).toEqual(["take-4@16"]);
  });

  it("never holds more than burst tokens, however long it idles", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 4 });
    bucket.take(4);
    const log: string[] = [];
    taker(sim, bucket, log, "all-4", 1000, 4);
    taker(sim, bucket, log, "one-more", 1000, 1);
    sim.run();
    expect(log).toEqual(["all-4@1000", "one-more@1001"]);
  });

  it("serves takes in arrival order: a waiting take blocks a later small one", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 10 });
    bucket.take(10);
    const log: string[] = [];
    taker(sim, bucket, log, "big-8", 0, 8);
    // At t = 1 one token is there, but "big-8" is waiting for it.
    taker(sim, bucket, log, "small-1", 1, 1);
    sim.run();
    expect(log).toEqual(["big-8@8", "small-1@9"]);
    expect(bucket.waiting.max).toBe(2);
  });

  it("reschedules the next take when the waiting head is cancelled", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 10 });
    bucket.take(10);
    const log: string[] = [];
    const impatient = new Process(
      sim,
      (function* () {
        const req = bucket.take(6);
        try {
          yield req;
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          bucket.cancel(req);
          log.push(`gave up@${sim.now}`);
        }
      })(),
    );
    taker(sim, bucket, log, "take-3", 0, 3);
    sim.schedule(
      1,
      sim.handler(() => impatient.interrupt("enough")),
    );
    sim.run();
    expect(log).toEqual(["gave up@1", "take-3@3"]);
    expect(bucket.queueLength).toBe(0);
  });

  it("withdraws a cancelled take from the middle of the queue", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 10 });
    bucket.take(10);
    const first = bucket.take(2);
    const middle = bucket.take(5);
    const last = bucket.take(1);
    expect(bucket.cancel(middle)).toBe(true);
    expect(bucket.cancel(middle)).toBe(false);
    sim.run();
    expect([first.processed, middle.triggered, last.processed, sim.now]).toEqual([true, false, true, 3]);
  });

  it("polices with tryTake: takes what is there, refuses and counts the rest", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 0.5, burst: 5 });
    const at = (t: number, n: number) => {
      let ok = false;
      sim.schedule(
        t - sim.now,
        sim.handler(() => {
          ok = bucket.tryTake(n);
        }),
      );
      sim.run();
      return ok;
    };
    expect(at(0, 5)).toBe(true);
    expect(at(0, 1)).toBe(false);
    expect(at(1, 1)).toBe(false); // 0.5 tokens
    expect(at(2, 1)).toBe(true);
    expect(at(100, 6)).toBe(false); // larger than the bucket: never conforms
    expect(at(100, 5)).toBe(true);
    expect(bucket.dropped).toBe(3);
    expect(bucket.tokens).toBe(0);
  });

  it("refuses tryTake while a take is waiting, even if the tokens are there", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 10 });
    bucket.take(10);
    bucket.take(8);
    sim.run({ until: 3 });
    expect(bucket.tokens).toBe(3);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it("delivers `rate` tokens per tick in the long run, within one burst, at one kernel event per wait", () => {
    const sim = new Simulation();
    const rate = 0.3;
    const burst = 8;
    const takes = 100_000;
    const bucket = new TokenBucket(sim, { rate, burst });
    let waited = 0;
    new Process(
      sim,
      (function* () {
        for (let i = 0; i < takes; i++) {
          const req = bucket.take(1);
          if (!req.processed) waited++;
          yield req;
        }
      })(),
    );
    sim.run();
    expect(Math.abs(takes - rate * sim.now)).toBeLessThanOrEqual(burst);
    // Tighter: the last take was granted at the first tick its token existed.
    const surplus = burst + rate * sim.now - takes;
    expect(surplus).toBeGreaterThanOrEqual(-1e-9);
    expect(surplus).toBeLessThan(rate);
    // Only the first `burst` takes find tokens; each later one costs one kernel
    // event, and nothing else runs: no periodic refill.
    expect(waited).toBe(takes - burst);
    expect(sim.events - kernelEventsOfAnEmptyProcess()).toBe(waited);
  });

  it("grants at exactly the first tick the tokens exist, for dyadic rates, any sizes and idle gaps", () => {
    // Dyadic rates make the bucket's doubles exact: compare with exact integers.
    const scenario = fc.record({
      rate: fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 8 })).map(([k, e]) => k / 2 ** e),
      burst: fc.integer({ min: 1, max: 50 }),
      steps: fc.array(fc.record({ gap: fc.nat(30), size: fc.nat() }), { minLength: 1, maxLength: 40, size: "max" }),
    });
    fc.assert(
      fc.property(scenario, ({ rate, burst, steps }) => {
        const sizes = steps.map((s) => 1 + (s.size % burst));
        const granted = runGreedy(rate, burst, steps, sizes);
        const [num, den] = exactFraction(rate);
        const full = BigInt(burst) * den;
        const min = (a: bigint, b: bigint) => (a < b ? a : b);
        let level = full; // tokens · den
        let t = 0n;
        const expected: number[] = [];
        for (const [i, s] of steps.entries()) {
          level = min(full, level + num * BigInt(s.gap));
          t += BigInt(s.gap);
          const need = BigInt(sizes[i]!) * den;
          if (level < need) {
            const wait = (need - level + num - 1n) / num; // ceiling division
            level = min(full, level + num * wait);
            t += wait;
          }
          level -= need;
          expected.push(Number(t));
        }
        expect(granted).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("for any double rate, grants neither early nor late beyond rounding", () => {
    // Replays the bucket's own grant times in exact arithmetic: at each grant the
    // tokens are there (to 2^-40 relative), and one tick earlier they were not.
    const scenario = fc.record({
      rate: fc.double({ min: 1e-4, max: 4, noNaN: true }),
      burst: fc.integer({ min: 1, max: 50 }),
      steps: fc.array(fc.record({ gap: fc.nat(30), size: fc.nat() }), { minLength: 1, maxLength: 40, size: "max" }),
    });
    fc.assert(
      fc.property(scenario, ({ rate, burst, steps }) => {
        const sizes = steps.map((s) => 1 + (s.size % burst));
        const granted = runGreedy(rate, burst, steps, sizes);
        const [num, den] = exactFraction(rate);
        const full = BigInt(burst) * den;
        const min = (a: bigint, b: bigint) => (a < b ? a : b);
        let level = full;
        let prev = 0n;
        for (const [i, s] of steps.entries()) {
          const issued = prev + BigInt(s.gap);
          const at = BigInt(granted[i]!);
          const need = BigInt(sizes[i]!) * den;
          const slack = (need >> 40n) + 1n;
          const levelAt = (t: bigint) => min(full, level + num * (t - prev));
          if (levelAt(at) < need - slack) return false; // early
          if (at > issued && levelAt(at - 1n) >= need + slack) return false; // late
          level = levelAt(at) - need;
          prev = at;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a take it could never serve and nonsense parameters", () => {
    const sim = new Simulation();
    const bucket = new TokenBucket(sim, { rate: 1, burst: 4 });
    for (const n of [5, 0, -1, Number.NaN]) expect(() => bucket.take(n)).toThrow(RangeError);
    expect(() => bucket.tryTake(0)).toThrow(RangeError);
    const bad: TokenBucketOptions[] = [
      { rate: 0, burst: 1 },
      { rate: Number.POSITIVE_INFINITY, burst: 1 },
      { rate: 1, burst: 0 },
      { rate: 1, burst: Number.NaN },
    ];
    for (const options of bad) expect(() => new TokenBucket(sim, options)).toThrow(RangeError);
  });
});
