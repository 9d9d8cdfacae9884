/**
 * A design search's flow-level walk (src/planner/search.ts, step 3): candidates in the
 * objective's order, evaluated at flow level lazily and once (by rank, and by topology:
 * parameters that change no hardware share an evaluation), the next ranks run ahead on
 * idle workers (src/planner/lookahead.ts), and, on the site-size curve, the misses noted
 * so the candidates they answer for are skipped (src/planner/dominance.ts, tiers.ts).
 */

import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { ByTopology } from "./by-topology.js";
import type { Candidate, CandidateCounts } from "./candidates.js";
import { Dominance, type Side } from "./dominance.js";
import { type FlowEntry, flowMet } from "./evaluations.js";
import { FlowLookahead } from "./lookahead.js";
import type { TierSpec } from "./tiers.js";
import type { FlowJob, SearchSettings, StudySize } from "./types.js";

/** Candidates in the objective's order, built as the walk reaches them (src/planner/candidate-order.ts). */
export interface SearchOrder {
  at(rank: number): Promise<Candidate | undefined>;
  peek(rank: number): Promise<Candidate | undefined>;
  counts(): CandidateCounts;
  skippedUnbuilt?(): number;
}

/** The pruning rule of the site-size curve for one design, or null when the search walks every candidate. */
export function dominanceFor(study: Study, design: Design, settings: SearchSettings): Dominance | null {
  return settings.skipDominated === true ? new Dominance(study.parameters[design] ?? {}) : null;
}

export class FlowWalk {
  /** Flow-level answers by rank. */
  readonly answers = new Map<number, FlowEntry>();
  /** Evaluations by topology (text without comments): parameters that do not change the hardware share them. */
  private readonly byTopology = new ByTopology<FlowEntry>();
  /** Kinds of component that broke the last candidate's single-failure check: failed first on the next. */
  private breakers: string[] = [];
  /** The next ranks' flow jobs on otherwise idle workers, used only where this walk asks for the same job. */
  private readonly lookahead: FlowLookahead;
  /** The tiers a miss is judged against (parameters searched over that declare one; src/planner/tiers.ts). */
  private readonly tiers: TierSpec[] | undefined;
  /** Workloads whose rows are the SAN's (storage I/O); the others are the LAN's. */
  private readonly storage: Set<string>;
  private readonly budget: number;
  /** `survive: single-failure`: a candidate also has to meet after any one shared component fails. */
  private readonly survive: boolean;
  /** Candidates passed over because a noted miss answers for them. */
  dominatedSkips = 0;
  /** The flow-level budget ran out before the walk reached the end of the order. */
  budgetOut = false;

  constructor(
    study: Study,
    private readonly design: Design,
    private readonly settings: SearchSettings,
    private readonly size: StudySize,
    private readonly order: SearchOrder,
    /** Misses at flow level that answer for smaller candidates (the site-size curve only). */
    private readonly dominance: Dominance | null,
    /** A topology already run at packet level (under other parameter values): the walk passes it by. */
    private readonly packetKnown: (c: Candidate) => boolean,
  ) {
    // No look-ahead where misses prune the order (the site-size curve): a miss usually answers for the
    // next ranks too, so the walk passes them by. Measured on the curve at 32–256 servers with 2 workers:
    // 177 of 178 look-ahead jobs that started were never used (16 s of a worker's time), and the run took
    // as long as with one worker.
    this.lookahead = new FlowLookahead(settings.evaluator, dominance === null);
    this.budget = settings.flowBudget ?? Number.POSITIVE_INFINITY;
    this.survive = study.file.survive === "single-failure";
    this.tiers = dominance?.tierSpecs();
    this.storage = new Set(
      study.file.groups.flatMap((g) => g.workloads.filter((w) => w.to === "storage").map((w) => w.name)),
    );
  }

  private async candidateAt(rank: number): Promise<Candidate> {
    return (await this.order.at(rank))!;
  }

  private job(c: Candidate): FlowJob {
    return {
      yaml: c.yaml,
      file: c.label,
      survive: this.survive,
      sample: this.settings.surviveSample ?? "all",
      firstKinds: this.breakers,
      ...(this.tiers === undefined || this.tiers.length === 0 ? {} : { tiers: this.tiers }),
    };
  }

  /** The flow-level answer at `rank` (evaluated once). */
  async of(rank: number): Promise<FlowEntry> {
    const hit = this.answers.get(rank);
    if (hit !== undefined) return hit;
    const c = await this.candidateAt(rank);
    const same = this.byTopology.get(c);
    if (same !== undefined) {
      this.answers.set(rank, same);
      return same;
    }
    // On the evaluator: the single-failure check only for candidates that meet without a failure (one solve
    // per component on the candidate's flow model; a miss ends it, the kinds that broke the last candidate first).
    const job = this.job(c);
    const known = (k: Candidate, r: number) =>
      this.answers.has(r) || this.byTopology.has(k) || (this.dominance?.dominated(k.parameters) ?? false);
    // Not awaited: it walks on while this job runs; a failure there only means no look-ahead.
    if (this.lookahead.depth > 0)
      this.lookahead
        .ahead(
          rank,
          (r) => this.order.peek(r),
          known,
          (k) => this.job(k),
        )
        .catch(() => {});
    const { failedKinds, ...entry } = await (this.lookahead.take(rank, job) ?? this.settings.evaluator.flow(job));
    this.size.flow.evaluations++;
    this.size.flow.wallSeconds += entry.flow.wallSeconds;
    if (entry.survive !== null) {
      this.size.survive.flowEvaluations += entry.survive.components;
      if (failedKinds.length > 0) this.breakers = [...new Set([...failedKinds, ...this.breakers])];
    }
    this.answers.set(rank, entry);
    this.byTopology.set(c, entry);
    await this.settings.progress({
      design: this.design,
      phase: "flow",
      done: this.answers.size,
      total: this.answers.size + 1,
    });
    return entry;
  }

  /** The sides whose rows a flow-level miss missed (without a failure or after one): a storage workload's rows are the SAN's. */
  private missedSides(e: FlowEntry): Set<Side> {
    const sideOf = (workload: string): Side => (this.storage.has(workload) ? "san" : "lan");
    if (e.survive?.status !== "missed")
      return new Set(e.summary.sla.filter((x) => x.status !== "met").map((x) => sideOf(x.workload)));
    // After a failure: the sides of the workloads it broke (both when the answer does not say).
    return e.surviveMissed.length > 0 ? new Set(e.surviveMissed.map(sideOf)) : new Set<Side>(["lan", "san"]);
  }

  /** The first rank from `from` (at most `limit` ranks on) that meets at flow level and satisfies `also`; -1 if none. */
  async nextMet(
    from: number,
    also: (e: FlowEntry) => boolean = () => true,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    const dominance = this.dominance;
    for (let r = from; r < from + limit && (await this.order.at(r)) !== undefined; r++) {
      if (dominance !== null && !this.answers.has(r) && dominance.dominated((await this.candidateAt(r)).parameters)) {
        this.dominatedSkips++;
        continue;
      }
      if (!this.answers.has(r) && this.size.flow.evaluations >= this.budget) {
        this.budgetOut = true;
        return -1;
      }
      const e = await this.of(r);
      if (dominance !== null && !flowMet(e)) {
        // Rows missed, without a failure or after one, bound their side's capacities each.
        const p = (await this.candidateAt(r)).parameters;
        for (const side of this.missedSides(e)) dominance.miss(p, new Set([side]));
        for (const o of e.overloaded ?? []) dominance.missTier(p, o.param, o.scope === "port");
      }
      // A topology already run at packet level (under other parameter values) is known: skip it.
      if (flowMet(e) && also(e) && !this.packetKnown(await this.candidateAt(r))) {
        this.lookahead.settle();
        return r;
      }
    }
    this.lookahead.settle();
    return -1;
  }

  /** Drops the look-ahead's answers not taken (the walk will not ask for them). */
  settle(): void {
    this.lookahead.settle();
  }

  /** Candidates not evaluated because a noted miss answers for them (skipped in order or passed unbuilt). */
  skipped(): number {
    return this.dominatedSkips + (this.order.skippedUnbuilt?.() ?? 0);
  }
}
