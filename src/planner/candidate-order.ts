/**
 * The best-first walk over one design's search space (see candidates.ts's header): candidates in the
 * objective's order, built only as far as the search reaches, and past what a search skips.
 */

import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/index.js";
import type { Study, StudyParameter } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { type Candidate, type CandidateBuilder, heldCandidate } from "./candidate.js";

export interface CandidateCounts {
  /** Parameter combinations. */
  enumerated: number;
  /** Combinations the generator cannot build. */
  refused: number;
  /** Built, but the BOM flags them (slots, vNIC budgets, ports). */
  infeasible: number;
  /** What is left to search, in hardware order. */
  ordered: number;
}

/** The order's comparison: objective, then the hardware count, switching boxes, rack units, enumeration order. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.score - b.score ||
    a.hardware - b.hardware ||
    a.bom.totals.switchingDevices - b.bom.totals.switchingDevices ||
    a.bom.totals.rackUnits - b.bom.totals.rackUnits ||
    a.index - b.index
  );
}

/**
 * `score` is below `from` by more than rounding: sums of costs in a different
 * order may differ in the last bits, which is no step down.
 */
function lower(score: number, from: number): boolean {
  return score < from - 1e-9 * Math.max(1, Math.abs(from));
}

/** A generator broke the best-first walk's assumption: one step up a range lowered the objective. */
export class MonotonicityError extends Error {}

interface Node {
  readonly index: number;
  /** Value index per parameter. */
  readonly at: readonly number[];
  /** Built and priced (null: the generator refused it). */
  readonly candidate: Candidate | null;
  /** Feasible per the BOM (false for refused ones too). */
  readonly feasible: boolean;
  /** Its score, or for a refused node the score of the node that reached it (a lower bound). */
  readonly score: number;
}

function nodeBefore(a: Node, b: Node): boolean {
  if (a.score !== b.score) return a.score < b.score;
  const ca = a.candidate;
  const cb = b.candidate;
  // Refused nodes first within a score: they are only expanded, never yielded.
  if (ca === null || cb === null) return ca === null && (cb !== null || a.index < b.index);
  return compareCandidates(ca, cb) < 0;
}

/** Ranks `CandidateOrder.at` puts in order beyond the one asked for: what a look-ahead may run (2 per extra worker). */
export const WALK_AHEAD = 4;

/** Candidates of one design in hardware order, built lazily (best-first; see the header). */
export class CandidateOrder {
  private readonly params: Array<[string, StudyParameter]>;
  /** Index weight of each parameter in the cartesian product (the last varies fastest). */
  private readonly weights: number[];
  private readonly heap: Node[] = [];
  /** Score of every combination reached (null: refused), by index: each step is checked, also into a known one. */
  private readonly seen = new Map<number, number | null>();
  private readonly ordered: Candidate[] = [];
  private readonly total: number;
  private refused = 0;
  /** Combinations passed through unbuilt (`skip`). */
  private skipped = 0;
  private infeasible = 0;
  private built = 0;
  /** Roots: every combination of the non-range parameters, ranges at their lowest value (visited on the first `at`). */
  private roots: number[][] | null;
  private rooted: Promise<void> | null = null;
  private readonly build: CandidateBuilder;
  /** Builds asked for ahead of their visit (only with a builder of its own: it runs them elsewhere, in parallel). */
  private readonly ahead: Map<number, Promise<Candidate | null>> | null;
  /** The walk in progress (`walkTo`). */
  private walking: Promise<void> = Promise.resolve();
  /** How many candidates were in order after each group; `marks`: the counts then (0: after the roots). */
  private readonly groupEnds: number[] = [];
  private readonly marks: Array<CandidateCounts & { built: number; exhausted: boolean }> = [];
  /** Groups the search's own `at` calls needed. */
  private asked = 0;
  /** A generator's failure met on the walk: thrown again to whoever walks on. */
  private failure: unknown = null;

  constructor(
    private readonly study: Study,
    private readonly design: Design,
    catalog: Catalog,
    private readonly progress: (built: number, total: number) => void | Promise<void> = () => {},
    build?: CandidateBuilder,
    /**
     * Combinations the search will not evaluate (src/planner/dominance.ts), and where the walk goes on from
     * one: neither built nor expanded; the walk visits instead the least combinations above it that are not
     * skipped (`exits`), at the score of the node that reached it (a lower bound of theirs).
     */
    private readonly skip: (parameters: Record<string, ParamValue>) => boolean = () => false,
    private readonly exits: (parameters: Record<string, ParamValue>) => Array<Record<string, ParamValue>> = () => [],
  ) {
    this.params = Object.entries(study.parameters[design] ?? {});
    this.weights = this.params.map((_, i) => this.params.slice(i + 1).reduce((w, [, p]) => w * p.candidates.length, 1));
    this.total = this.params.reduce((n, [, p]) => n * p.candidates.length, 1);
    let roots: number[][] = [[]];
    for (const [, p] of this.params) {
      roots = roots.flatMap((at) => (p.ranged ? [[...at, 0]] : p.candidates.map((_, i) => [...at, i])));
    }
    this.roots = roots;
    // Held as a pool worker ships them (no parsed topology, the search's part of the BOM) whichever thread builds.
    this.build =
      build ?? ((index, parameters) => Promise.resolve(heldCandidate(study, design, catalog, index, parameters)));
    this.ahead = build === undefined ? null : new Map();
  }

  /**
   * The candidate at `rank` in hardware order (undefined past the last). The walk goes `WALK_AHEAD`
   * ranks further, so that a look-ahead finds the next ranks in order (`peek` never walks): where the
   * walk goes depends on the misses noted when it gets there, and only these calls, made in the
   * search's order whatever the number of workers, decide when that is.
   */
  async at(rank: number): Promise<Candidate | undefined> {
    await this.walkTo(rank);
    try {
      await this.walkTo(rank + WALK_AHEAD);
    } catch {
      // Kept in `failure`: it surfaces only when (and if) the search itself walks there.
    }
    // What the walk had done when it first reached `rank` is what `counts` tells.
    const group = this.groupEnds.findIndex((end) => end > rank);
    this.asked = Math.max(this.asked, group < 0 ? this.groupEnds.length : group + 1);
    return this.ordered[rank];
  }

  /**
   * The candidate at `rank` if the walk has put it in order, for a look-ahead; undefined otherwise. It
   * never walks: a look-ahead that walked the order ahead of the misses noted made the candidates built
   * and ordered depend on the number of workers (the site-size curve's counts did).
   */
  peek(rank: number): Promise<Candidate | undefined> {
    return Promise.resolve(this.ordered[rank]);
  }

  /** Walks group by group until `rank` is in order (one walk at a time). */
  private walkTo(rank: number): Promise<void> {
    const walk = this.walking.then(async () => {
      this.rooted ??= this.visitRoots();
      await this.rooted;
      while (this.ordered.length <= rank && this.heap.length > 0) {
        if (this.failure !== null) throw this.failure;
        try {
          await this.nextGroup();
        } catch (e) {
          this.failure = e;
          throw e;
        }
        this.groupEnds.push(this.ordered.length);
        this.marks.push(this.tally());
      }
    });
    this.walking = walk.catch(() => {});
    return walk;
  }

  private async visitRoots(): Promise<void> {
    const roots = this.roots!;
    this.roots = null;
    this.askAhead(roots);
    for (const at of roots) await this.visit(at, Number.NEGATIVE_INFINITY);
    this.marks.push(this.tally());
  }

  /**
   * Starts the builds of combinations the walk will visit next (a parallel builder runs them
   * while the walk awaits the first): the answers are the same, only sooner. Counted when visited.
   */
  private askAhead(list: readonly number[][]): void {
    if (this.ahead === null) return;
    for (const at of list) {
      const index = this.indexOf(at);
      if (this.seen.has(index) || this.ahead.has(index) || this.skip(this.parametersAt(at))) continue;
      const job = this.build(index, this.parametersAt(at));
      // Never left unhandled: a failure surfaces when (and if) the walk visits it.
      job.catch(() => {});
      this.ahead.set(index, job);
    }
  }

  private parametersAt(at: readonly number[]): Record<string, ParamValue> {
    const parameters: Record<string, ParamValue> = {};
    this.params.forEach(([name, p], i) => {
      parameters[name] = p.candidates[at[i]!]!;
    });
    return parameters;
  }

  /** One range parameter one step up, for each range parameter that has a step left. */
  private successors(node: Node): number[][] {
    const out: number[][] = [];
    this.params.forEach(([, p], i) => {
      if (!p.ranged || node.at[i]! + 1 >= p.candidates.length) return;
      const next = [...node.at];
      next[i]!++;
      out.push(next);
    });
    return out;
  }

  /** Combinations passed through unbuilt so far (`skip`). */
  skippedUnbuilt(): number {
    return this.skipped;
  }

  /** Counts as of the search's own walk (`at`): `ordered` is how many it has put in order (all once exhausted). */
  counts(): CandidateCounts & { built: number; exhausted: boolean } {
    return this.marks[this.asked] ?? this.tally();
  }

  private tally(): CandidateCounts & { built: number; exhausted: boolean } {
    return {
      enumerated: this.total,
      refused: this.refused,
      infeasible: this.infeasible,
      ordered: this.ordered.length,
      built: this.built,
      exhausted: this.heap.length === 0,
    };
  }

  private indexOf(at: readonly number[]): number {
    return at.reduce((sum, v, i) => sum + v * this.weights[i]!, 0);
  }

  /** Builds and prices a combination the first time it is reached; `from` is the score of the node that reached it. */
  private async visit(at: number[], from: number): Promise<void> {
    const index = this.indexOf(at);
    const known = this.seen.get(index);
    if (known !== undefined) {
      if (known !== null && lower(known, from)) throw this.broken(at, known);
      return;
    }
    const asked = this.ahead?.get(index);
    this.ahead?.delete(index);
    const parameters = this.parametersAt(at);
    if (this.skip(parameters)) {
      this.seen.set(index, null);
      this.skipped++;
      // Not stepped through one combination at a time: that would pass the whole skipped region at
      // `from`, building everything on its far side. Its least way out, each at `from` (a lower bound).
      await this.visitExits(parameters, from);
      return;
    }
    const c = await (asked ?? this.build(index, parameters));
    let node: Node;
    this.seen.set(index, c === null ? null : c.score);
    if (c === null) {
      this.refused++;
      node = { index, at, candidate: null, feasible: false, score: Math.max(from, 0) };
    } else {
      this.built++;
      if (lower(c.score, from)) throw this.broken(at, c.score);
      if (!c.bom.feasible) this.infeasible++;
      // A score a rounding below `from` joins the group at `from`, so the walk never goes back.
      node = { index, at, candidate: c, feasible: c.bom.feasible, score: Math.max(c.score, from) };
    }
    this.push(node);
  }

  /** Visits the least combinations above a skipped one that are not skipped (`exits`), each at `from`. */
  private async visitExits(parameters: Record<string, ParamValue>, from: number): Promise<void> {
    const exits = this.exits(parameters)
      .map((e) => this.params.map(([name, p]) => p.candidates.indexOf(e[name]!)))
      .filter((e) => e.every((i) => i >= 0));
    this.askAhead(exits);
    for (const e of exits) await this.visit(e, from);
  }

  private broken(at: readonly number[], score: number): MonotonicityError {
    const values = Object.fromEntries(this.params.map(([name, p], i) => [name, p.candidates[at[i]!]]));
    return new MonotonicityError(
      `${this.design}: one step up a range lowers the ${this.study.file.objective} to ${Math.round(score * 100) / 100} at ${JSON.stringify(values)}`,
    );
  }

  /** Pops every node of the lowest score (expanding each), then orders the feasible ones. */
  private async nextGroup(): Promise<void> {
    const score = this.heap[0]!.score;
    const group: Candidate[] = [];
    // The group's successors are all visited below: ask for them at once.
    if (this.ahead !== null)
      this.askAhead(this.heap.filter((n) => n.score <= score).flatMap((n) => this.successors(n)));
    while (this.heap.length > 0 && this.heap[0]!.score <= score) {
      const node = this.pop();
      // A node a miss noted since it was reached now skips: go on from its way out, as `visit` does, not
      // through its successors (a 512-server director search built 250,000 successors of such nodes).
      const parameters = node.candidate?.parameters;
      if (parameters !== undefined && this.skip(parameters)) await this.visitExits(parameters, node.score);
      else for (const next of this.successors(node)) await this.visit(next, node.score);
      if (node.candidate !== null && node.feasible) group.push(node.candidate);
      if (this.built % 16 === 0) await this.progress(this.built, this.total);
    }
    group.sort(compareCandidates);
    this.ordered.push(...group);
  }

  private push(n: Node): void {
    const h = this.heap;
    let i = h.length;
    h.push(n);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!nodeBefore(n, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = n;
  }

  private pop(): Node {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const child = r < h.length && nodeBefore(h[r]!, h[l]!) ? r : l;
        if (!nodeBefore(h[child]!, last)) break;
        h[i] = h[child]!;
        i = child;
      }
      h[i] = last;
    }
    return top;
  }
}
