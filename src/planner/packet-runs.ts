/**
 * A design search's packet-level confirmations (src/planner/search.ts, step 4): a
 * candidate run to the study's precision (src/planner/confirm.ts), once by rank and
 * once by topology, and with `survive: single-failure` the degraded runs of the
 * components the flow level trusts least (src/planner/survive.ts).
 */

import { aggregate } from "../run/aggregate.js";
import type { Design } from "../topology/types.js";
import { ByTopology } from "./by-topology.js";
import type { Candidate } from "./candidates.js";
import { confirmAtPacketLevel } from "./confirm.js";
import { candidateEval, type FlowEntry, packetEvidence, packetRows } from "./evaluations.js";
import { overall } from "./sla.js";
import { componentsToConfirm, degradedJobs, flowSurvive, packetSurviveMisses } from "./survive.js";
import type { CandidateEval, SearchSettings, StudySize, SurviveCheck } from "./types.js";

/** A kind of component whose failure missed rows at packet level, and those rows' workloads. */
export interface SurviveMiss {
  readonly kind: string;
  readonly workloads: string[];
}

export class PacketRuns {
  private readonly answers = new Map<number, CandidateEval>();
  /** Packet-level evaluations by topology (parameters that change no hardware share them). */
  private readonly byTopology = new ByTopology<CandidateEval>();
  /** Per candidate run: kinds of component whose failure missed rows, and those rows' workloads. */
  private readonly surviveMisses = new Map<number, SurviveMiss[]>();
  private runs = 0;

  constructor(
    private readonly design: Design,
    private readonly settings: SearchSettings,
    private readonly size: StudySize,
    private readonly survive: boolean,
    private readonly candidateAt: (rank: number) => Promise<Candidate>,
    private readonly flowOf: (rank: number) => Promise<FlowEntry>,
  ) {}

  /** A topology already run (under other parameter values). */
  has(c: Candidate): boolean {
    return this.byTopology.has(c);
  }

  /** What broke the candidate at `rank` after single failures (empty when nothing did, or it was not run). */
  missesAt(rank: number): readonly SurviveMiss[] {
    return this.surviveMisses.get(rank) ?? [];
  }

  /** What broke every candidate run so far after single failures. */
  allMisses(): SurviveMiss[] {
    return [...this.surviveMisses.values()].flat();
  }

  /** The packet-level evaluation at `rank` (run once). */
  async of(rank: number): Promise<CandidateEval> {
    const hit = this.answers.get(rank);
    if (hit !== undefined) return hit;
    const c = await this.candidateAt(rank);
    const same = this.byTopology.get(c);
    if (same !== undefined) {
      // The same topology under other parameter values (one that changes nothing here): same runs, same seeds.
      const ev = { ...same, parameters: c.parameters, rank };
      this.answers.set(rank, ev);
      return ev;
    }
    const { replications, precision, evaluator, maxAttempts } = this.settings;
    const size = this.size;
    await this.settings.progress({ design: this.design, phase: "packet", done: this.runs, total: maxAttempts + 1 });
    const run = await confirmAtPacketLevel(c, replications, precision, evaluator);
    this.runs++;
    size.packet.evaluations++;
    size.packet.simulatedSecondsPerReplication = run.simulatedSeconds;
    size.packet.simulatedSeconds += run.precision?.simulatedSeconds ?? run.simulatedSeconds * run.replications;
    size.packet.events += run.events;
    size.packet.wallSeconds += run.wallSeconds;
    const rows = packetRows(c.topo, run);
    let check: SurviveCheck | null = null;
    const survive = this.survive;
    const flowCheck0 = survive ? (await this.flowOf(rank)).survive : null;
    if (
      survive &&
      overall(rows) === "met" &&
      (this.settings.survivePacket === false || flowCheck0?.status === "missed")
    ) {
      // Single failures judged at flow level only (curve points), or already missed there: the flow level's check stands.
      check = flowCheck0;
    } else if (survive && overall(rows) === "met") {
      // Degraded runs for the components the flow level trusts least (src/planner/survive.ts), at once on the evaluator.
      const entry = await this.flowOf(rank);
      const flowCheck =
        entry.survive === null || entry.margins.length < entry.survive.components
          ? flowSurvive(c.topo, this.settings.surviveSample ?? "all")
          : { ...entry.survive, margins: entry.margins };
      const jobs = degradedJobs(c.topo, c.yaml, c.label, componentsToConfirm(flowCheck.margins));
      const runs = await Promise.all(
        jobs.map(async ({ job }) => aggregate(c.topo, [await evaluator.replicate(job)], 0)),
      );
      const judged = packetSurviveMisses(
        jobs.map((j) => j.label),
        runs,
        flowCheck.components,
      );
      check = judged.check;
      // Which kinds of component broke which workloads' rows: the guided step avoids them.
      const kinds = new Map(flowCheck.margins.map((m) => [m.label, m.kind]));
      this.surviveMisses.set(
        rank,
        judged.misses.map((m) => ({ kind: kinds.get(m.label) ?? "", workloads: m.workloads })),
      );
      size.survive.packetRuns += runs.length;
      for (const r of runs) {
        size.survive.simulatedSeconds += r.simulatedSeconds;
        size.survive.events += r.events;
      }
    }
    const ev = candidateEval(c, rank, rows, packetEvidence(c.topo, run, rows), check);
    this.answers.set(rank, ev);
    this.byTopology.set(c, ev);
    return ev;
  }
}
