/**
 * Flow-level look-ahead for one design's search: while the search awaits the flow level of
 * rank r, the next ranks' flow jobs run on workers that would otherwise idle
 * (`Evaluator.flowIfIdle`). The search walks its candidates one at a time (each step reads
 * the last answer), so without this one worker idles whenever a search is alone on the pool.
 *
 * Results never depend on it: a look-ahead answer is used only where the search asks for
 * the very same job (same candidate, same kinds failed first: those change as answers
 * arrive), else it is dropped and the job asked for again. It looks only at ranks the order
 * already holds (`CandidateOrder.peek` never walks; `at` walks `WALK_AHEAD` ranks beyond the one
 * asked), so the candidates built and ordered do not depend on the number of workers either.
 */

import type { Candidate } from "./candidates.js";
import type { FlowEntry } from "./evaluations.js";
import type { Evaluator, FlowJob, SpareJob } from "./types.js";

type FlowAnswer = FlowEntry & { failedKinds: string[] };

/** Ranks looked ahead per worker: enough to keep an idle worker busy while one answer comes back. */
const RANKS_PER_WORKER = 2;

export class FlowLookahead {
  private readonly spare = new Map<number, { job: FlowJob; answer: SpareJob<FlowAnswer> }>();
  readonly depth: number;
  /** Counts `settle` calls: a look-ahead still walking when the search moves on asks for nothing more. */
  private round = 0;

  /** `guess`: false where the walk's next rank depends on the answer it waits for (see FlowWalk). */
  constructor(
    private readonly evaluator: Evaluator,
    guess = true,
  ) {
    this.depth =
      !guess || evaluator.flowIfIdle === undefined ? 0 : Math.max(0, RANKS_PER_WORKER * (evaluator.concurrency - 1));
  }

  /**
   * Asks for the flow jobs of the ranks after `rank` that are not known (`known`: the search has
   * their answer, or that of a candidate with the same hardware), among those `peek` finds in order.
   */
  async ahead(
    rank: number,
    peek: (rank: number) => Promise<Candidate | undefined>,
    known: (c: Candidate, rank: number) => boolean,
    jobOf: (c: Candidate) => FlowJob,
  ): Promise<void> {
    const round = this.round;
    for (let r = rank + 1; r <= rank + this.depth; r++) {
      if (this.spare.has(r)) continue;
      const c = await peek(r);
      // Past the last candidate, or the search has moved on meanwhile (`settle`).
      if (c === undefined || this.round !== round) return;
      if (this.spare.has(r) || known(c, r)) continue;
      const job = jobOf(c);
      this.spare.set(r, { job, answer: this.evaluator.flowIfIdle!(job) });
    }
  }

  /** The answer to `job` for `rank` if it was looked ahead with exactly these fields; else null (and dropped). */
  take(rank: number, job: FlowJob): Promise<FlowAnswer> | null {
    const s = this.spare.get(rank);
    if (s === undefined) return null;
    this.spare.delete(rank);
    if (sameJob(s.job, job)) return s.answer.take();
    s.answer.drop();
    return null;
  }

  /** Drops every look-ahead not started yet (the search moved on); started ones stay for `take`. */
  settle(): void {
    this.round++;
    for (const s of this.spare.values()) s.answer.drop();
  }
}

function sameJob(a: FlowJob, b: FlowJob): boolean {
  const fa = a.firstKinds ?? [];
  const fb = b.firstKinds ?? [];
  return (
    a.yaml === b.yaml &&
    a.file === b.file &&
    a.survive === b.survive &&
    a.tiers === b.tiers &&
    (a.sample ?? "all") === (b.sample ?? "all") &&
    fa.length === fb.length &&
    fa.every((k, i) => k === fb[i])
  );
}
