/**
 * Run length chosen by precision: replications are added, in rounds, until every SLA
 * row's 95 % half-width is within a set fraction of its target or estimate, or a cap is hit.
 *
 * The procedure (deterministic: a round's replications are fixed before any of them runs,
 * so a worker pool and a loop give the same answer):
 * 1. Round 1 runs `minReplications` replications (indices 0, 1, …) of the file's length
 *    (warm-up + duration). Each replication cuts its own warm-up per SLA row (MSER-5,
 *    `src/metrics/steady-state.ts`).
 * 2. A row has not settled when MSER-5 finds no steady state in most of its replications
 *    (the cut would fall in the second half: the run is shorter than its start-up
 *    transient). Then the run length doubles and the round is run again at the new length
 *    (same indices, so the longer runs extend the shorter ones' event sequences), while the
 *    time cap allows. A row that never settles stays `undecided`: its estimate still
 *    carries the transient.
 * 3. Otherwise a row is precise when halfWidth ≤ relative · max(|target|, |estimate|). When
 *    every row is, the run stops. Else the next round brings the replications up to
 *    ⌈R · (halfWidth / wanted)²⌉ for the least precise row (half-widths shrink as 1/√R), at
 *    least one more, capped by `maxReplications` and by the simulated time left.
 * 3a. With `stopWhenDecided` (the planner, which needs verdicts, not estimates), a round
 *    ends the run when some row is missed or every row is decided: a candidate fails on one
 *    miss whatever the other rows' precision, and a row whose target lies outside twice its
 *    interval needs no more replications. For the planner a miss by the 95 % interval
 *    stands even when imprecise (a false miss only costs hardware); a met needs step 4's
 *    margin, as in a run, so a planner's met is as safe as a run's.
 * 4. A row that is not precise when a cap stops the run says `precise: false` and is
 *    decided only when the target lies outside twice its interval (|estimate − target| ≥
 *    2 · halfWidth); otherwise it is `undecided`. Few replications of a noisy metric (a
 *    queue near saturation, whose run means are skewed by rare long busy periods) give a
 *    Student-t interval that covers less than it claims: an imprecise row needs a margin.
 * Sequential stopping makes the nominal 95 % slightly optimistic (the sample size depends
 * on the data); the planner's verdicts carry their half-widths so a reader can judge.
 */

import type { PrecisionSummary, RunResult, SlaVerdict } from "../metrics/result.js";
import type { Precision, ResolvedTopology } from "../topology/types.js";
import { aggregate } from "./aggregate.js";
import type { ReplicationResult } from "./replication.js";

/** The topology's `precision` (caps: `maxSeconds` counts every replication run, also those a doubling replaced). */
export type PrecisionSettings = Precision;

export const DEFAULT_PRECISION: PrecisionSettings = {
  relative: 0.1,
  minReplications: 3,
  maxReplications: 10,
  maxSeconds: 1,
};

/** One replication to run: its index (random streams) and its duration after the warm-up. */
export interface ReplicationRequest {
  readonly replication: number;
  readonly durationTicks: number;
}

/** Is the row's half-width within the precision target? */
export function isPrecise(row: SlaVerdict, relative: number): boolean {
  if (row.actual === null || row.halfWidth === null) return false;
  return row.halfWidth <= relative * Math.max(Math.abs(row.target), Math.abs(row.actual));
}

/**
 * The row's status under a precision target: undecided when it has not settled; its
 * interval's verdict when precise; when not precise, that verdict only if the target lies
 * outside twice the interval, else undecided. `lenientMiss` (the planner): a miss by the
 * 95 % interval stands even when imprecise — a false miss only sends the search to more
 * hardware, while a false met would promise an SLA the design does not keep.
 */
export function precisionStatus(row: SlaVerdict, relative: number, lenientMiss = false): SlaVerdict["status"] {
  if (row.settled === false || row.actual === null) return "undecided";
  if (lenientMiss && row.status === "missed") return "missed";
  if (isPrecise(row, relative) || row.status === "undecided") return row.status;
  if (row.halfWidth === null) return "undecided";
  return Math.abs(row.actual - row.target) >= 2 * row.halfWidth ? row.status : "undecided";
}

/**
 * The procedure as a state machine: `next()` gives a round of requests (empty when done),
 * `add()` takes their results in request order, `result()` the aggregated run.
 */
export class PrecisionRun {
  private durationTicks: number;
  private results: ReplicationResult[] = [];
  private pending: ReplicationRequest[] = [];
  private usedSeconds = 0;
  private rounds = 0;
  private stop: PrecisionSummary["stop"] | null = null;
  private last: RunResult | null = null;
  /** Simulated seconds of each replication of the last finished round. */
  private lastSeconds = 0;

  constructor(
    private readonly topo: ResolvedTopology,
    readonly settings: PrecisionSettings,
    private readonly seed: number = topo.experiment.seed,
    /** Stop at the first round in which a row is missed or every row is decided (the planner). */
    private readonly stopWhenDecided = false,
  ) {
    const { relative, minReplications, maxReplications, maxSeconds } = settings;
    if (!(relative > 0)) throw new RangeError(`precision: relative must be above 0, got ${relative}`);
    if (!(Number.isInteger(minReplications) && minReplications >= 2)) {
      throw new RangeError(`precision: minReplications must be a whole number ≥ 2, got ${minReplications}`);
    }
    if (!(Number.isInteger(maxReplications) && maxReplications >= minReplications)) {
      throw new RangeError(
        `precision: maxReplications must be a whole number ≥ minReplications (${minReplications}), got ${maxReplications}`,
      );
    }
    if (!(maxSeconds > 0)) throw new RangeError(`precision: maxSeconds must be above 0, got ${maxSeconds}`);
    this.durationTicks = topo.experiment.durationTicks;
  }

  /** Simulated seconds of one replication at the current length. */
  get replicationSeconds(): number {
    return (this.topo.experiment.warmupTicks + this.durationTicks) / 1e12;
  }

  get done(): boolean {
    return this.stop !== null;
  }

  /** The next round's replications; empty once the run has stopped. */
  next(): ReplicationRequest[] {
    if (this.stop !== null) return [];
    if (this.pending.length > 0) return this.pending;
    const have = this.results.length;
    const want = this.rounds === 0 || have === 0 ? this.settings.minReplications : this.wanted();
    this.pending = Array.from({ length: want - have }, (_, i) => ({
      replication: have + i,
      durationTicks: this.durationTicks,
    }));
    return this.pending;
  }

  /**
   * The run budget stopped the current round: the run ends on the rounds that finished.
   * False when none did (the caller reports what ran of the first round instead).
   */
  stopByBudget(): boolean {
    if (this.last === null) return false;
    this.pending = [];
    this.stop = "budget";
    return true;
  }

  /** The results of the round `next()` gave, in its order. */
  add(results: readonly ReplicationResult[]): void {
    if (results.length !== this.pending.length) {
      throw new Error(`precision: expected ${this.pending.length} results, got ${results.length}`);
    }
    this.pending = [];
    this.rounds++;
    this.results.push(...results);
    this.usedSeconds += results.length * this.replicationSeconds;
    const run = this.aggregate(0);
    this.last = run;
    this.lastSeconds = this.replicationSeconds;
    const unsettled = run.sla.some((r) => r.settled === false);
    if (unsettled) {
      // Longer runs, the same replications (their first part is the run just made).
      const seconds = 2 * this.replicationSeconds;
      if (this.usedSeconds + this.settings.minReplications * seconds <= this.settings.maxSeconds + 1e-12) {
        this.durationTicks += this.topo.experiment.warmupTicks + this.durationTicks;
        this.results = [];
        return;
      }
      // More replications of a run shorter than its transient settle nothing.
      this.stop = "max-seconds";
      return;
    }
    if (run.sla.every((r) => isPrecise(r, this.settings.relative))) {
      this.stop = "precise";
      return;
    }
    if (this.stopWhenDecided) {
      const status = run.sla.map((r) => precisionStatus(r, this.settings.relative, true));
      if (status.includes("missed") || !status.includes("undecided")) {
        this.stop = status.includes("missed") ? "missed" : "decided";
        return;
      }
    }
    const have = this.results.length;
    const byCount = this.settings.maxReplications;
    const byTime = have + Math.floor((this.settings.maxSeconds - this.usedSeconds) / this.replicationSeconds + 1e-9);
    if (have >= byCount || have >= byTime) this.stop = have >= byCount ? "max-replications" : "max-seconds";
  }

  /** Replications for the next round: enough for the least precise row, at least one more, within the caps. */
  private wanted(): number {
    const have = this.results.length;
    let want = have + 1;
    for (const r of this.last!.sla) {
      if (r.actual === null || r.halfWidth === null || isPrecise(r, this.settings.relative)) continue;
      const goal = this.settings.relative * Math.max(Math.abs(r.target), Math.abs(r.actual));
      want = Math.max(want, Math.ceil(have * (r.halfWidth / goal) ** 2));
    }
    const byTime = have + Math.floor((this.settings.maxSeconds - this.usedSeconds) / this.replicationSeconds + 1e-9);
    return Math.min(want, this.settings.maxReplications, byTime);
  }

  private aggregate(wallSeconds: number): RunResult {
    const topo =
      this.durationTicks === this.topo.experiment.durationTicks
        ? this.topo
        : { ...this.topo, experiment: { ...this.topo.experiment, durationTicks: this.durationTicks } };
    return aggregate(topo, this.results, wallSeconds, this.seed);
  }

  /** The run: the last round's aggregate with each row's precision and the procedure's summary. */
  result(wallSeconds: number): RunResult {
    if (this.stop === null || this.last === null) throw new Error("precision: the run has not finished");
    // Stopped by the budget: the last finished round (a lengthened round may have begun since).
    const run = this.stop === "budget" ? { ...this.last, wallSeconds } : this.aggregate(wallSeconds);
    const relative = this.settings.relative;
    return {
      ...run,
      sla: run.sla.map((r) => ({
        ...r,
        status: precisionStatus(r, relative, this.stopWhenDecided),
        precise: isPrecise(r, relative),
      })),
      precision: {
        relative,
        minReplications: this.settings.minReplications,
        maxReplications: this.settings.maxReplications,
        maxSeconds: this.settings.maxSeconds,
        rounds: this.rounds,
        replicationSeconds: this.stop === "budget" ? this.lastSeconds : this.replicationSeconds,
        simulatedSeconds: this.usedSeconds,
        stop: this.stop,
      },
    };
  }
}

/**
 * Runs `topo` to precision with `replicate` running one round's requests (in parallel or
 * not: results in request order).
 */
export async function runToPrecision(
  topo: ResolvedTopology,
  settings: PrecisionSettings,
  replicate: (requests: readonly ReplicationRequest[]) => Promise<ReplicationResult[]>,
  options: { readonly seed?: number; readonly stopWhenDecided?: boolean } = {},
): Promise<RunResult> {
  const t0 = performance.now();
  const run = new PrecisionRun(topo, settings, options.seed ?? topo.experiment.seed, options.stopWhenDecided ?? false);
  for (let round = run.next(); round.length > 0; round = run.next()) run.add(await replicate(round));
  return run.result((performance.now() - t0) / 1000);
}
