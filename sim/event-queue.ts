/**
 * The future-event set: a 4-ary min-heap on parallel typed arrays.
 *
 * Order: (time, priority, insertion sequence). Time and a combined tie key
 * (priority · 2^44 + sequence) live inline in the heap so a sift compares two
 * Float64 reads and never chases a pointer; the entry's slot index rides along.
 * A slot holds what the heap does not move: handler id, payload, generation.
 *
 * Why 4-ary: half the depth of a binary heap, and the four children of a node
 * sit next to each other in memory (one cache line for the times), which is
 * what the pop-heavy hold model spends its time on. `bench/` measures it against
 * a plain binary heap on the same arrays.
 *
 * Cost: push O(log₄ n), pop O(4·log₄ n) comparisons, cancel O(1) (the slot is
 * marked dead and skipped when it reaches the top, ns-3's `Cancel`), ~44 bytes
 * per pending event (8+4 heap; 4 handler + 8 tie + 4 handle check + 8 payload + 4 free list per slot) plus array slack.
 *
 * Handles are `(sequence mod 2^29) · 2^24 + slot`: a handle whose event already
 * fired or was cancelled (its slot free, or reused by a later sequence number)
 * is recognised as stale — unless held across 2^29 later events that happen to
 * reuse its slot, far beyond any timer's life.
 */

const SEQ_BITS = 2 ** 44; // 1.7e13 events before the sequence would reach the priority bits
const MAX_PRIORITY = 511; // priority · 2^44 + seq stays below 2^53
const SLOT_BITS = 2 ** 24; // at most 16.7 M events pending at once
const HANDLE_SEQ = 2 ** 29; // sequence bits kept in a handle; handle stays a safe integer

export const DEAD = -1;

export class EventQueue {
  /** Heap arrays, indexed by heap position. */
  private hTime: Float64Array;
  private hSlot: Int32Array;
  /** Slot arrays, indexed by slot. */
  private sHandler: Int32Array;
  /** priority · 2^44 + sequence; read only when two times are equal. */
  private sTie: Float64Array;
  /** Sequence mod 2^29 of the slot's event: validates handles with integer arithmetic. */
  private sHandleSeq: Int32Array;
  private handleSeq = 0;
  private sPayload: unknown[];
  private free: Int32Array;
  private freeTop = 0;
  private slotsUsed = 0;
  private n = 0;
  private seq = 0;
  /** Live (not cancelled) events in the heap. */
  private live = 0;
  /** The root entry has fired; its slot is free but the entry still sits at the root. */
  private firing = false;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity | 0);
    this.hTime = new Float64Array(c);
    this.hSlot = new Int32Array(c);
    this.sHandler = new Int32Array(c);
    this.sTie = new Float64Array(c);
    this.sHandleSeq = new Int32Array(c);
    this.sPayload = new Array<unknown>(c).fill(undefined);
    this.free = new Int32Array(c);
  }

  /** Events pending and not cancelled. */
  get size(): number {
    return this.live;
  }

  /** Entries physically in the heap, cancelled ones included (for memory accounting). */
  get heapLength(): number {
    return this.n;
  }

  /** Insertion sequence numbers handed out so far. */
  get sequence(): number {
    return this.seq;
  }

  /**
   * Adds an event; returns its handle. `time` must be a safe integer,
   * `priority` an integer in [0, 511] (lower fires first).
   */
  push(time: number, priority: number, handler: number, payload: unknown): number {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.sHandler.length) this.growSlots();
      slot = this.slotsUsed++;
    }
    this.sHandler[slot] = handler;
    this.sPayload[slot] = payload;
    const tie = priority * SEQ_BITS + this.seq++;
    this.sTie[slot] = tie;
    // An int32 counter beside the float sequence: `seq % 2^29` on a double would be an fmod call.
    const hs = this.handleSeq;
    this.handleSeq = (hs + 1) & (HANDLE_SEQ - 1);
    this.sHandleSeq[slot] = hs;
    if (this.firing) {
      // The event being fired still holds the root: replace it (one sift, not two).
      this.firing = false;
      this.siftDown(0, time, tie, slot, this.n);
    } else {
      if (this.n === this.hTime.length) this.growHeap();
      this.siftUp(this.n++, time, tie, slot);
    }
    this.live++;
    return hs * SLOT_BITS + slot;
  }

  /** Marks an event dead. Returns false if the handle is stale (fired or already cancelled). */
  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    const slot = handle % SLOT_BITS;
    this.sHandler[slot] = DEAD;
    this.sPayload[slot] = undefined;
    this.live--;
    return true;
  }

  /** True while the handle's event is pending and not cancelled. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_BITS;
    const seq = (handle - slot) / SLOT_BITS;
    return slot < this.slotsUsed && this.sHandler[slot] !== DEAD && this.sHandleSeq[slot] === seq;
  }

  /** Time of the next live event, or Infinity. Drops dead entries it finds on top. */
  peekTime(): number {
    this.settle();
    this.dropDead();
    return this.n > 0 ? this.hTime[0]! : Number.POSITIVE_INFINITY;
  }

  // The pop is split in three so the hot loop can read the top without an
  // allocation: `top*()` read it, `removeTop()` releases it.

  /** Discards cancelled events sitting on top of the heap. */
  dropDead(): void {
    this.settle();
    while (this.n > 0 && this.sHandler[this.hSlot[0]!] === DEAD) this.removeTopRaw(true);
  }

  topTime(): number {
    return this.hTime[0]!;
  }

  topHandler(): number {
    return this.sHandler[this.hSlot[0]!]!;
  }

  topPayload(): unknown {
    return this.sPayload[this.hSlot[0]!];
  }

  /** Removes the (live) top event and frees its slot. */
  removeTop(): void {
    this.live--;
    this.removeTopRaw(false);
  }

  /**
   * Frees the (live) top event's slot but leaves its entry at the root until the
   * handler's first `push` takes the root over or `settle()` removes it. A
   * handler that schedules one follow-up event (the common case: a port's next
   * transmission, a process's next timeout) then costs one sift instead of two.
   */
  fireTop(): void {
    const slot = this.hSlot[0]!;
    if (this.sPayload[slot] !== undefined) this.sPayload[slot] = undefined;
    this.sHandler[slot] = DEAD;
    this.free[this.freeTop++] = slot;
    this.live--;
    this.firing = true;
  }

  /** Removes a fired root that no `push` took over. */
  settle(): void {
    if (!this.firing) return;
    this.firing = false;
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.hTime[last]!, this.sTie[this.hSlot[last]!]!, this.hSlot[last]!, last);
  }

  get isFiring(): boolean {
    return this.firing;
  }

  private removeTopRaw(dead: boolean): void {
    const slot = this.hSlot[0]!;
    // Drop the payload reference so the GC can take it (skipped when there is none).
    if (!dead && this.sPayload[slot] !== undefined) this.sPayload[slot] = undefined;
    this.sHandler[slot] = DEAD;
    this.free[this.freeTop++] = slot;
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.hTime[last]!, this.sTie[this.hSlot[last]!]!, this.hSlot[last]!, last);
  }

  private siftUp(pos: number, time: number, tie: number, slot: number): void {
    const ht = this.hTime;
    const hk = this.sTie;
    const hs = this.hSlot;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = ht[parent]!;
      if (pt < time || (pt === time && hk[hs[parent]!]! < tie)) break;
      ht[pos] = pt;
      hs[pos] = hs[parent]!;
      pos = parent;
    }
    ht[pos] = time;
    hs[pos] = slot;
  }

  /**
   * Fills the hole at `pos` with (time, tie, slot), in a heap of `n` entries.
   * Bottom-up (Wegener): walk the hole down along the smallest children without
   * comparing against the new entry, then sift the entry up from there. The
   * entry is usually the heap's last leaf, so it belongs near the bottom and
   * this saves one comparison per level; ties are read only when times are equal.
   */
  private siftDown(pos: number, time: number, tie: number, slot: number, n: number): void {
    const ht = this.hTime;
    const hk = this.sTie;
    const hs = this.hSlot;
    for (;;) {
      const first = (pos << 2) + 1;
      if (first >= n) break;
      let best = first;
      let bt = ht[first]!;
      if (first + 3 < n) {
        // Full node: four children, unrolled.
        let c = first + 1;
        let ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[hs[c]!]! < hk[hs[best]!]!)) {
          best = c;
          bt = ct;
        }
        c++;
        ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[hs[c]!]! < hk[hs[best]!]!)) {
          best = c;
          bt = ct;
        }
        c++;
        ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[hs[c]!]! < hk[hs[best]!]!)) {
          best = c;
          bt = ct;
        }
      } else {
        for (let c = first + 1; c < n; c++) {
          const ct = ht[c]!;
          if (ct < bt || (ct === bt && hk[hs[c]!]! < hk[hs[best]!]!)) {
            best = c;
            bt = ct;
          }
        }
      }
      ht[pos] = bt;
      hs[pos] = hs[best]!;
      pos = best;
    }
    this.siftUp(pos, time, tie, slot);
  }

  private growHeap(): void {
    const c = this.hTime.length * 2;
    const t = new Float64Array(c);
    t.set(this.hTime);
    this.hTime = t;
    const s = new Int32Array(c);
    s.set(this.hSlot);
    this.hSlot = s;
  }

  private growSlots(): void {
    const c = this.sHandler.length * 2;
    if (c > SLOT_BITS) throw new RangeError(`event queue: more than ${SLOT_BITS} events pending at once`);
    const h = new Int32Array(c);
    h.set(this.sHandler);
    this.sHandler = h;
    const k = new Float64Array(c);
    k.set(this.sTie);
    this.sTie = k;
    const hq = new Int32Array(c);
    hq.set(this.sHandleSeq);
    this.sHandleSeq = hq;
    const f = new Int32Array(c);
    f.set(this.free);
    this.free = f;
    for (let i = this.sPayload.length; i < c; i++) this.sPayload.push(undefined);
  }
}

export { MAX_PRIORITY };
