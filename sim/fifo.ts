/**
 * A growable ring buffer: O(1) push, shift and peek with no per-item
 * allocation, unlike `Array.prototype.shift` which is O(n) on large arrays.
 * The capacity is a power of two (positions wrap with a mask, not a division) and starts
 * small: a ring cycles through all its slots, so one sized to its usual occupancy stays in
 * one or two cache lines (a simulated site has tens of thousands of them).
 */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    let size = 4;
    while (size < capacity) size *= 2;
    this.items = new Array<T | undefined>(size).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** Item at position i from the head (0 = next out). */
  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.head + i) & (this.items.length - 1)];
  }

  /** Removes the first occurrence of `item` (O(n)); returns whether it was there. */
  remove(item: T): boolean {
    for (let i = 0; i < this.count; i++) {
      const k = (this.head + i) % this.items.length;
      if (this.items[k] === item) {
        for (let j = i; j < this.count - 1; j++) {
          this.items[(this.head + j) % this.items.length] = this.items[(this.head + j + 1) % this.items.length];
        }
        this.items[(this.head + this.count - 1) % this.items.length] = undefined;
        this.count--;
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) % this.items.length] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
