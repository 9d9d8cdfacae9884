/**
 * The benchmark's yardstick: a plain binary min-heap on parallel typed arrays
 * (Float64Array times, Uint32Array sequence numbers, Int32Array handler ids)
 * with straightforward sift-up and sift-down, ordered by (time, sequence).
 * No cancel, no priorities, no payloads: the least a DES queue can do.
 */
export class ReferenceHeap {
  time: Float64Array;
  seq: Uint32Array;
  handler: Int32Array;
  size = 0;
  private nextSeq = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.seq = new Uint32Array(capacity);
    this.handler = new Int32Array(capacity);
  }

  private less(i: number, j: number): boolean {
    const ti = this.time[i]!;
    const tj = this.time[j]!;
    return ti < tj || (ti === tj && this.seq[i]! < this.seq[j]!);
  }

  private swap(i: number, j: number): void {
    const t = this.time[i]!;
    this.time[i] = this.time[j]!;
    this.time[j] = t;
    const s = this.seq[i]!;
    this.seq[i] = this.seq[j]!;
    this.seq[j] = s;
    const h = this.handler[i]!;
    this.handler[i] = this.handler[j]!;
    this.handler[j] = h;
  }

  push(time: number, handler: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    this.time[i] = time;
    this.seq[i] = this.nextSeq++;
    this.handler[i] = handler;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes the minimum; its time and handler are left in `lastTime` / `lastHandler`. */
  lastTime = 0;
  lastHandler = 0;
  pop(): void {
    this.lastTime = this.time[0]!;
    this.lastHandler = this.handler[0]!;
    const n = --this.size;
    this.time[0] = this.time[n]!;
    this.seq[0] = this.seq[n]!;
    this.handler[0] = this.handler[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(r, l) ? r : l;
      if (!this.less(m, i)) break;
      this.swap(i, m);
      i = m;
    }
  }

  private grow(): void {
    const c = this.time.length * 2;
    const t = new Float64Array(c);
    t.set(this.time);
    this.time = t;
    const s = new Uint32Array(c);
    s.set(this.seq);
    this.seq = s;
    const h = new Int32Array(c);
    h.set(this.handler);
    this.handler = h;
  }
}
