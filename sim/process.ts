import type { Waiter } from "./event.js";
import { PROCESSED, SimEvent } from "./event.js";
import type { Simulation } from "./simulation.js";

/**
 * What a process may yield: a delay in ticks (no allocation, the fast path) or
 * an event to wait for (a timeout, a resource request, another process, a condition).
 */
export type Yieldable = number | SimEvent<unknown>;

/** A process body: a generator that yields delays or events and may return a value. */
export type ProcessBody<R> = Generator<Yieldable, R, unknown>;

/** Thrown into a process by `interrupt()`; `cause` says why. */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    super(`interrupted: ${String(cause)}`);
    this.name = "Interrupt";
  }
}

const IDLE = -1;

/**
 * A SimPy-style process: a generator driven by the kernel. It is itself an
 * event that succeeds with the generator's return value (or fails with what it
 * throws), so other processes can wait for it.
 *
 * Resumption is synchronous and in kernel order: no Promises, no microtasks.
 * Yielding an event that is already processed continues at once.
 */
export class Process<R = unknown> extends SimEvent<R> implements Waiter {
  /** The event this process waits on, if any. */
  private target: SimEvent<unknown> | null = null;
  /**
   * Kernel slot of the pending plain-delay wake-up, else IDLE (the start goes
   * through the wake lane and needs none: an interrupt always comes after it).
   * A slot (a small integer, see `Simulation.post`) rather than a handle:
   * while it is set, the wake-up is pending, so the slot still names it.
   */
  private timerSlot = IDLE;

  constructor(
    sim: Simulation,
    private readonly body: ProcessBody<R>,
    readonly name = "process",
  ) {
    super(sim);
    // Start at the current time, before ordinary events (SimPy's Initialize: an URGENT event).
    sim.wakeNow(this);
  }

  /** True until the generator returns or throws. */
  get isAlive(): boolean {
    return !this.triggered;
  }

  /** Kernel callback: the start (from the wake lane) or a plain delay has elapsed. */
  wake(): void {
    this.timerSlot = IDLE;
    this.advance(undefined, false);
  }

  /** Waiter callback: the awaited event was processed. */
  onEvent(event: SimEvent<unknown>): void {
    this.target = null;
    if (!event.ok) event.defused = true;
    this.advance(event.value, !event.ok);
  }

  /**
   * Throws an `Interrupt(cause)` into the process at the current time, before
   * ordinary events. What it was waiting for is forgotten (a resource request
   * stays queued: release it in a `finally` or `catch`).
   */
  interrupt(cause?: unknown): void {
    if (!this.isAlive) throw new Error(`interrupt: ${this.name} has already finished`);
    this.sim.wakeNow({ wake: () => this.deliverInterrupt(cause) });
  }

  private deliverInterrupt(cause: unknown): void {
    if (!this.isAlive) return; // finished in the meantime
    if (this.timerSlot !== IDLE) {
      this.sim.cancel(this.sim.handleOf(this.timerSlot));
      this.timerSlot = IDLE;
    }
    if (this.target !== null) {
      this.target.removeWaiter(this);
      this.target = null;
    }
    this.advance(new Interrupt(cause), true);
  }

  /** Runs the generator until it waits on something not yet processed, or ends. */
  private advance(input: unknown, isError: boolean): void {
    const body = this.body;
    for (;;) {
      let step: IteratorResult<Yieldable, R>;
      try {
        step = isError ? body.throw(input) : body.next(input);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (step.done === true) {
        // Nobody waits: the result is final now, and saving the kernel event
        // matters (one per process). A later `yield process` reads the value at once.
        if (this.hasWaiters) this.succeed(step.value);
        else this.resolveNow(step.value);
        return;
      }
      const y = step.value;
      if (typeof y === "number") {
        if (y >= 0 && Number.isSafeInteger(y)) {
          this.timerSlot = this.sim.post(y, this.sim.wakeHandler, this);
          return;
        }
        // A bad delay is the process's mistake: throw it into the process, not out of run().
        input = new RangeError(`${this.name} yielded a delay of ${y}: delays are whole, non-negative ticks`);
        isError = true;
        continue;
      }
      if (y instanceof SimEvent) {
        if (y.state === PROCESSED) {
          input = y.value;
          isError = !y.ok;
          if (isError) y.defused = true;
          continue;
        }
        this.target = y;
        y.addWaiter(this);
        return;
      }
      input = new TypeError(`${this.name} yielded ${String(y)}: yield a delay in ticks or an event`);
      isError = true;
    }
  }
}
