import { fc, it as propIt } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RandomStreams, Rng, streamSeed } from "../../sim/random.js";

/** The published C algorithm, transcribed with BigInt so it shares no int32 tricks with Rng. */
function referenceXoshiro128ss(state: readonly number[], count: number): number[] {
  const M = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const s = state.map((w) => BigInt(w >>> 0));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const [s0, s1, s2, s3] = s as [bigint, bigint, bigint, bigint];
    out.push(Number((rotl((s1 * 5n) & M, 7n) * 9n) & M));
    const t = (s1 << 9n) & M;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11n);
  }
  return out;
}

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe("Rng (xoshiro128**)", () => {
  it("matches the published test vector from state [1, 2, 3, 4]", () => {
    // Same vector as Rust rand_xoshiro's `reference` test, produced with xoshiro128starstar.c.
    expect(draws(new Rng([1, 2, 3, 4]), 10)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  propIt.prop(
    [fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(0xffffffff), fc.integer({ min: 1, max: 0xffffffff }))],
    {
      seed: 1,
      numRuns: 50,
    },
  )("agrees with a BigInt transcription of the reference algorithm from any state", (state) => {
    expect(draws(new Rng(state), 200)).toEqual(referenceXoshiro128ss(state, 200));
  });

  it("builds random() from two draws: 27 high bits of the first, 26 of the second", () => {
    const a = new Rng([5, 6, 7, 8]);
    const b = new Rng([5, 6, 7, 8]);
    for (let i = 0; i < 100; i++) {
      const x = b.nextUint32() >>> 5;
      const y = b.nextUint32() >>> 6;
      expect(a.random()).toBe((x * 2 ** 26 + y) / 2 ** 53);
    }
  });

  it("keeps random() in [0, 1) and uniform(a, b) in [a, b)", () => {
    const rng = new Rng(streamSeed(1, 0, "range"));
    for (let i = 0; i < 10_000; i++) {
      const u = rng.random();
      expect(u >= 0 && u < 1).toBe(true);
      const v = rng.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
    }
  });

  it("draws int(n) uniformly, including n that does not divide 2^32", () => {
    const rng = new Rng(streamSeed(1, 0, "int"));
    // n = 3·2^30: a plain `% n` would give the lowest third twice the mass of the others.
    const n = 3 * 2 ** 30;
    const thirds = [0, 0, 0];
    const draws = 30_000;
    for (let i = 0; i < draws; i++) {
      const k = rng.int(n);
      expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      thirds[Math.floor(k / 2 ** 30)]! += 1;
    }
    // Each third: 10 000 ± 4·√(30 000·(1/3)·(2/3)) ≈ ±327.
    for (const c of thirds) expect(Math.abs(c - draws / 3)).toBeLessThan(330);
    expect(rng.int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(2 ** 32 + 1)).toThrow(RangeError);
  });

  it("rejects an all-zero state, which xoshiro can never leave", () => {
    expect(() => new Rng([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe("streamSeed and RandomStreams", () => {
  it("pins the derivation: the same (seed, replication, name) gives the same state on every platform", () => {
    // Computed independently in Python (big-int FNV-1a + splitmix64 over str.encode("utf-8")).
    expect(streamSeed(42, 0, "arrivals")).toEqual([3115299491, 564014455, 1230822743, 1098235311]);
    expect(streamSeed(0, 0, "")).toEqual([4192808656, 3850884063, 1227468987, 659447450]);
    expect(streamSeed(-1, 3, "größe/µs 🚀")).toEqual([980523606, 692280192, 181324222, 189491727]);
    expect(streamSeed(2 ** 53 - 1, 7, "sizes")).toEqual([3049610026, 4010563085, 3568134058, 1128974461]);
  });

  it("gives the same draws for the same (seed, replication, name)", () => {
    const a = new RandomStreams(7, 2).stream("arrivals");
    const b = new RandomStreams(7, 2).stream("arrivals");
    expect(draws(a, 50)).toEqual(draws(b, 50));
  });

  it("gives different draws when the name, the replication or the seed differs", () => {
    const first = (seed: number, rep: number, name: string) => draws(new RandomStreams(seed, rep).stream(name), 4);
    const base = first(7, 2, "arrivals");
    expect(first(7, 2, "sizes")).not.toEqual(base);
    expect(first(7, 3, "arrivals")).not.toEqual(base);
    expect(first(8, 2, "arrivals")).not.toEqual(base);
    // Non-ASCII names hash by their UTF-8 bytes, so near-identical names still differ.
    expect(first(7, 2, "é")).not.toEqual(first(7, 2, "e"));
  });

  it("leaves an existing stream's draws unchanged when other streams are created in between", () => {
    const alone = new RandomStreams(11, 0).stream("arrivals");
    const expected = draws(alone, 100);

    const busy = new RandomStreams(11, 0);
    busy.stream("failures").nextUint32();
    const arrivals = busy.stream("arrivals");
    const got = draws(arrivals, 50);
    for (const name of ["sizes", "placement", "failover"]) draws(busy.stream(name), 10);
    got.push(...draws(arrivals, 50));
    expect(got).toEqual(expected);
  });

  it("returns the same Rng object for the same name", () => {
    const streams = new RandomStreams(1, 0);
    expect(streams.stream("x")).toBe(streams.stream("x"));
  });

  it("encodes lone surrogates as U+FFFD, exactly like TextEncoder", () => {
    expect(streamSeed(1, 0, "a\ud800b")).toEqual(streamSeed(1, 0, "a\ufffdb"));
    expect(new TextEncoder().encode("a\ud800b")).toEqual(new TextEncoder().encode("a\ufffdb"));
  });

  propIt.prop([fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.nat(), fc.string({ unit: "grapheme" })], {
    seed: 2,
    numRuns: 300,
  })("never derives an all-zero state, and always four 32-bit words", (seed, replication, name) => {
    const state = streamSeed(seed, replication, name);
    expect(state.some((w) => w !== 0)).toBe(true);
    for (const w of state) expect(Number.isInteger(w) && w >= 0 && w <= 0xffffffff).toBe(true);
  });

  it("rejects seeds and replications that are not safe integers", () => {
    expect(() => new RandomStreams(1.5, 0)).toThrow(RangeError);
    expect(() => new RandomStreams(2 ** 53, 0)).toThrow(RangeError);
    expect(() => new RandomStreams(1, -1)).toThrow(RangeError);
  });
});

describe("RandomStreams.detached", () => {
  it("gives the draws stream(name) would, as a generator of its own that is not remembered", () => {
    const draws = (r: { random(): number }) => Array.from({ length: 5 }, () => r.random());
    const a = new RandomStreams(7, 1).detached("vm-lan:host1:arrivals");
    const b = new RandomStreams(7, 1).detached("vm-lan:host1:arrivals");
    expect(a).not.toBe(b);
    const shared = new RandomStreams(7, 1).stream("vm-lan:host1:arrivals");
    const expected = draws(shared);
    expect(draws(a)).toEqual(expected);
    // Not remembered: asking again starts over instead of continuing.
    const streams = new RandomStreams(7, 1);
    draws(streams.detached("x"));
    expect(draws(streams.detached("x"))).toEqual(draws(new RandomStreams(7, 1).stream("x")));
  });

  it("refuses a name that is already a shared stream", () => {
    const streams = new RandomStreams(7, 1);
    streams.stream("x");
    expect(() => streams.detached("x")).toThrow('stream "x" is already shared');
  });
});
