/**
 * A binary min-heap of (key, id, stamp) triples on parallel typed arrays, for the
 * water-filling's "which resource fills next". Keys change as flows freeze; instead of
 * a decrease-key the caller pushes a fresh entry and bumps the id's stamp, and stale
 * entries (an old stamp) are skipped when they reach the top (lazy deletion).
 * push and pop are O(log size); ties on the key pop in id order, so runs are deterministic.
 */
export class StampedHeap {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64);
  private stamps = new Int32Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  push(key: number, id: number, stamp: number): void {
    if (this.n === this.keys.length) this.grow();
    let i = this.n++;
    const { keys, ids, stamps } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && ids[parent]! <= id)) break;
      keys[i] = pk;
      ids[i] = ids[parent]!;
      stamps[i] = stamps[parent]!;
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
    stamps[i] = stamp;
  }

  /** Key of the top entry (Infinity when empty). */
  topKey(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : this.keys[0]!;
  }

  topId(): number {
    return this.ids[0]!;
  }

  topStamp(): number {
    return this.stamps[0]!;
  }

  /** Removes the top entry. */
  pop(): void {
    const last = --this.n;
    if (last <= 0) return;
    const { keys, ids, stamps } = this;
    const key = keys[last]!;
    const id = ids[last]!;
    const stamp = stamps[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (keys[r]! < keys[c]! || (keys[r] === keys[c] && ids[r]! < ids[c]!))) c = r;
      const ck = keys[c]!;
      if (key < ck || (key === ck && id <= ids[c]!)) break;
      keys[i] = ck;
      ids[i] = ids[c]!;
      stamps[i] = stamps[c]!;
      i = c;
    }
    keys[i] = key;
    ids[i] = id;
    stamps[i] = stamp;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    const stamps = new Int32Array(cap);
    stamps.set(this.stamps);
    this.keys = keys;
    this.ids = ids;
    this.stamps = stamps;
  }
}
