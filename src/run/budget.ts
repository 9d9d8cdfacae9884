/**
 * Budgets, not hangs. Two kinds:
 * - size limits before anything is built (`src/topology/size.ts`, checked by the
 *   loaders; `runProblem` re-checks a run's estimated events after the command
 *   line changed its duration or replications);
 * - a run budget while it runs: simulated events and wall-clock seconds. A run
 *   advances in slices of about CHECK_EVERY events (slicing never changes a
 *   result: the kernel fires the same events in the same order); past a budget
 *   it stops at the end of a slice, and the result covers what ran, labelled
 *   `partial`, with every message still delivered, dropped or in flight.
 *
 * The event budget is on by default (a run's event count does not depend on the
 * machine, so neither does where it stops); the wall-clock budget only on request
 * (`--max-wall`), since it would make results depend on the machine's speed.
 * Browser-safe.
 */

import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { RunResult } from "../metrics/result.js";
import { estimateRun, eventsProblem } from "../topology/semantic.js";
import { DEFAULT_LIMITS, type SizeLimits } from "../topology/size.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { Replication, ReplicationResult } from "./replication.js";

export interface RunBudget {
  /** Simulated events of the whole command (every replication and run); Infinity for none. */
  readonly maxEvents: number;
  /** Wall-clock seconds of the whole command; Infinity for none. */
  readonly maxWallSeconds: number;
}

/**
 * Twice the default size limit's events: a run the estimate let through stops only
 * when the estimate was off by more than a factor of two (about 30 minutes at the
 * fabric model's speed). No wall-clock budget by default.
 */
export const DEFAULT_RUN_BUDGET: RunBudget = {
  maxEvents: 2 * DEFAULT_LIMITS.events,
  maxWallSeconds: Number.POSITIVE_INFINITY,
};

/** The run budget from a command line's `--max-events N` and `--max-wall SECONDS` (defaults: DEFAULT_RUN_BUDGET). */
export function runBudget(opts: { maxEvents?: number | undefined; maxWall?: number | undefined }): RunBudget {
  return {
    maxEvents: opts.maxEvents ?? DEFAULT_RUN_BUDGET.maxEvents,
    maxWallSeconds: opts.maxWall ?? DEFAULT_RUN_BUDGET.maxWallSeconds,
  };
}

/** Events between two looks at the budget (and the clock): a few tenths of a second of simulation. */
export const CHECK_EVERY = 200_000;
/** The first slice of each call: 1 us of simulated time. */
const FIRST_STEP = 1_000_000;

/** Why a run stopped early. */
export interface BudgetHit {
  readonly reason: "events" | "wall";
  /** The budget that was passed (events, or seconds). */
  readonly limit: number;
  /** What had been used when the run stopped. */
  readonly used: number;
}

/** The label a partial result carries. */
export interface PartialInfo {
  readonly reason: "event budget" | "wall-clock budget";
  /** Events, or seconds, as given. */
  readonly limit: number;
  /** Simulated seconds the result covers, and the run's planned length. */
  readonly stoppedAtSeconds: number;
  readonly plannedSeconds: number;
  /** Replications in the result, of those planned. */
  readonly replications: number;
  readonly plannedReplications: number;
  /** How to get the whole result. */
  readonly hint: string;
}

export type MaybePartialResult = RunResult & { partial?: PartialInfo };

/** Keeps the account of one command: events fired and wall time since it started. */
export class BudgetClock {
  private eventsBefore = 0;
  private readonly started: number;

  constructor(
    readonly budget: RunBudget = DEFAULT_RUN_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Adds the events of a run that finished (or stopped). */
  addEvents(n: number): void {
    this.eventsBefore += n;
  }

  /** Events so far: those added plus `running` from the run in progress. */
  events(running = 0): number {
    return this.eventsBefore + running;
  }

  wallSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  /** The budget passed, if any, with `running` events from the run in progress. */
  check(running = 0): BudgetHit | null {
    const events = this.events(running);
    if (events > this.budget.maxEvents) return { reason: "events", limit: this.budget.maxEvents, used: events };
    const wall = this.wallSeconds();
    if (wall > this.budget.maxWallSeconds) return { reason: "wall", limit: this.budget.maxWallSeconds, used: wall };
    return null;
  }
}

/**
 * Advances `rep` to `ticks` (capped at its end) in slices of about CHECK_EVERY
 * events, checking `clock` after each. Returns the hit, or null when `ticks` was
 * reached within budget; a run that reached its end is complete, whatever it
 * cost (check the clock before starting the next one). The events of `rep`
 * count as running until the caller adds them to the clock.
 */
export function advanceWithin(rep: Replication, ticks: number, clock: BudgetClock): BudgetHit | null {
  const until = Math.min(ticks, rep.endTicks);
  // Ticks per slice: from 1 us, adapted to the events each slice held (at most 8× per slice,
  // so a run denser than it looked overshoots the budget by about one slice, not by its whole length).
  let step = FIRST_STEP;
  while (rep.sim.now < until) {
    const from = rep.sim.now;
    const before = rep.sim.events;
    rep.advanceTo(Math.min(until, from + step));
    if (rep.done) return null;
    const hit = clock.check(rep.sim.events);
    if (hit !== null) return hit;
    const fired = rep.sim.events - before;
    const took = rep.sim.now - from;
    const wanted = fired === 0 ? step * 8 : (took * CHECK_EVERY) / fired;
    step = Math.max(1, Math.floor(Math.min(step * 8, Math.max(step / 8, wanted))));
  }
  return null;
}

/** The partial label for a run stopped by `hit`. */
export function partialInfo(
  hit: BudgetHit,
  topo: ResolvedTopology,
  stoppedAtTicks: number,
  replications: number,
  plannedReplications = topo.experiment.replications,
): PartialInfo {
  const e = topo.experiment;
  return {
    reason: hit.reason === "events" ? "event budget" : "wall-clock budget",
    limit: hit.limit,
    stoppedAtSeconds: stoppedAtTicks / TICKS_PER_SECOND,
    plannedSeconds: (e.warmupTicks + e.durationTicks) / TICKS_PER_SECOND,
    replications,
    plannedReplications,
    hint: hit.reason === "events" ? "raise it with --max-events N" : "raise it with --max-wall SECONDS",
  };
}

/**
 * The replications of one run (or one round of a precision-driven run) within a
 * budget, for a command's loop: whether to start the next, advancing each in
 * slices, and what the result covers. Past the budget the result holds the
 * replications that finished or, when none did, the one in progress up to where
 * it stopped (`partial` says which). `planned`: the replications asked for;
 * `checkFirst`: look at the budget before the first too (a later round).
 *
 *     for (let i = 0; runs.next(i); i++) {
 *       const rep = new Replication(topo, i);
 *       for (let s = 1; s <= n && runs.advance(rep, s, n); s++) await progress(s);
 *       runs.finish(rep);
 *     }
 *     aggregate(runs.measured, runs.results, …)
 */
export class BudgetedReplications {
  readonly results: ReplicationResult[] = [];
  partial: PartialInfo | null = null;
  /** The topology whose window the results cover (less than planned when one was cut short). */
  measured: ResolvedTopology;

  constructor(
    readonly topo: ResolvedTopology,
    readonly clock: BudgetClock,
    readonly planned: number = topo.experiment.replications,
    private readonly checkFirst = false,
  ) {
    this.measured = topo;
  }

  /** True when replication `i` should run: not all done, budget left (checked before each but a command's first). */
  next(i: number): boolean {
    if (this.partial !== null || i >= this.planned) return false;
    const hit = i === 0 && !this.checkFirst ? null : this.clock.check();
    if (hit === null) return true;
    const e = this.topo.experiment;
    this.partial = partialInfo(hit, this.topo, e.warmupTicks + e.durationTicks, this.results.length, this.planned);
    return false;
  }

  /** Advances `rep` to the `s`-th of `n` equal slices; false when the budget stopped it (the run is then over). */
  advance(rep: Replication, s: number, n: number): boolean {
    const hit = advanceWithin(rep, Math.ceil((rep.endTicks * s) / n), this.clock);
    if (hit === null) return true;
    const e = this.topo.experiment;
    // Whole replications when some finished (this one is dropped), else this one up to now.
    const covered = this.results.length > 0 ? e.warmupTicks + e.durationTicks : rep.sim.now;
    this.partial = partialInfo(hit, this.topo, covered, Math.max(1, this.results.length), this.planned);
    if (this.results.length === 0) {
      rep.stopHere();
      this.results.push(rep.result());
      this.measured = ranTopology(this.topo, rep);
    }
    return false;
  }

  /** Takes a replication's result, unless the budget stopped the run. */
  finish(rep: Replication): void {
    if (this.partial !== null) return;
    this.clock.addEvents(rep.sim.events);
    this.results.push(rep.result());
  }
}

/**
 * The topology to aggregate a partial replication with: its experiment's window
 * is the one that ran (`Replication.windowTicks`), so rates are per second of it.
 */
export function ranTopology(topo: ResolvedTopology, rep: Replication): ResolvedTopology {
  const { start, end } = rep.windowTicks;
  return { ...topo, experiment: { ...topo.experiment, warmupTicks: start, durationTicks: end - start } };
}

/** One line for the terminal: what stopped the run, how much of it the result covers, the override. */
export function describePartial(p: PartialInfo): string {
  const budget =
    p.reason === "event budget"
      ? `the event budget (${p.limit.toExponential(1).replace("e+", "e")} events)`
      : `the wall-clock budget (${p.limit} s)`;
  const covers =
    p.replications > 0 && p.replications < p.plannedReplications
      ? `${p.replications} of ${p.plannedReplications} replications`
      : `${p.stoppedAtSeconds.toPrecision(3)} of ${p.plannedSeconds.toPrecision(3)} simulated seconds` +
        (p.plannedReplications > 1 ? ` of replication 1 of ${p.plannedReplications}` : "");
  return `partial result: stopped by ${budget}; it covers ${covers}; ${p.hint}`;
}

/**
 * A run's estimated events against the limits, after the command line changed
 * the topology's duration or replications; the message or undefined.
 */
export function runProblem(topo: ResolvedTopology, limits: SizeLimits = DEFAULT_LIMITS): string | undefined {
  return eventsProblem(topo, estimateRun(topo), limits)?.message;
}
