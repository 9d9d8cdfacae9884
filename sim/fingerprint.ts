/**
 * A running hash of the event sequence (OMNeT++'s "fingerprint"): every fired
 * event folds in its time and handler id. Two runs with the same fingerprint
 * fired the same events at the same times in the same order; one changed
 * model shows up as one changed hash in CI.
 *
 * Two independent 32-bit lanes (murmur3-style mixing) give a 64-bit digest;
 * the cost is a handful of integer multiplies per event.
 */
export class Fingerprint {
  private a = 0x811c9dc5 | 0;
  private b = 0x1b873593 | 0;
  private count = 0;

  add(time: number, tag: number): void {
    // Ticks are safe integers below 2^53: split into low and high 32-bit words.
    const lo = time >>> 0;
    const hi = (time / 4294967296) >>> 0;
    let a = Math.imul(this.a ^ lo, 0xcc9e2d51);
    a = Math.imul((a << 15) | (a >>> 17), 0x1b873593) ^ hi ^ (tag << 8);
    this.a = Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64;
    let b = Math.imul(this.b ^ tag, 0x85ebca6b);
    b = Math.imul((b << 13) | (b >>> 19), 0xc2b2ae35) ^ lo;
    this.b = Math.imul((b << 11) | (b >>> 21), 9) + 0x27d4eb2f;
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
