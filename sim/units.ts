/**
 * Units at the edge: parse the strings users write ("1.5us", "10Gbps", "4KiB")
 * into the kernel's numbers, and format numbers back into short strings for
 * reports. Browser-safe; nothing here knows about networks.
 *
 * - Time: integer ticks, 1 tick = 1 ps. A JS number holds 2^53 ps exactly,
 *   about 2.5 h of simulated time.
 * - Rate: bits per second (decimal SI prefixes). Byte rates are rejected.
 * - Size: bytes. KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024.
 *
 * Parsing is exact: "1.005ns" is 1005 ticks, not 1004.9999999999999, because
 * the decimal is read into BigInts before it is scaled.
 */

/** Ticks per simulated second (1 tick = 1 ps). */
export const TICKS_PER_SECOND = 1e12;

/** A malformed or out-of-range unit string. The message says what was expected. */
export class UnitError extends Error {
  override readonly name = "UnitError";
}

/** Seconds → ticks, rounded to the nearest tick. */
export function secondsToTicks(seconds: number): number {
  return Math.round(seconds * TICKS_PER_SECOND);
}

/** Ticks → seconds. */
export function ticksToSeconds(ticks: number): number {
  return ticks / TICKS_PER_SECOND;
}

// ---------------------------------------------------------------- parsing

/** "<number><optional spaces><unit>"; the number may have a fraction and an exponent. */
const QUANTITY = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(\S*)$/;

/** A decimal read exactly: value = digits · 10^exp10. */
interface Decimal {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly exp10: number;
  /** The number as written, for hints. */
  readonly numberText: string;
  readonly unit: string;
}

function readQuantity(text: string): Decimal | undefined {
  const m = QUANTITY.exec(text.trim());
  if (m === null) return undefined;
  const [, sign = "", mantissa = "", exponent = "0", unit = ""] = m;
  const [whole = "", fraction = ""] = mantissa.split(".");
  const exp = Number(exponent);
  // Exponents far beyond any physical quantity would make the BigInts huge.
  if (Math.abs(exp) > 300) return undefined;
  return {
    negative: sign === "-",
    digits: BigInt(`${whole}${fraction}` || "0"),
    exp10: exp - fraction.length,
    numberText: `${sign}${mantissa}${exponent === "0" ? "" : `e${exponent}`}`,
    unit,
  };
}

const TEN = 10n;

/** digits · 10^exp10 · multiplier as an exact integer, or undefined when it has a fraction. */
function exactInteger(q: Decimal, multiplier: bigint): bigint | undefined {
  const num = q.digits * multiplier * TEN ** BigInt(Math.max(q.exp10, 0));
  const den = TEN ** BigInt(Math.max(-q.exp10, 0));
  return num % den === 0n ? num / den : undefined;
}

function describe(text: unknown): string {
  return typeof text === "string" ? JSON.stringify(text) : `the ${typeof text} ${String(text)}`;
}

interface QuantityKind {
  /** "time", "rate", "size" */
  readonly noun: string;
  readonly example: string;
  readonly unitList: string;
}

const TIME: QuantityKind = { noun: "time", example: "1.5us", unitList: "ps, ns, us, ms, s" };
const RATE: QuantityKind = { noun: "rate", example: "10Gbps", unitList: "bps, Kbps, Mbps, Gbps, Tbps" };
const SIZE: QuantityKind = { noun: "size", example: "4KiB", unitList: "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB" };

function expected(kind: QuantityKind, text: unknown): UnitError {
  return new UnitError(
    `expected a ${kind.noun} like "${kind.example}", got ${describe(text)} (units: ${kind.unitList})`,
  );
}

function read(kind: QuantityKind, text: unknown): Decimal {
  const q = typeof text === "string" ? readQuantity(text) : undefined;
  if (q === undefined) throw expected(kind, text);
  if (q.negative) throw new UnitError(`expected a non-negative ${kind.noun}, got ${describe(text)}`);
  return q;
}

/**
 * Parsed texts, per kind. A generated site writes the same few dozen quantities thousands of times
 * ("10Gbps" on every port), and the exact BigInt reading was 8 % of a site-size search's CPU. Only
 * values are kept (an error is thrown again each time); a full cache starts over, so the memory is
 * bounded whatever the input.
 */
const TIMES = new Map<string, number>();
const RATES = new Map<string, number>();
const SIZES = new Map<string, number>();
const REMEMBERED = 4096;

function remembered(cache: Map<string, number>, text: string, parse: (text: string) => number): number {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const value = parse(text);
  if (cache.size >= REMEMBERED) cache.clear();
  cache.set(text, value);
  return value;
}

/** Power of ten of each time unit, in ticks (ps). µ (micro sign) and μ (Greek mu) both accepted. */
const TIME_UNITS: Readonly<Record<string, number>> = { ps: 0, ns: 3, us: 6, µs: 6, μs: 6, ms: 9, s: 12 };

/**
 * Parses a time ("250ns", "1.5us", "2 ms") into ticks (ps).
 * The result must be a whole number of picoseconds and fit in a safe integer.
 */
export function parseTime(text: string): number {
  return remembered(TIMES, text, timeOf);
}

function timeOf(text: string): number {
  const q = read(TIME, text);
  const power = TIME_UNITS[q.unit];
  if (power === undefined) throw expected(TIME, text);
  const ticks = exactInteger(q, TEN ** BigInt(power));
  if (ticks === undefined) {
    throw new UnitError(`expected a whole number of picoseconds (the clock's resolution), got ${describe(text)}`);
  }
  if (ticks > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnitError(`expected a time of at most 2^53 ps (about 2.5 h, the clock's range), got ${describe(text)}`);
  }
  return Number(ticks);
}

/** Power of ten of each rate unit, in bits per second. */
const RATE_UNITS: Readonly<Record<string, number>> = {
  bps: 0,
  Kbps: 3,
  kbps: 3,
  Mbps: 6,
  Gbps: 9,
  Tbps: 12,
  // The spelling formatRate() prints, so report values can be pasted back.
  "b/s": 0,
  "Kb/s": 3,
  "kb/s": 3,
  "Mb/s": 6,
  "Gb/s": 9,
  "Tb/s": 12,
};

/** A byte-rate unit: optional SI prefix, then "B/s" or "Bps". */
const BYTE_RATE = /^([kKMGT]?)B(?:\/s|ps)$/;

/** Shortest decimal text of x, without float noise ("80", "0.8", "12.5"). */
function cleanNumber(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * Parses a rate ("10Gbps", "2.5 Gbps", "100Mbps") into bits per second.
 * Byte rates ("10GBps", "1GB/s") are rejected with the equivalent bit rate as a hint.
 */
export function parseRate(text: string): number {
  return remembered(RATES, text, rateOf);
}

function rateOf(text: string): number {
  const q = read(RATE, text);
  const power = RATE_UNITS[q.unit];
  if (power !== undefined) return Number(`${q.digits}e${q.exp10 + power}`);
  const bytes = BYTE_RATE.exec(q.unit);
  if (bytes !== null) {
    const prefix = (bytes[1] ?? "").toUpperCase();
    const bits = cleanNumber(Number(`${q.digits}e${q.exp10}`) * 8);
    throw new UnitError(
      `rates are in bits per second: ${describe(text)} is bytes per second; write "${bits}${prefix}bps"`,
    );
  }
  throw expected(RATE, text);
}

/** Bytes per unit of size. */
const SIZE_UNITS: Readonly<Record<string, bigint>> = {
  B: 1n,
  KB: 1000n,
  kB: 1000n,
  MB: 1000n ** 2n,
  GB: 1000n ** 3n,
  TB: 1000n ** 4n,
  KiB: 1024n,
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
};

/** A unit that looks like bits ("b", "kb", "Gb"): lowercase b. */
const BIT_SIZE = /^([kKmMgGtT]?)b$/;

/**
 * Parses a size ("1500B", "4KiB", "9 KB") into bytes: an integer.
 * "kb", "Gb" and other lowercase-b units are rejected: they read as bits.
 */
export function parseSize(text: string): number {
  return remembered(SIZES, text, sizeOf);
}

function sizeOf(text: string): number {
  const q = read(SIZE, text);
  const multiplier = SIZE_UNITS[q.unit];
  if (multiplier === undefined) {
    const bits = BIT_SIZE.exec(q.unit);
    if (bits !== null) {
      const prefix = (bits[1] ?? "").toUpperCase();
      const hint =
        prefix === ""
          ? `write "${q.numberText}B"`
          : `write "${q.numberText}${prefix}B" or "${q.numberText}${prefix}iB"`;
      throw new UnitError(`sizes are in bytes: ${describe(text)} reads as bits (lowercase b); ${hint}`);
    }
    throw expected(SIZE, text);
  }
  const bytes = exactInteger(q, multiplier);
  if (bytes === undefined) throw new UnitError(`expected a whole number of bytes, got ${describe(text)}`);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UnitError(`expected a size of at most 2^53 bytes, got ${describe(text)}`);
  }
  return Number(bytes);
}

// ---------------------------------------------------------------- formatting

/** Three significant digits, or the nearest integer from 100 up; no trailing zeros. */
function round3(x: number): number {
  return x >= 100 ? Math.round(x) : Number(x.toPrecision(3));
}

/** Scales |value| to the largest unit that keeps it ≥ 1 (or the smallest unit), 3 significant digits. */
function scaled(value: number, factors: readonly number[], names: readonly string[]): string {
  const sign = value < 0 ? "-" : "";
  const v = Math.abs(value);
  let i = factors.length - 1;
  while (i > 0 && v < factors[i]!) i--;
  let s = round3(v / factors[i]!);
  // 999.7 ns rounds to 1000 ns: say 1 us instead.
  if (s >= 1000 && i < factors.length - 1) s = round3(v / factors[++i]!);
  return `${sign}${s} ${names[i]!}`;
}

/** "5.12 ns", "1.23 us", "100 ms". */
export function formatTime(ticks: number): string {
  if (ticks === 0) return "0 s";
  return scaled(ticks, [1, 1e3, 1e6, 1e9, 1e12], ["ps", "ns", "us", "ms", "s"]);
}

/** "9.75 Gb/s", "100 Mb/s" (decimal SI). */
export function formatRate(bitsPerSecond: number): string {
  return scaled(bitsPerSecond, [1, 1e3, 1e6, 1e9, 1e12], ["b/s", "Kb/s", "Mb/s", "Gb/s", "Tb/s"]);
}

const IEC_FACTORS = [1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4];
const IEC_NAMES = ["B", "KiB", "MiB", "GiB", "TiB"];

/**
 * "1538 B", "4 KiB", "1.46 MiB". Binary prefixes; sizes under 10 KiB that are
 * not a whole number of KiB print as exact bytes, since frame and TLP sizes
 * live there and "1.5 KiB" would hide 1538 vs 1500.
 */
export function formatSize(bytes: number): string {
  const v = Math.abs(bytes);
  if (v < 10 * 1024 && !(Number.isInteger(v / 1024) && v > 0)) {
    return `${bytes < 0 ? "-" : ""}${v < 100 ? round3(v) : Math.round(v)} B`;
  }
  return scaled(bytes, IEC_FACTORS, IEC_NAMES);
}
