import { EventEmitter } from "eventemitter3";
import { DEAD, EventQueue, MAX_PRIORITY } from "./event-queue.js";
import { Fingerprint } from "./fingerprint.js";
import { WakeLane, type Waker } from "./wake-lane.js";

const TWO_52 = 2 ** 52;

/** Ids of the built-in handlers, registered first by every Simulation. */
const FIRE_EVENT = 0;
const WAKE = 1;

/** Fires before everything else at the same time (process start, interrupts). */
export const URGENT = 0;
/** The default priority. Lower numbers fire first among equal times. */
export const NORMAL = 128;

/** A registered callback: receives the payload given to `schedule`. */
export type Handler<P = never> = (payload: P) => void;

export interface RunOptions {
  /**
   * Fire every event up to and including this time (ticks), then set the clock
   * to `until`. (SimPy stops *before* events at `until`; here an event at
   * exactly `until` fires, so `run({ until: t })` leaves no work due at t.)
   */
  until?: number;
}

/** Probe names the kernel itself emits. Models add their own on `sim.probes`. */
export interface KernelProbes {
  /** A run stopped: (reason, now). */
  stop: [reason: "empty" | "until" | "stopped", now: number];
}

/**
 * The simulation clock and event loop. Knows nothing of networks.
 *
 * Two ways to write a model on it:
 * - the callback path: register a handler once (`handler(fn)` → id), then
 *   `schedule(delay, id, payload)`. No closure is allocated per event; this is
 *   the path device models (ports, links, adapters) use, ns-3 style.
 * - generator processes (`process.ts`), SimPy style, for workloads and scenarios.
 *
 * Time is an integer number of ticks (see `units.ts`: 1 tick = 1 ps). Events
 * with equal time fire by priority, then in the order they were scheduled.
 */
export class Simulation {
  /** Current time in ticks. */
  now = 0;
  /** Events fired so far (cancelled events are not counted). */
  events = 0;
  /** Named probes. `emit` costs a property lookup when nobody listens. */
  readonly probes = new EventEmitter();
  private readonly queue: EventQueue;
  private readonly handlers: Handler<unknown>[] = [];
  private readonly handlerNames: string[] = [];
  private readonly fp = new Fingerprint();
  private stopped = false;
  /** The run loop must look at `stopped` or the wake lane: one flag, so the common event checks one field. */
  private attention = false;
  private running = false;
  private readonly lane = new WakeLane();
  /** Built-in handler: processes a `SimEvent` (duck-typed so the kernel loop does not import the process layer). */
  readonly fireEventHandler: number;
  /** Built-in handler: resumes a process after a plain delay or at its start. */
  readonly wakeHandler: number;

  constructor(options: { initialCapacity?: number } = {}) {
    this.queue = new EventQueue(options.initialCapacity ?? 1024);
    this.fireEventHandler = this.handler((e: { fire(): void }) => e.fire(), "event");
    this.wakeHandler = this.handler((p: Waker) => p.wake(), "process");
    // The run loop calls these two directly, not through the table: their ids are fixed.
    if (this.fireEventHandler !== FIRE_EVENT || this.wakeHandler !== WAKE)
      throw new Error("kernel: built-in handler ids");
  }

  /**
   * Registers a callback and returns its handler id. Register once per model
   * (in a constructor), not per event. The name appears in traces.
   */
  handler<P>(fn: Handler<P>, name = `h${this.handlers.length}`): number {
    this.handlers.push(fn as Handler<unknown>);
    this.handlerNames.push(name);
    return this.handlers.length - 1;
  }

  handlerName(id: number): string {
    return this.handlerNames[id] ?? `h${id}`;
  }

  /** Schedules `handler(payload)` after `delay` ticks. Returns a handle for `cancel`. */
  schedule(delay: number, handler: number, payload?: unknown, priority = NORMAL): number {
    return this.scheduleAt(this.now + delay, handler, payload, priority);
  }

  /** Schedules `handler(payload)` at absolute time `time` (ticks, ≥ now). Returns a handle for `cancel`. */
  scheduleAt(time: number, handler: number, payload?: unknown, priority = NORMAL): number {
    this.check(time, priority);
    return this.queue.push(time, priority, handler, payload);
  }

  /**
   * `schedule` for hot paths: returns the event's slot, a small integer that
   * names the event only while it is pending (`handleOf(slot)` is then its
   * handle), instead of the handle. A handle is a double, and a call that
   * returns one without being inlined allocates a heap number for it: 16
   * bytes an event, a few per cent of a process-based model's time.
   */
  post(delay: number, handler: number, payload?: unknown, priority = NORMAL): number {
    return this.postAt(this.now + delay, handler, payload, priority);
  }

  /** `scheduleAt` returning the slot (see `post`). */
  postAt(time: number, handler: number, payload?: unknown, priority = NORMAL): number {
    this.check(time, priority);
    return this.queue.add(time, priority, handler, payload);
  }

  /** The handle of the pending event in `slot` (from `post`); meaningless once that event fired or was cancelled. */
  handleOf(slot: number): number {
    return this.queue.handleOf(slot);
  }

  private check(time: number, priority: number): void {
    // Whole ticks below 2^52 are tested with + − only (x + 2^52 − 2^52 rounds x
    // to a whole number, so it equals x iff x is whole); from 2^52 ps (about 75
    // simulated minutes) on, Number.isSafeInteger.
    const whole = time < TWO_52 ? time + TWO_52 - TWO_52 === time : Number.isSafeInteger(time);
    if (!(time >= this.now && whole && priority >= 0 && priority <= MAX_PRIORITY)) this.badSchedule(time, priority);
  }

  private badSchedule(time: number, priority: number): never {
    if (!Number.isSafeInteger(time))
      throw new RangeError(`schedule: time must be a safe integer number of ticks, got ${time}`);
    if (time < this.now) throw new RangeError(`schedule: time ${time} is before now (${this.now})`);
    throw new RangeError(`schedule: priority must be an integer in [0, ${MAX_PRIORITY}], got ${priority}`);
  }

  /**
   * Calls `w.wake()` at the current time, before ordinary events: exactly
   * `schedule(0, wakeHandler, w, URGENT)` (same order, same fingerprint), but
   * through the wake lane rather than the heap, and with no handle. For
   * process starts and interrupts.
   */
  wakeNow(w: Waker): void {
    this.lane.push(w, this.queue.takeSeq());
    this.attention = true;
  }

  /** Cancels a pending event in O(1). Returns false if it already fired or was cancelled. */
  cancel(handle: number): boolean {
    return this.queue.cancel(handle);
  }

  isPending(handle: number): boolean {
    return this.queue.isPending(handle);
  }

  /** Time of the next event, or Infinity when none is pending. */
  peek(): number {
    return this.lane.length !== 0 ? this.now : this.queue.peekTime();
  }

  /** Events pending (not cancelled). */
  get pending(): number {
    return this.queue.size + this.lane.length;
  }

  /** Fires the next event. Returns false when the queue is empty. */
  step(): boolean {
    const q = this.queue;
    if (this.lane.length !== 0 && this.laneFirst(q)) {
      this.fireLane();
      return true;
    }
    q.dropDead();
    if (q.heapLength === 0) return false;
    this.fire(q);
    return true;
  }

  /**
   * Runs until the queue is empty, `until` is reached, or `stop()` is called.
   * Returns the number of events fired by this call.
   */
  run(options: RunOptions = {}): number {
    if (this.running) throw new Error("run: the simulation is already running (run() called from an event)");
    const until = options.until ?? Number.POSITIVE_INFINITY;
    if (until !== Number.POSITIVE_INFINITY && !Number.isSafeInteger(until))
      throw new RangeError(`run: until must be a whole number of ticks, got ${until}`);
    if (until < this.now) throw new RangeError(`run: until (${until}) is before now (${this.now})`);
    const q = this.queue;
    const handlers = this.handlers;
    const fp = this.fp;
    const start = this.events;
    let reason: "empty" | "until" | "stopped" = "empty";
    this.stopped = false;
    this.attention = this.lane.length !== 0;
    this.running = true;
    try {
      // The hot loop: read the top in place, release it, then call the handler,
      // which may schedule more events into the slot just freed.
      for (;;) {
        if (this.attention) {
          if (this.stopped) {
            reason = "stopped";
            break;
          }
          if (this.lane.length === 0) this.attention = false;
          else if (this.laneFirst(q)) {
            this.fireLane();
            continue;
          }
        }
        if (q.heapLength === 0) break;
        const h = q.topHandler();
        if (h === DEAD) {
          q.dropDead();
          continue;
        }
        const t = q.topTime();
        if (t > until) {
          reason = "until";
          break;
        }
        const payload = q.topPayload();
        q.fireTop();
        this.now = t;
        this.events++;
        fp.add(t, h);
        // The built-in handlers are called directly: through the table, with
        // many models' handlers behind one call site, the call is megamorphic
        // and a process step costs about 4 % more (measured after a callback model ran).
        if (h === WAKE) (payload as Waker).wake();
        else if (h === FIRE_EVENT) (payload as { fire(): void }).fire();
        else handlers[h]!(payload);
        if (q.isFiring) q.settle();
      }
    } finally {
      q.settle();
      this.running = false;
    }
    if (reason !== "stopped" && until !== Number.POSITIVE_INFINITY) {
      this.now = until;
      reason = "until";
    }
    this.probes.emit("stop", reason, this.now);
    return this.events - start;
  }

  /** Makes `run()` return after the current event. */
  stop(): void {
    this.stopped = true;
    this.attention = true;
  }

  /** Hash of the (time, handler) sequence of every event fired so far. */
  fingerprint(): string {
    return this.fp.digest();
  }

  /**
   * True when the wake lane's oldest entry (due now, URGENT) comes before the
   * heap's top: unless that is also due now, URGENT (tie key = sequence) and older.
   */
  private laneFirst(q: EventQueue): boolean {
    q.dropDead();
    return q.heapLength === 0 || q.topTime() !== this.now || q.topTie() > this.lane.headSeq();
  }

  private fireLane(): void {
    const w = this.lane.shift();
    this.events++;
    this.fp.add(this.now, WAKE);
    w.wake();
  }

  private fire(q: EventQueue): void {
    const t = q.topTime();
    const h = q.topHandler();
    const payload = q.topPayload();
    q.removeTop();
    this.now = t;
    this.events++;
    this.fp.add(t, h);
    this.handlers[h]!(payload);
  }
}
