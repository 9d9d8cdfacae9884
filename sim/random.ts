/**
 * Seeded random streams: one independent generator per (seed, replication, name).
 *
 * Models never call `Math.random()`; they ask `RandomStreams.stream("arrivals")` for a
 * named stream, so a run is reproducible from its seed and adding a new stream (a new
 * model, a new draw site) never shifts the draws of existing ones.
 */

export type RngState = readonly [number, number, number, number];

const TWO_POW_32 = 4294967296;

/**
 * xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c):
 * period 2^128 − 1, passes BigCrush, 32-bit arithmetic only, which JS does natively.
 *
 * Cost: `nextUint32` is a handful of int32 ops and allocates nothing; `random` is two of those.
 */
export class Rng {
  // Four int32 fields rather than a Uint32Array: V8 keeps them in-object and skips the
  // typed-array bounds checks. Initialised to numbers at declaration so the emitted class
  // fields never hold `undefined` (which would make V8 store them tagged and box values).
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** `state` is four 32-bit words, not all zero (the one state xoshiro cannot leave). */
  constructor(state: RngState) {
    for (const w of state) {
      if (!Number.isInteger(w) || w < -0x80000000 || w > 0xffffffff) {
        throw new RangeError(`Rng: state words must be 32-bit integers, got ${w}`);
      }
    }
    // `| 0` normalises to int32 so every field has the same representation from the start.
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new RangeError("Rng: state must not be all zero");
    }
  }

  /** Next 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (27 from one draw, 26 from the next). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /**
   * Unbiased integer in [0, n) for integer n in [1, 2^32], by rejection: draws falling in
   * the last partial block of size 2^32 mod n are redrawn (probability < n / 2^32).
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Snapshot of the four state words as unsigned integers (for checkpoints and tests). */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

const MASK64 = (1n << 64n) - 1n;

/** splitmix64 finalizer (Steele, Lea & Flood 2014): a bijection on 64 bits with full avalanche. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

function fnvByte(h: bigint, byte: number): bigint {
  return ((h ^ BigInt(byte)) * FNV_PRIME) & MASK64;
}

/**
 * FNV-1a 64 over the UTF-8 bytes of `name`, encoded by hand because TextEncoder is not in
 * the ES lib the kernel compiles against. Lone surrogates become U+FFFD, as TextEncoder does.
 */
function hashName(name: string): bigint {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) {
    let cp = name.codePointAt(i)!;
    if (cp > 0xffff)
      i++; // a surrogate pair: codePointAt read both halves
    else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) {
      h = fnvByte(h, cp);
    } else if (cp < 0x800) {
      h = fnvByte(fnvByte(h, 0xc0 | (cp >> 6)), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      h = fnvByte(h, 0xe0 | (cp >> 12));
      h = fnvByte(fnvByte(h, 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
    } else {
      h = fnvByte(fnvByte(h, 0xf0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3f));
      h = fnvByte(fnvByte(h, 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
    }
  }
  return h;
}

function checkSafeInteger(what: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`RandomStreams: ${what} must be a safe integer, got ${v}`);
}

const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/**
 * Initial xoshiro128** state for stream `name` of `replication` under experiment `seed`.
 *
 * Derivation (runs once per stream, so BigInt's cost does not matter):
 *   key   = mix64(mix64(mix64(seed) ^ replication) ^ fnv1a64(utf8(name)))     (all mod 2^64)
 *   state = splitmix64 outputs mix64(key + γ), mix64(key + 2γ), split into four 32-bit words.
 * Each mix64 is a bijection, so changing exactly one of (seed, replication, name) always
 * changes the key (names up to a 64-bit FNV collision). The name enters only this stream's
 * key, which is why streams are independent of creation order. Negative seeds are taken
 * mod 2^64. An all-zero result (probability 2^-128) is replaced by a fixed non-zero word.
 */
export function streamSeed(seed: number, replication: number, name: string): [number, number, number, number] {
  checkSafeInteger("seed", seed);
  checkSafeInteger("replication", replication);
  if (replication < 0) throw new RangeError(`RandomStreams: replication must be >= 0, got ${replication}`);
  let key = mix64(BigInt.asUintN(64, BigInt(seed)));
  key = mix64(key ^ BigInt(replication));
  key = mix64(key ^ hashName(name));
  const a = mix64((key + GOLDEN_GAMMA) & MASK64);
  const b = mix64((key + 2n * GOLDEN_GAMMA) & MASK64);
  const words: [number, number, number, number] = [
    Number(a & 0xffffffffn),
    Number(a >> 32n),
    Number(b & 0xffffffffn),
    Number(b >> 32n),
  ];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 0x9e3779b9;
  return words;
}

/**
 * The named streams of one replication. `stream(name)` returns the same `Rng` object every
 * time for a given name (O(1) map lookup; fetch it once per model, not per draw).
 */
export class RandomStreams {
  readonly seed: number;
  readonly replication: number;
  private readonly streams = new Map<string, Rng>();

  constructor(seed: number, replication: number) {
    checkSafeInteger("seed", seed);
    checkSafeInteger("replication", replication);
    if (replication < 0) throw new RangeError(`RandomStreams: replication must be >= 0, got ${replication}`);
    this.seed = seed;
    this.replication = replication;
  }

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(streamSeed(this.seed, this.replication, name));
      this.streams.set(name, rng);
    }
    return rng;
  }

  /**
   * Stream `name` for one holder, not remembered: the draws `stream(name)` would give, but
   * asking again gives a second generator that repeats them. For the many streams whose
   * names are unique by construction and fetched once (a site's per-instance streams):
   * remembering each costs a map entry and its name, about 130 bytes a stream.
   */
  detached(name: string): Rng {
    if (this.streams.has(name)) throw new RangeError(`RandomStreams: stream "${name}" is already shared`);
    return new Rng(streamSeed(this.seed, this.replication, name));
  }
}
