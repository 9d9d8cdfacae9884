import type { Simulation } from "./simulation.js";
import { NORMAL } from "./simulation.js";

/** Something that reacts when an event it waits on is processed (a process, a condition). */
export interface Waiter {
  onEvent(event: SimEvent<unknown>): void;
}

export const PENDING = 0;
/** Succeeded or failed; its processing is scheduled. */
export const TRIGGERED = 1;
/** Processed: waiters have run and its value is final. */
export const PROCESSED = 2;

/**
 * A one-shot event, SimPy style: pending → triggered (`succeed`/`fail`
 * schedules its processing) → processed (waiters resumed). Processes wait on
 * events by yielding them; resources, timeouts and conditions are all events.
 *
 * A failed event that nobody waits on throws when processed: failures are
 * never silent unless a waiter took them (`defused`).
 */
export class SimEvent<T = unknown> {
  state: 0 | 1 | 2 = PENDING;
  ok = true;
  value: T | undefined = undefined;
  /** Set when a waiter has taken the failure, so processing does not throw. */
  defused = false;
  // One waiter is the common case (one process per request): keep it unboxed.
  private waiter: Waiter | null = null;
  private more: Waiter[] | null = null;

  constructor(readonly sim: Simulation) {}

  get triggered(): boolean {
    return this.state !== PENDING;
  }

  get processed(): boolean {
    return this.state === PROCESSED;
  }

  /** Triggers the event with `value`; waiters resume after `delay` ticks (default now). */
  succeed(value?: T, delay = 0, priority = NORMAL): this {
    if (this.state !== PENDING) throw new Error("event: already triggered");
    this.state = TRIGGERED;
    this.value = value;
    this.sim.post(delay, this.sim.fireEventHandler, this, priority);
    return this;
  }

  /** Triggers the event as failed; waiters receive `error` thrown into them. */
  fail(error: unknown, delay = 0, priority = NORMAL): this {
    if (this.state !== PENDING) throw new Error("event: already triggered");
    this.state = TRIGGERED;
    this.ok = false;
    this.value = error as T;
    this.sim.post(delay, this.sim.fireEventHandler, this, priority);
    return this;
  }

  /**
   * Marks the event succeeded and processed at once, with no kernel event.
   * For results known synchronously (a free resource granted on request): a
   * process yielding it continues without a round trip through the queue.
   */
  resolveNow(value?: T): this {
    if (this.state !== PENDING) throw new Error("event: already triggered");
    this.value = value;
    this.state = PROCESSED;
    return this;
  }

  /** True while some process or condition waits on this event. */
  get hasWaiters(): boolean {
    return this.waiter !== null;
  }

  addWaiter(w: Waiter): void {
    if (this.state === PROCESSED) throw new Error("event: already processed; read its value instead of waiting");
    if (this.waiter === null) this.waiter = w;
    else if (this.more === null) this.more = [w];
    else this.more.push(w);
  }

  removeWaiter(w: Waiter): void {
    if (this.waiter === w) {
      this.waiter = this.more !== null && this.more.length > 0 ? this.more.shift()! : null;
      return;
    }
    if (this.more !== null) {
      const i = this.more.indexOf(w);
      if (i >= 0) this.more.splice(i, 1);
    }
  }

  /** Called by the kernel when the event's processing time comes. */
  fire(): void {
    this.state = PROCESSED;
    const first = this.waiter;
    const more = this.more;
    this.waiter = null;
    this.more = null;
    if (first !== null) first.onEvent(this);
    if (more !== null) for (const w of more) w.onEvent(this);
    if (!this.ok && !this.defused) {
      throw this.value instanceof Error ? this.value : new Error(`unhandled failed event: ${String(this.value)}`);
    }
  }
}

/** An event that succeeds by itself after `delay` ticks. */
export function timeout<T = undefined>(sim: Simulation, delay: number, value?: T): SimEvent<T> {
  return new SimEvent<T>(sim).succeed(value, delay);
}
