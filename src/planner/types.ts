/**
 * The planner's shared types: what a plan, a design's search, the last-mile
 * curve and the Evaluator exchange. A module of its own so that the search
 * (`search.ts`), the curve (`curve.ts`), the Evaluator (`evaluator.ts`) and
 * the plan (`plan.ts`) depend on it and not on each other in a loop.
 */

import type { Amount } from "../bom/amount.js";
import type { Tco } from "../bom/tco.js";
import type { Bom, ResultBom } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/index.js";
import type { ReplicationResult } from "../run/replication.js";
import type { Study } from "../study/load.js";
import type { Objective } from "../study/schema.js";
import type { Design, Precision, ResolvedTopology } from "../topology/types.js";
import type { Candidate } from "./candidates.js";
import type { FlowEntry } from "./evaluations.js";
import type { Fidelity, FlowSummary, PlanSlaRow } from "./sla.js";
import type { SurviveSample } from "./survive.js";
import type { TierSpec } from "./tiers.js";

export interface PlanProgress {
  /** The design searched, or "all" for curve points (they span the designs). */
  readonly design: Design | "all";
  readonly phase: "enumerate" | "flow" | "packet" | "curve";
  readonly done: number;
  readonly total: number;
}

export interface Evidence {
  fidelity: Fidelity;
  /** Simulated seconds per replication (packet level; null at flow level). */
  simulatedSeconds: number | null;
  /** Measurement window per replication, seconds (null at flow level). */
  windowSeconds: number | null;
  replications: number | null;
  /** Latency samples per workload with an SLA row (packet level; null at flow level). */
  samples: Record<string, number> | null;
  /** 95 % CI half-widths per SLA row `workload metric` (null: none). */
  ci95: Record<string, number | null> | null;
  wallSeconds: number;
}

/** The single-failure verdict of one candidate. */
export interface SurviveCheck {
  fidelity: "flow" | "packet";
  status: "met" | "missed";
  /** Shared components failed, one at a time (at flow level: all of them). */
  components: number;
  /** Packet level: the components run (the rest judged at flow level only). */
  confirmed: string[];
  /** Why not, per component: SLA rows missed and workloads left without a path (sorted). */
  reasons: string[];
}

export interface CandidateEval {
  parameters: Record<string, ParamValue>;
  /** Position in the objective's order (0 = the least). */
  rank: number;
  /** The study's objective for this candidate (its typical value orders the candidates). */
  objective: Amount;
  /** The hardware count (HARDWARE_SCORE_DEFINITION); a lower bound when hardwareScoreUnknown > 0. */
  hardwareScore: number;
  hardwareScoreUnknown: number;
  bom: ResultBom;
  sla: PlanSlaRow[];
  /** `survive: single-failure`: the verdict after any one shared failure (null when the study does not ask, or the rows above already miss). */
  survive: SurviveCheck | null;
  status: "met" | "missed" | "undecided";
  evidence: Evidence;
}

export interface DesignPlan {
  design: Design;
  /** met: confirmed at packet level (or, without confirmation, the flow level's); missed / undecided: the best found; none: no candidate meets at flow level. */
  verdict: "met" | "missed" | "undecided" | "none";
  confirmed: boolean;
  /** Why the verdict is what it is (budget, flags, no neighbour …). */
  notes: string[];
  /** The choice (null when no candidate meets the SLA at flow level). */
  chosen: (CandidateEval & { bomDetail: Bom["totals"]; tco: Tco; flow: FlowSummary }) | null;
  /** One-step-smaller neighbour at the verdict's fidelity (null when there is none). */
  neighbour: CandidateEval | null;
  /** Packet-level attempts that the packet level rejected, in order. */
  rejected: CandidateEval[];
  /** The search space: combinations, refused by the generator, built and priced, infeasible, put in the objective's order (all of them when the walk went to the end). */
  candidates: { enumerated: number; refused: number; built: number; infeasible: number; ordered: number };
  attempts: number;
  budgetExhausted: boolean;
}

export interface StudySize {
  /** Candidates per design after the generator's refusals, summed. */
  candidates: number;
  boms: number;
  flow: { evaluations: number; wallSeconds: number };
  packet: {
    evaluations: number;
    replications: number;
    simulatedSecondsPerReplication: number | null;
    /** evaluations × replications × simulated seconds. */
    simulatedSeconds: number;
    events: number;
    wallSeconds: number;
  };
  /** `survive: single-failure` checks: flow solves and packet runs (one replication each) with one component failed. */
  survive: { flowEvaluations: number; packetRuns: number; simulatedSeconds: number; events: number };
}

/** One design's objective over the Monte Carlo draws. */
export interface DesignRobustness {
  design: Design;
  /** The objective's typical value (what the plan ranked by). */
  typical: number;
  /** Over the draws: lowest, 5th percentile, median, 95th percentile, highest. */
  draws: { min: number; p5: number; p50: number; p95: number; max: number };
  /** Share of draws in which this design is the cheapest (ties split), 0 … 1. */
  cheapest: number;
  /** Units whose figure is unknown: left out of every draw (the values are lower bounds). */
  unknown: number;
}

/** Is the ranking of the designs' choices robust to the price and power ranges? */
export interface RankRobustness {
  objective: Objective;
  draws: number;
  seed: number;
  /** How a figure's range is drawn, in words. */
  distribution: string;
  /** The designs whose choice meets every SLA row, sorted by name. */
  designs: DesignRobustness[];
  /** The design with the lowest typical objective (null when none met). */
  winner: Design | null;
  /** The winner's share of draws in which it is the cheapest. */
  winnerShare: number | null;
  /** The winner is the cheapest in at least 95 % of the draws (and no unknown figure is left out). */
  robust: boolean;
  /** The verdict in words: "director cheapest in 54 % of draws: not robust". */
  summary: string;
}

export interface PlanResult {
  iovsim: string;
  study: string;
  rules: {
    /** What the planner minimized. */
    objective: Objective;
    /** How candidates are ordered, in words. */
    order: string;
    hardwareScore: string;
    /** The cost of ownership's rule, in words. */
    tco: string;
    search: string;
    maxAttempts: number;
    replications: number;
    /** The packet level's precision target and caps (null: a fixed number of replications). */
    precision: Precision | null;
  };
  /** Sorted by design name. */
  designs: DesignPlan[];
  /** The Monte Carlo over the price and power ranges (null when fewer than one design met). */
  robustness: RankRobustness | null;
  /** Hardware per design as the virtualized share of the site rises (null when not asked for). */
  lastMileCurve: LastMileCurve | null;
  /** What the plan's search evaluated (the table's verdicts). */
  size: StudySize;
  /** What the curve's points below 100 % evaluated (null without a curve). */
  curveSize: StudySize | null;
  wallSeconds: number;
}

/** How one design is searched. */
export interface SearchSettings {
  /** Fixed replications, or the first round's with precision. */
  readonly replications: number;
  /** Packet-level precision (src/run/precision.ts); null: `replications` fixed ones. */
  readonly precision: Precision | null;
  readonly maxAttempts: number;
  readonly confirm: boolean;
  /** Run the one-step-smaller neighbour too (the plan: yes; curve points: no). */
  readonly neighbourRun: boolean;
  /** Which components the flow-level single-failure check fails (default all; the site-size curve: the busiest per kind). */
  readonly surviveSample?: SurviveSample;
  /** Confirm single failures at packet level too (default true; last-mile curve points: flow level only). */
  readonly survivePacket?: boolean;
  /** At most this many flow-level evaluations before the first that meets (default: no limit; the site-size curve sets one). */
  readonly flowBudget?: number;
  /** Skip candidates dominated by one that missed at flow level (src/planner/dominance.ts; the site-size curve). */
  readonly skipDominated?: boolean;
  readonly evaluator: Evaluator;
  readonly progress: (p: PlanProgress) => void | Promise<void>;
}

/** Site-wide hardware, cost and power of a curve point (fields that add up across parts). */
export interface CurveTotals {
  adapters: number;
  cables: number;
  optics: number;
  switchPorts: number;
  /** The hardware count (HARDWARE_SCORE_DEFINITION). */
  hardwareScore: number;
  /** Boxes whose port count is unknown: the hardware score is then a lower bound. */
  hardwareScoreUnknown: number;
  /** The one-off cost (capital, licences, upstream ports, labour). */
  capex: Amount;
  /** The cost of ownership over the study's years. */
  tco: Amount;
  /** Typical power, W. */
  power: Amount;
  /** Known part of the list cost ("≥" when unpricedItems > 0); null when nothing is priced. */
  costUsd: number | null;
  unpricedItems: number;
  /** Known part of the typical power; null when no power is known. */
  watts: number | null;
}

/** A curve point's fabric: one design's plan for the hosts on it (the physical part is added by the plan). */
export interface CurveFabric {
  share: number;
  design: Design;
  virtualizedHosts: number;
  physicalHosts: number;
  status: "met" | "missed" | "undecided" | "none";
  fidelity: Fidelity;
  confirmed: boolean;
  parameters: Record<string, ParamValue> | null;
  /** null unless status is met. */
  fabric: CurveTotals | null;
}

/** One point of the last-mile curve: one design at one virtualized share. */
export interface CurveRow {
  /** Virtualized share of the site's servers, 0 … 1 (the x axis). */
  share: number;
  design: Design;
  /** The first N hosts in group order (already-virtualized groups first), on the design's fabric. */
  virtualizedHosts: number;
  /** The rest, still physical with the plan's chosen traditional configuration's per-server share. */
  physicalHosts: number;
  /** The planner's verdict for the hosts on the fabric (met: the least hardware meeting every SLA row). */
  status: "met" | "missed" | "undecided" | "none";
  /** Fidelity of the verdict; confirmed: met at packet level. */
  fidelity: Fidelity;
  confirmed: boolean;
  parameters: Record<string, ParamValue> | null;
  /** The virtualized hosts' fabric (null unless status is met). */
  fabric: CurveTotals | null;
  /** The physical hosts' share (physicalHosts / servers) of the traditional site (see LastMileCurve.physicalBasis). */
  physical: CurveTotals;
  /** fabric + physical (null unless status is met). */
  site: CurveTotals | null;
}

export interface CurveKnee {
  design: Design;
  /** Share at the start of the steepest segment (fabric hardware score added per host moved onto the fabric) when it is at least KNEE_RATIO × the average slope; null for a straight line or fewer than 2 met points. */
  knee: number | null;
  /** Fabric hardware score added per host in the steepest segment. */
  steepestPerHost: number | null;
  /** Fabric hardware score added per host from the first met point to the last. */
  averagePerHost: number | null;
  /** Fabric hardware score at the last share minus at the first (null unless both are met). */
  growth: number | null;
}

export interface LastMileCurve {
  shares: number[];
  rule: string;
  /** What the physical servers are priced at: the plan's chosen traditional configuration, else the study's current values. */
  physicalBasis: { source: "chosen" | "current"; parameters: Record<string, ParamValue> };
  /** Sorted by share, then design. */
  rows: CurveRow[];
  /** Per design (sorted by name). */
  knees: CurveKnee[];
  /** The design whose steepest segment is the least steep (null when no design has 2 met points). */
  flattest: Design | null;
}

/** A curve point's fabric and what it cost (added to the plan's study size). */
export interface CurvePointResult {
  point: CurveFabric;
  size: StudySize;
  /** Why the search did not end on a configuration that meets (its first note; null when met). */
  reason: string | null;
}

/** One packet-level replication of a topology given as YAML text. */
export interface ReplicationJob {
  /** The topology's YAML text (a generator's output or a user's file). */
  readonly yaml: string;
  /** Name used in error messages. */
  readonly file: string;
  /** Replication index: the random streams derive from (seed, replication). */
  readonly replication: number;
  /** Faults instead of the topology's own (the planner's single-failure runs). */
  readonly faults?: ResolvedTopology["faults"];
  /** Failover time in ticks (null: none; absent: the design's default). */
  readonly failoverTicks?: number | null;
  /** Measurement time after the warm-up, ticks (absent: the file's duration); precision may lengthen runs. */
  readonly durationTicks?: number;
}

/** One candidate's flow-level evaluation (plain data: structured-cloneable). */
export interface FlowJob {
  /** The topology's YAML text (a generator's output). */
  readonly yaml: string;
  /** Name used in error messages. */
  readonly file: string;
  /** Also judge `survive: single-failure` (only when the rows without a failure are met). */
  readonly survive: boolean;
  /** Which components the single-failure check fails (default all; the site-size curve: the busiest per kind). */
  readonly sample?: SurviveSample;
  /** Kinds of component failed first (those that broke the search's previous candidate: a miss ends the check sooner). */
  readonly firstKinds?: readonly string[];
  /** Tiers to judge when the candidate misses (the site-size search; src/planner/tiers.ts). */
  readonly tiers?: readonly TierSpec[];
}

/**
 * Where the planner's evaluations run. The searches (candidate order, gallop,
 * bisection) run on the caller's thread; each flow-level evaluation and each
 * packet-level replication is a job of its own, so that every search of a plan
 * (the designs' and the curve points') keeps every worker busy.
 */
/** A job waiting for spare capacity (`Evaluator.flowIfIdle`). */
export interface SpareJob<T> {
  /** Its answer: the job is started now if it still waits. */
  take(): Promise<T>;
  /** Not needed after all: dropped if it has not started (a started one runs to its end, unused). */
  drop(): void;
}

export interface Evaluator {
  /** How many jobs it runs at once (1 in process; on a queue, the worker threads listening now: it changes). */
  readonly concurrency: number;
  replicate(job: ReplicationJob): Promise<ReplicationResult>;
  flow(job: FlowJob): Promise<FlowEntry & { failedKinds: string[] }>;
  /**
   * Generates, parses and prices one candidate elsewhere (absent: the search builds in its own thread).
   * The answer is `buildCandidate`'s for the same arguments.
   */
  build?(
    study: Study,
    catalog: Catalog,
    design: Design,
    index: number,
    parameters: Record<string, ParamValue>,
  ): Promise<Candidate | null>;
  /**
   * A flow job run only on spare capacity: started when a worker would otherwise idle, never ahead of
   * a job asked for with `flow` (absent: no spare capacity, e.g. in process). The search uses its answer
   * only where it would have asked for the same job itself (`search.ts`), so answers never depend on it.
   */
  flowIfIdle?(job: FlowJob): SpareJob<FlowEntry & { failedKinds: string[] }>;
  /**
   * The same evaluator for one search's jobs: where jobs wait for a worker, each search's next job takes
   * its turn (round robin) instead of all jobs waiting in arrival order (absent: one queue). Answers are
   * the same; only the order jobs start in changes.
   */
  forSearch?(): Evaluator;
  /** Seconds each worker spent running jobs so far (absent in process: the caller's thread is the worker). */
  busySeconds?(): readonly number[];
  /** CPU seconds of each worker (null where the platform does not tell); same order as busySeconds. */
  cpuSeconds?(): readonly (number | null)[];
  /** Releases threads or workers (a no-op in process). */
  close(): Promise<void>;
}
