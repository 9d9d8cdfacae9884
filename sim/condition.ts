import type { Waiter } from "./event.js";
import { PROCESSED, SimEvent } from "./event.js";
import type { Simulation } from "./simulation.js";

/** Result of `anyOf`: which event fired first and its value. */
export interface FirstOf {
  index: number;
  value: unknown;
}

/**
 * Waits for all of `events`; succeeds with their values in order, or fails with
 * the first failure. An empty list succeeds at once.
 */
export function allOf(sim: Simulation, events: readonly SimEvent<unknown>[]): SimEvent<unknown[]> {
  const result = new SimEvent<unknown[]>(sim);
  let remaining = events.length;
  const finish = (): void => {
    result.succeed(events.map((e) => e.value));
  };
  const waiter: Waiter = {
    onEvent(e) {
      if (result.triggered) return;
      if (!e.ok) {
        e.defused = true;
        result.fail(e.value);
      } else if (--remaining === 0) finish();
    },
  };
  for (const e of events) {
    if (e.state === PROCESSED) {
      if (!e.ok) {
        result.fail(e.value);
        return result;
      }
      remaining--;
    } else e.addWaiter(waiter);
  }
  if (remaining === 0 && !result.triggered) finish();
  return result;
}

/**
 * Waits for the first of `events` to be processed; succeeds with its index and
 * value (fails if that first event failed). The others are left alone.
 */
export function anyOf(sim: Simulation, events: readonly SimEvent<unknown>[]): SimEvent<FirstOf> {
  if (events.length === 0) throw new RangeError("anyOf: needs at least one event");
  const result = new SimEvent<FirstOf>(sim);
  const settle = (index: number, e: SimEvent<unknown>): void => {
    events.forEach((other, i) => {
      if (other !== e && other.state !== PROCESSED) other.removeWaiter(waiters[i]!);
    });
    if (e.ok) result.succeed({ index, value: e.value });
    else {
      e.defused = true;
      result.fail(e.value);
    }
  };
  const already = events.findIndex((e) => e.state === PROCESSED);
  const waiters: Waiter[] = events.map((_, index) => ({
    onEvent(e: SimEvent<unknown>) {
      if (!result.triggered) settle(index, e);
    },
  }));
  if (already >= 0) {
    settle(already, events[already]!);
    return result;
  }
  events.forEach((e, i) => {
    e.addWaiter(waiters[i]!);
  });
  return result;
}
