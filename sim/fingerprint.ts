/**
 * A running hash of the event sequence (OMNeT++'s "fingerprint"): every fired
 * event folds in its time and handler id. Two runs with the same fingerprint
 * fired the same events at the same times in the same order; one changed
 * model shows up as one changed hash in CI.
 *
 * Two 32-bit lanes give a 64-bit digest. Per event each lane rotates its
 * state, folds in one 32-bit word and multiplies by an odd constant (a
 * multiplicative hash: the rotation makes it order-sensitive, the multiply
 * spreads every input bit upwards); `digest` finishes with murmur3's fmix,
 * so nearby states give unrelated digests. Lane a takes the time's low word,
 * lane b its high word mixed with the handler id. About ten integer ops an
 * event: the run loop pays it on every event.
 */
export class Fingerprint {
  private a = 0x811c9dc5 | 0;
  private b = 0x1b873593 | 0;
  private count = 0;

  add(time: number, tag: number): void {
    // Ticks are safe integers below 2^53: split into low and high 32-bit words
    // (times 2^-32 is exact, and cheaper than a division).
    const lo = time >>> 0;
    const hi = (time * 2.3283064365386963e-10) >>> 0;
    const a = this.a;
    this.a = Math.imul(((a << 13) | (a >>> 19)) ^ lo, 0x9e3779b1);
    const b = this.b;
    this.b = Math.imul(((b << 17) | (b >>> 15)) ^ hi ^ Math.imul(tag, 0x85ebca6b), 0xc2b2ae35);
    this.count++;
  }

  /** 16 hex digits, finalized so that nearby states give unrelated digests. */
  digest(): string {
    const fmix = (h: number): number => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    const a = fmix(this.a ^ this.count);
    const b = fmix(this.b ^ Math.imul(this.count, 0x9e3779b1));
    return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
  }
}
