/**
 * The future-event set: a 4-ary min-heap on parallel typed arrays.
 *
 * Order: (time, priority, insertion sequence). The heap holds each entry's
 * time and slot index; a slot holds what the heap does not move: handler id,
 * tie key (priority · 2^44 + sequence, read only when two times are equal),
 * handle sequence, payload.
 *
 * Why 4-ary: half the depth of a binary heap, and the four children of a node
 * sit next to each other in memory (one cache line for the times), which is
 * what the pop-heavy hold model spends its time on. `bench/` measures it against
 * a plain binary heap on the same arrays. Picking the smallest of four random
 * times is a coin toss for the branch predictor, so heaps up to 256 Ki entries
 * do it branch-free (see `siftDown`).
 *
 * Invariants:
 * - heap order on (time, tie) over positions [0, n), except while `firing`: the
 *   root is then the fired event, whose slot is already free, until the next
 *   `push` overwrites it or `settle()` removes it;
 * - a free slot's payload is `undefined`, and a slot's HAS_PAYLOAD flag is set
 *   iff its payload is not, so events without payload never touch `sPayload`;
 * - a cancelled event keeps its heap entry with handler DEAD until it surfaces.
 *
 * Cost: push O(log₄ n), pop O(4·log₄ n) comparisons, cancel O(1) (the slot is
 * marked dead and skipped when it reaches the top, ns-3's `Cancel`), 40 bytes
 * per pending event (8 + 4 heap; per slot a 16-byte record, 8 payload, 4 free
 * list) plus array slack.
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
const HAS_PAYLOAD = 1 << 30; // flag beside the handle sequence in a slot record

export const DEAD = -1;
/**
 * Heaps up to this size pick the smallest child without branches. Measured
 * (hold model): 1.2× faster at 1k, 1.1–1.2× at 100k, but 0.75× at 1M, where
 * the branchy sift wins because a mispredicted path still issues the next
 * level's cache misses early.
 */
const BRANCH_FREE_MAX = 2 ** 18;
/** Up to a root and its four children, `siftDownTiny`: one comparison round, inlined. */
const BRANCH_FREE_MIN = 5;
/** Beyond this size (times out of L1) the branch-free sift also prefetches the grandchildren. */
const PREFETCH_MIN = 2 ** 13;

/** 1 if `x`, else 0, without a branch. */
function bit(x: boolean): number {
  return (x as unknown as number) | 0;
}

export class EventQueue {
  /** Heap arrays, indexed by heap position. */
  private hTime: Float64Array;
  private hSlot: Int32Array;
  /** Slot arrays, indexed by slot. */
  /**
   * One 16-byte record per slot, so an event's fields share a cache line (with
   * 100k+ events pending and slots reused in random order, separate arrays
   * cost a miss each): Int32 [4·slot] handler id, [4·slot+1] handle sequence
   * | HAS_PAYLOAD; Float64 [2·slot+1] the tie key. Two views of one buffer.
   */
  private sInt: Int32Array;
  private sRec: Float64Array;
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
    this.sRec = new Float64Array(2 * c);
    this.sInt = new Int32Array(this.sRec.buffer);
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

  /** Hands out the next insertion sequence number, for an event kept outside the heap (the wake lane). */
  takeSeq(): number {
    return this.seq++;
  }

  /** Tie key (priority · 2^44 + sequence) of the top entry; the heap must not be empty. */
  topTie(): number {
    return this.sRec[(this.hSlot[0]! << 1) | 1]!;
  }

  /**
   * Adds an event; returns its handle. `time` must be a safe integer,
   * `priority` an integer in [0, 511] (lower fires first).
   */
  push(time: number, priority: number, handler: number, payload: unknown): number {
    return this.handleOf(this.add(time, priority, handler, payload));
  }

  /**
   * The handle of the pending event in `slot`. A handle is a double (up to
   * 2^53), and a call that returns one without being inlined boxes it in a
   * fresh heap number; `add` returns the slot, a small integer, instead.
   */
  handleOf(slot: number): number {
    return (this.sInt[(slot << 2) | 1]! & (HANDLE_SEQ - 1)) * SLOT_BITS + slot;
  }

  /**
   * `push` returning the event's slot, not its handle: the slot names the
   * event only while it is pending (then `handleOf(slot)` is its handle).
   */
  add(time: number, priority: number, handler: number, payload: unknown): number {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.sRec.length >> 1) this.growSlots();
      slot = this.slotsUsed++;
    }
    const tie = priority * SEQ_BITS + this.seq++;
    // An int32 counter beside the float sequence: `seq % 2^29` on a double would be an fmod call.
    const hs = this.handleSeq;
    this.handleSeq = (hs + 1) & (HANDLE_SEQ - 1);
    const si = slot << 2;
    this.sInt[si] = handler;
    // Free slots hold no payload, so an event without one never touches sPayload.
    if (payload !== undefined) {
      this.sPayload[slot] = payload;
      this.sInt[si | 1] = hs | HAS_PAYLOAD;
    } else this.sInt[si | 1] = hs;
    this.sRec[(slot << 1) | 1] = tie;
    if (this.firing) {
      // The event being fired still holds the root: replace it (one sift, not two).
      this.firing = false;
      this.hTime[0] = time;
      this.hSlot[0] = slot;
      this.siftDown(0, this.n);
    } else {
      if (this.n === this.hTime.length) this.growHeap();
      this.hTime[this.n] = time;
      this.hSlot[this.n] = slot;
      this.siftUp(this.n++);
    }
    this.live++;
    return slot;
  }

  /** Marks an event dead. Returns false if the handle is stale (fired or already cancelled). */
  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    const slot = handle % SLOT_BITS;
    this.sInt[slot << 2] = DEAD;
    this.sPayload[slot] = undefined;
    this.live--;
    return true;
  }

  /** True while the handle's event is pending and not cancelled. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_BITS;
    const seq = (handle - slot) / SLOT_BITS;
    const si = slot << 2;
    return slot < this.slotsUsed && this.sInt[si] !== DEAD && (this.sInt[si | 1]! & (HANDLE_SEQ - 1)) === seq;
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
    while (this.n > 0 && this.sInt[this.hSlot[0]! << 2] === DEAD) this.removeTopRaw(true);
  }

  topTime(): number {
    return this.hTime[0]!;
  }

  topHandler(): number {
    return this.sInt[this.hSlot[0]! << 2]!;
  }

  topPayload(): unknown {
    const slot = this.hSlot[0]!;
    return (this.sInt[(slot << 2) | 1]! & HAS_PAYLOAD) !== 0 ? this.sPayload[slot] : undefined;
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
    const si = slot << 2;
    if ((this.sInt[si | 1]! & HAS_PAYLOAD) !== 0) this.sPayload[slot] = undefined;
    this.sInt[si] = DEAD;
    this.free[this.freeTop++] = slot;
    this.live--;
    this.firing = true;
  }

  /** Removes a fired root that no `push` took over. */
  settle(): void {
    if (!this.firing) return;
    this.firing = false;
    this.moveLastToRoot();
  }

  get isFiring(): boolean {
    return this.firing;
  }

  private removeTopRaw(dead: boolean): void {
    const slot = this.hSlot[0]!;
    // Drop the payload reference so the GC can take it (skipped when there is none).
    const si = slot << 2;
    if (!dead && (this.sInt[si | 1]! & HAS_PAYLOAD) !== 0) this.sPayload[slot] = undefined;
    this.sInt[si] = DEAD;
    this.free[this.freeTop++] = slot;
    this.moveLastToRoot();
  }

  private moveLastToRoot(): void {
    const last = --this.n;
    if (last > 0) {
      this.hTime[0] = this.hTime[last]!;
      this.hSlot[0] = this.hSlot[last]!;
      this.siftDown(0, last);
    }
  }

  // The sifts take positions only, never a time or tie key: a double argument
  // to a call V8 does not inline is boxed in a fresh HeapNumber, which was
  // 16–32 bytes of garbage per event. The entry to place waits at `pos`.

  /** Moves the entry at `pos` up to its place. */
  private siftUp(pos: number): void {
    const ht = this.hTime;
    const hk = this.sRec;
    const hs = this.hSlot;
    const time = ht[pos]!;
    const slot = hs[pos]!;
    const tie = hk[(slot << 1) | 1]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = ht[parent]!;
      if (pt < time || (pt === time && hk[(hs[parent]! << 1) | 1]! < tie)) break;
      ht[pos] = pt;
      hs[pos] = hs[parent]!;
      pos = parent;
    }
    ht[pos] = time;
    hs[pos] = slot;
  }

  /**
   * Moves the entry at `pos` down to its place, in a heap of `n` entries.
   * Bottom-up (Wegener): walk the hole down along the smallest children without
   * comparing against the new entry, then sift the entry up from there. The
   * entry is usually the heap's last leaf, so it belongs near the bottom and
   * this saves one comparison per level; ties are read only when times are equal.
   */
  private siftDown(pos: number, n: number): void {
    // Two functions, not one with a flag: each keeps its own type feedback and
    // machine code, so a run that grows past the limit does not deoptimize the other.
    if (n <= BRANCH_FREE_MIN && pos === 0) this.siftDownTiny(n);
    else if (n <= BRANCH_FREE_MAX) this.siftDownBranchFree(pos, n);
    else this.siftDownBranchy(pos, n);
  }

  /**
   * `siftDown` for a root and at most four children (a few timers: most
   * models): the entry at the root swaps with its smallest child or stays.
   * Short enough for V8 to inline where the general sifts are calls.
   */
  private siftDownTiny(n: number): void {
    if (n <= 1) return;
    const ht = this.hTime;
    const hk = this.sRec;
    const hs = this.hSlot;
    let best = 1;
    let bt = ht[1]!;
    for (let c = 2; c < n; c++) {
      const ct = ht[c]!;
      if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
        best = c;
        bt = ct;
      }
    }
    const time = ht[0]!;
    const slot = hs[0]!;
    if (bt < time || (bt === time && hk[(hs[best]! << 1) | 1]! < hk[(slot << 1) | 1]!)) {
      ht[0] = bt;
      hs[0] = hs[best]!;
      ht[best] = time;
      hs[best] = slot;
    }
  }

  /** `siftDown` for heaps up to BRANCH_FREE_MAX: the smallest of four children without branches. */
  private siftDownBranchFree(pos: number, n: number): void {
    const ht = this.hTime;
    const hk = this.sRec;
    const hs = this.hSlot;
    const time = ht[pos]!;
    const slot = hs[pos]!;
    const prefetch = n > PREFETCH_MIN;
    for (;;) {
      const first = (pos << 2) + 1;
      if (first >= n) break;
      let best = first;
      let bt = ht[first]!;
      if (first + 3 < n) {
        // Full node: a branch-free tournament on times ((x < y) | 0 compiles to
        // a setcc, not a jump: the winner among four random times is a coin
        // toss the branch predictor loses half the time). Equal times need the
        // tie key: rare, so they take the exact comparison below.
        const t0 = ht[first]!;
        const t1 = ht[first + 1]!;
        const t2 = ht[first + 2]!;
        const t3 = ht[first + 3]!;
        // Out of L1, touch the grandchildren's lines now: their addresses do not
        // depend on this level's comparisons, so the loads overlap with them.
        // (`pf < 0` below never holds, times are ≥ 0; it keeps the loads alive.)
        const g = (first << 2) + 1;
        const pf = prefetch && g + 15 < n ? ht[g]! + ht[g + 8]! + ht[g + 15]! : 0;
        const a = first + bit(t1 < t0);
        const b = first + 2 + bit(t3 < t2);
        const ta = ht[a]!;
        const tb = ht[b]!;
        if ((bit(t0 === t1) | bit(t2 === t3) | bit(ta === tb) | bit(pf < 0)) === 0) {
          const bb = bit(tb < ta);
          best = a + bb * (b - a);
          bt = ht[best]!;
        } else {
          for (let c = first + 1; c < first + 4; c++) {
            const ct = ht[c]!;
            if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
              best = c;
              bt = ct;
            }
          }
        }
      } else {
        for (let c = first + 1; c < n; c++) {
          const ct = ht[c]!;
          if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
            best = c;
            bt = ct;
          }
        }
      }
      ht[pos] = bt;
      hs[pos] = hs[best]!;
      pos = best;
    }
    ht[pos] = time;
    hs[pos] = slot;
    this.siftUp(pos);
  }

  /** `siftDown` for large heaps: plain branches (see BRANCH_FREE_MAX). */
  private siftDownBranchy(pos: number, n: number): void {
    const ht = this.hTime;
    const hk = this.sRec;
    const hs = this.hSlot;
    const time = ht[pos]!;
    const slot = hs[pos]!;
    for (;;) {
      const first = (pos << 2) + 1;
      if (first >= n) break;
      let best = first;
      let bt = ht[first]!;
      if (first + 3 < n) {
        // Full node: four children, unrolled.
        let c = first + 1;
        let ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
          best = c;
          bt = ct;
        }
        c++;
        ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
          best = c;
          bt = ct;
        }
        c++;
        ct = ht[c]!;
        if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
          best = c;
          bt = ct;
        }
      } else {
        for (let c = first + 1; c < n; c++) {
          const ct = ht[c]!;
          if (ct < bt || (ct === bt && hk[(hs[c]! << 1) | 1]! < hk[(hs[best]! << 1) | 1]!)) {
            best = c;
            bt = ct;
          }
        }
      }
      ht[pos] = bt;
      hs[pos] = hs[best]!;
      pos = best;
    }
    ht[pos] = time;
    hs[pos] = slot;
    this.siftUp(pos);
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
    const c = this.sRec.length; // twice the slots
    if (c > SLOT_BITS) throw new RangeError(`event queue: more than ${SLOT_BITS} events pending at once`);
    const r = new Float64Array(2 * c);
    r.set(this.sRec);
    this.sRec = r;
    this.sInt = new Int32Array(r.buffer);
    const f = new Int32Array(c);
    f.set(this.free);
    this.free = f;
    for (let i = this.sPayload.length; i < c; i++) this.sPayload.push(undefined);
  }
}

export { MAX_PRIORITY };
