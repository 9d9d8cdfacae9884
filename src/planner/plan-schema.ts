/**
 * The JSON Schema of `plan.json` (`iovsim plan STUDY --out DIR`, docs/architecture.md §5),
 * generated from a zod schema of `PlanResult`'s output. The committed copy is
 * `schema/plan.schema.json`; a test fails when it drifts from a fresh
 * generation (`npx vitest run test/src/planner/plan-schema.test.ts -u` rewrites
 * it) and validates real plans against the committed file with a standard
 * validator. A type-level check below fails the build when the zod schema and
 * `PlanResult` disagree.
 *
 * SI units: seconds, bits per second; prices in USD, power in watts. Absent
 * values are null, never 0. Every object is closed (unknown keys are rejected).
 */

import * as z from "zod";
import type { PlanResult } from "./plan.js";
import { amount, design, objective, robustness, tcoSchema } from "./plan-schema-money.js";

export const PLAN_SCHEMA_ID = "https://github.com/iovsim/iovsim/schema/plan.schema.json";

const count = (description: string) => z.int().nonnegative().meta({ description });
const seconds = (description: string) => z.number().nonnegative().meta({ description });
const nullableCount = (description: string) => z.int().nonnegative().nullable().meta({ description });

const fidelity = z.enum(["flow", "packet"]).meta({
  id: "Fidelity",
  description: "flow: the flow-level model (point estimates); packet: packet-level simulation.",
});

const slaStatus = z.enum(["met", "missed", "undecided"]);

const paramValue = z.union([z.number(), z.string()]);

const parameters = z
  .record(z.string(), paramValue)
  .meta({ id: "Parameters", description: "Design parameter values by name (the study's parameters of the design)." });

const slaRow = z
  .strictObject({
    workload: z.string().meta({ description: "Workload name." }),
    metric: z
      .enum(["latency.p99", "latency.mean", "lossRatio", "deliveredBps"])
      .meta({ description: "What the row measures." }),
    target: z.number().meta({
      description:
        "The SLA target: seconds for latency.*, a ratio 0 … 1 for lossRatio, bits per second for deliveredBps.",
    }),
    actual: z.number().nullable().meta({
      description: "The estimate, in the target's unit (null: no estimate, e.g. no samples or an unstable queue).",
    }),
    status: slaStatus.meta({
      description:
        "met / missed when the 95 % CI (packet level) or the point estimate (flow level) decides; undecided otherwise.",
    }),
    halfWidth: z.number().nonnegative().nullable().meta({
      description: "95 % CI half-width behind the status, in the target's unit (null: none, e.g. at flow level).",
    }),
    low: z.number().nullable().meta({
      description:
        "Lower end of the 95 % interval (Student t across replications; Wilson, widened to t, for lossRatio); null: none.",
    }),
    high: z.number().nullable().meta({ description: "Upper end of the 95 % interval; null: none." }),
    warmup: z.number().nonnegative().nullable().meta({
      description:
        "Seconds cut from the start of each replication as warm-up (mean over replications); null at flow level.",
    }),
    window: z.number().nonnegative().nullable().meta({
      description: "Seconds measured after the warm-up (mean over replications); null at flow level.",
    }),
    warmupMethod: z.enum(["mser-5", "fixed"]).nullable().meta({
      description:
        "mser-5: the warm-up detected from the output; fixed: the topology's (runs with faults, too few observations); null at flow level.",
    }),
    settled: z.boolean().nullable().meta({
      description:
        "MSER-5 found most replications in steady state (false: the row is undecided); null: fixed or flow level.",
    }),
    samples: nullableCount("Observations after the warm-up over all replications (null at flow level)."),
    replications: nullableCount("Replications behind the interval (null at flow level)."),
    precise: z.boolean().nullable().meta({
      description: "The half-width is within the precision target (null: no precision target, or flow level).",
    }),
  })
  .meta({
    id: "PlanSlaRow",
    description:
      "An SLA row (docs/architecture.md §5) with the evidence behind its status: interval, warm-up and window.",
  });

const resultBom = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          kind: z.string().meta({ description: "Catalog id (`unknown-…` for a part no catalog entry covers)." }),
          count: count("Units bought."),
          unitCostUsd: z
            .number()
            .nonnegative()
            .nullable()
            .meta({ description: "List price per unit, USD (a range's midpoint); null when not found." }),
          watts: z
            .number()
            .nonnegative()
            .nullable()
            .meta({ description: "Typical power per unit, watts (a range's midpoint); null when not found." }),
        }),
      )
      .meta({ description: "Sorted by category (adapters, switching, modules, chassis, cables, optics), role, kind." }),
    totals: z
      .strictObject({
        adapters: count("Server adapters and shared adapters."),
        cables: count("Physical cables (data and management)."),
        optics: count("Pluggable transceivers."),
        switchPorts: count("Ports in use on switching boxes."),
        rackUnits: z.number().nonnegative().meta({ description: "Rack units of the boxes bought (known part)." }),
        costUsd: z.number().nonnegative().nullable().meta({
          description: "Known part of the list cost, USD (≥ when unpricedItems > 0); null when nothing is priced.",
        }),
        unpricedItems: count("Units whose price is unknown."),
        watts: z.number().nonnegative().nullable().meta({
          description: "Known part of the typical power, watts; null when no power is known.",
        }),
      })
      .meta({ description: "docs/architecture.md §5 BOM totals." }),
  })
  .meta({ id: "ResultBom", description: "The bill of materials, exactly docs/architecture.md §5's `bom` object." });

const bomTotals = z
  .strictObject({
    adapters: count("Server adapters and shared adapters."),
    cables: count("Physical cables (data and management); midplane traces and in-box slots are not cables."),
    optics: count("Pluggable transceivers."),
    switchPorts: count("Ports in use on switching boxes."),
    rackUnits: z
      .number()
      .nonnegative()
      .meta({ description: "Rack units of the boxes bought (known part; chassis in enclosureRackUnits)." }),
    costUsd: z.number().nonnegative().nullable().meta({
      description: "Known part of the list cost, USD (≥ when unpricedItems > 0); null when nothing is priced.",
    }),
    unpricedItems: count("Units whose price is unknown."),
    watts: z.number().nonnegative().nullable().meta({
      description: "Known part of the typical power, watts (≥ when unknownWattsItems > 0); null when none is known.",
    }),
    switchPortsCabled: count("Of switchPorts, those with a cable plugged in."),
    switchPortsInstalled: count("Front-panel ports installed on switching boxes and modules (known part)."),
    switchPortsInstalledUnknown: count("Boxes and modules whose front-panel port count is unknown."),
    backplanePorts: count("Backplane (midplane) ports in use: blade-to-IOM traces; not switch ports."),
    backplanePortsInstalled: count("Backplane ports installed (known part)."),
    backplanePortsInstalledUnknown: count("Boxes and modules whose backplane port count is unknown."),
    hardwareScore: count(
      "adapters + cables + optics + switchPortsInstalled + lanPorts + sanPorts (a lower bound when hardwareScoreUnknown > 0).",
    ),
    hardwareScoreUnknown: count("Boxes and modules whose front-panel port count is unknown: the score is then ≥."),
    cost: amount.meta({ description: "List cost of everything bought (hardware and port licences), USD, as a range." }),
    power: amount.meta({ description: "Typical power, watts, as a range." }),
    switchingDevices: count("Switching boxes."),
    ioModules: count("Director / fabric interconnect modules plus chassis IOMs."),
    chassis: count("Blade chassis."),
    enclosureRackUnits: z.number().nonnegative().meta({ description: "Rack units of the chassis." }),
    rackUnitsUnknown: count("Boxes whose height is unknown (rackUnits leaves them out)."),
    costRangeUsd: z
      .tuple([z.number(), z.number()])
      .nullable()
      .meta({ description: "Low and high list cost, USD (known part); null when nothing is priced." }),
    unpricedKinds: z.array(z.string()).meta({ description: "Catalog ids with no price." }),
    unknownWattsItems: count("Units whose power is unknown."),
    traces: count("Chassis midplane traces."),
    inBoxSlots: count("In-box slot connections."),
    managementPorts: count("Ports on the out-of-band management network."),
    lanPorts: count("Ports the design uses on the external network (uplinks into the core)."),
    sanPorts: count("Ports the design uses on the storage arrays."),
    licences: count("Port licences bought."),
    servers: count("Servers."),
  })
  .meta({ id: "BomTotals", description: "The full BOM totals (`iovsim bom`), of the chosen candidate." });

const evidence = z
  .strictObject({
    fidelity,
    simulatedSeconds: z
      .number()
      .nonnegative()
      .nullable()
      .meta({ description: "Simulated seconds per replication (packet level; null at flow level)." }),
    windowSeconds: z
      .number()
      .nonnegative()
      .nullable()
      .meta({ description: "Measurement window per replication, seconds (null at flow level)." }),
    replications: nullableCount("Packet-level replications (null at flow level)."),
    samples: z
      .record(z.string(), z.int().nonnegative())
      .nullable()
      .meta({ description: "Latency samples per workload with an SLA row (packet level; null at flow level)." }),
    ci95: z.record(z.string(), z.number().nonnegative().nullable()).nullable().meta({
      description:
        "95 % CI half-widths per SLA row, keyed `workload metric`, in the row's unit (null: none; the whole map is null at flow level).",
    }),
    wallSeconds: seconds("Wall-clock seconds the evaluation took."),
  })
  .meta({ id: "Evidence", description: "What the verdict rests on." });

const surviveCheck = z
  .strictObject({
    fidelity,
    status: z
      .enum(["met", "missed"])
      .meta({ description: "met: every SLA row holds and every server keeps a path after any one shared failure." }),
    components: count("Shared components failed, one at a time (at flow level: all of them)."),
    confirmed: z.array(z.string()).meta({
      description:
        "Packet level: the components run (per kind the one with the least flow-level margin, a few); the others judged at flow level. Empty at flow level.",
    }),
    reasons: z
      .array(z.string())
      .meta({ description: "Why not, per component: SLA rows missed and workloads left without a path (sorted)." }),
  })
  .meta({
    id: "SurviveCheck",
    description: "`survive: single-failure`: the verdict in the state after failover of any one shared component.",
  });

const candidateShape = {
  parameters,
  rank: count("Position in the objective's order (0 = the least)."),
  objective: amount.meta({ description: "The study's objective for this candidate (its typical value orders them)." }),
  hardwareScore: count("The hardware count (rules.hardwareScore); a lower bound when hardwareScoreUnknown > 0."),
  hardwareScoreUnknown: count("Boxes whose port count is unknown (the hardware count is then ≥)."),
  bom: resultBom,
  sla: z.array(slaRow).meta({ description: "The SLA rows, in the topology's order." }),
  survive: surviveCheck.nullable().meta({
    description:
      "`survive: single-failure`: the verdict after any one shared failure (null when the study does not ask, or the rows above already miss).",
  }),
  status: slaStatus.meta({
    description: "missed if any row is missed (or `survive` is missed), else undecided if any row is, else met.",
  }),
  evidence,
};

const candidateEval = z
  .strictObject(candidateShape)
  .meta({ id: "CandidateEval", description: "One candidate of a design, evaluated at one fidelity." });

const flowSummary = z
  .strictObject({
    sla: z.array(slaRow).meta({ description: "The SLA rows at flow level (point estimates)." }),
    flagged: z
      .array(z.string())
      .meta({ description: "SLA workloads the flow level flags (lossy contention / bottleneck)." }),
    needsPacketConfirmation: z.boolean().meta({ description: "True when any workload is flagged." }),
  })
  .meta({ id: "FlowSummary", description: "The flow level's view of a candidate." });

const chosen = z
  .strictObject({
    ...candidateShape,
    bomDetail: bomTotals,
    tco: tcoSchema,
    flow: flowSummary,
  })
  .meta({
    id: "ChosenCandidate",
    description: "The choice: a CandidateEval plus its full BOM totals and flow summary.",
  });

const designPlan = z
  .strictObject({
    design,
    verdict: z.enum(["met", "missed", "undecided", "none"]).meta({
      description:
        "met: confirmed at packet level (or, without confirmation, the flow level's); missed / undecided: the best found; none: no candidate meets at flow level.",
    }),
    confirmed: z.boolean().meta({ description: "True when the choice met every SLA row at packet level." }),
    notes: z.array(z.string()).meta({ description: "Why the verdict is what it is (budget, flags, no neighbour …)." }),
    chosen: chosen.nullable().meta({ description: "The choice (null when no candidate meets at flow level)." }),
    neighbour: candidateEval
      .nullable()
      .meta({ description: "The one-step-smaller neighbour at the verdict's fidelity (null when there is none)." }),
    rejected: z.array(candidateEval).meta({ description: "Candidates the packet level rejected, by rank." }),
    candidates: z
      .strictObject({
        enumerated: count("Parameter combinations."),
        refused: count("Combinations the generator refused."),
        built: count("Candidates built and priced."),
        infeasible: count("Candidates whose BOM is infeasible."),
        ordered: count("Candidates put in hardware order (all of them when the walk went to the end)."),
      })
      .meta({ description: "The design's search space." }),
    attempts: count("Packet-level confirmations run (the neighbour not counted)."),
    budgetExhausted: z
      .boolean()
      .meta({ description: "True when the packet-level budget (rules.maxAttempts) ran out." }),
  })
  .meta({ id: "DesignPlan", description: "The least hardware that meets every SLA row, for one design." });

const studySize = z
  .strictObject({
    candidates: count("Candidates per design after the generator's refusals, summed."),
    boms: count("BOMs built."),
    flow: z
      .strictObject({
        evaluations: count("Flow-level evaluations."),
        wallSeconds: seconds("Wall-clock seconds of the flow-level evaluations."),
      })
      .meta({ description: "Flow level." }),
    packet: z
      .strictObject({
        evaluations: count("Packet-level evaluations (each of `replications` replications)."),
        replications: count(
          "Replications per evaluation (with precision: of the first round; evaluations may run more).",
        ),
        simulatedSecondsPerReplication: z
          .number()
          .nonnegative()
          .nullable()
          .meta({ description: "Simulated seconds per replication (null when nothing ran at packet level)." }),
        simulatedSeconds: seconds(
          "Simulated seconds of every packet-level replication run (evaluations × replications × simulated seconds per replication without precision).",
        ),
        events: count("Simulation events, summed."),
        wallSeconds: seconds("Wall-clock seconds of the packet-level evaluations."),
      })
      .meta({ description: "Packet level." }),
    survive: z
      .strictObject({
        flowEvaluations: count("Flow-level solves with one component failed."),
        packetRuns: count("Packet-level runs (one replication each) with one component failed."),
        simulatedSeconds: seconds("Simulated seconds of those packet-level runs, summed."),
        events: count("Simulation events of those packet-level runs, summed."),
      })
      .meta({ description: "`survive: single-failure` checks (all 0 when the study does not ask)." }),
  })
  .meta({ id: "StudySize", description: "What a search evaluated." });

const curveTotals = z
  .strictObject({
    adapters: count("Adapters."),
    cables: count("Cables."),
    optics: count("Optics."),
    switchPorts: count("Switch ports in use."),
    hardwareScore: count("The hardware count (rules.hardwareScore)."),
    hardwareScoreUnknown: count("Boxes whose port count is unknown: the hardware count is then ≥."),
    capex: amount.meta({ description: "One-off cost, USD." }),
    tco: amount.meta({ description: "Cost of ownership over the study's years, USD." }),
    power: amount.meta({ description: "Typical power, W." }),
    costUsd: z.number().nonnegative().nullable().meta({
      description: "Known part of the list cost, USD (≥ when unpricedItems > 0); null when nothing is priced.",
    }),
    unpricedItems: count("Units whose price is unknown."),
    watts: z
      .number()
      .nonnegative()
      .nullable()
      .meta({ description: "Known part of the typical power, watts; null when no power is known." }),
  })
  .meta({ id: "CurveTotals", description: "Site-wide hardware counts of a curve point." });

const curveRow = z
  .strictObject({
    share: z.number().min(0).max(1).meta({ description: "Virtualized share of the site's servers, 0 … 1." }),
    design,
    virtualizedHosts: count("Hosts on the design's fabric (the first in group order)."),
    physicalHosts: count("Hosts still physical, with the traditional design's per-server I/O."),
    status: z
      .enum(["met", "missed", "undecided", "none"])
      .meta({ description: "The planner's verdict for the hosts on the fabric." }),
    fidelity,
    confirmed: z.boolean().meta({ description: "True when met at packet level." }),
    parameters: parameters.nullable().meta({ description: "The fabric's parameters (null when none was found)." }),
    fabric: curveTotals.nullable().meta({ description: "The virtualized hosts' fabric (null unless status is met)." }),
    physical: curveTotals,
    site: curveTotals.nullable().meta({ description: "fabric + physical (null unless status is met)." }),
  })
  .meta({ id: "CurveRow", description: "One point of the last-mile curve: one design at one virtualized share." });

const curveKnee = z
  .strictObject({
    design,
    knee: z.number().min(0).max(1).nullable().meta({
      description:
        "Share at the start of the steepest segment when it is steep enough; null for a straight line or fewer than 2 met points.",
    }),
    steepestPerHost: z
      .number()
      .nullable()
      .meta({ description: "Fabric hardware score added per host in the steepest segment." }),
    averagePerHost: z
      .number()
      .nullable()
      .meta({ description: "Fabric hardware score added per host from the first met point to the last." }),
    growth: z
      .number()
      .nullable()
      .meta({ description: "Fabric hardware score at the last share minus at the first (null unless both are met)." }),
  })
  .meta({ id: "CurveKnee", description: "Where one design's curve bends." });

const lastMileCurve = z
  .strictObject({
    shares: z.array(z.number().min(0).max(1)).meta({ description: "The virtualized shares asked for, ascending." }),
    rule: z.string().meta({ description: "How the curve is computed, in words." }),
    physicalBasis: z
      .strictObject({
        source: z.enum(["chosen", "current"]).meta({
          description:
            "chosen: the plan's traditional choice; current: the traditional design at the study's current values.",
        }),
        parameters,
      })
      .meta({ description: "The traditional site whose share the physical servers keep." }),
    rows: z.array(curveRow).meta({ description: "Sorted by share, then design." }),
    knees: z.array(curveKnee).meta({ description: "Per design, sorted by name." }),
    flattest: design.nullable().meta({
      description: "The design whose steepest segment is least steep (null when no design has 2 met points).",
    }),
  })
  .meta({ id: "LastMileCurve", description: "Hardware per design as the virtualized share of the site rises." });

/** `PlanResult` as `plan.json` holds it. */
export const planSchema = z
  .strictObject({
    iovsim: z.string().meta({ description: "Version of iovsim that wrote the plan." }),
    study: z.string().meta({ description: "The study's name." }),
    rules: z
      .strictObject({
        objective,
        order: z.string().meta({ description: "How candidates are ordered, in words." }),
        hardwareScore: z.string().meta({ description: "The hardware score's rule, in words." }),
        tco: z.string().meta({ description: "The cost of ownership's rule, in words." }),
        search: z.string().meta({ description: "The search rule, in words." }),
        maxAttempts: count("Packet-level confirmations per design (the neighbour not counted)."),
        replications: count("Packet-level replications per confirmation (the first round's, with precision)."),
        precision: z
          .strictObject({
            relative: z.number().positive().meta({
              description: "Wanted 95 % half-width as a fraction of max(|target|, |estimate|).",
            }),
            minReplications: count("Replications of the first round."),
            maxReplications: count("Cap on replications per confirmation."),
            maxSeconds: seconds("Cap on simulated seconds per confirmation, over all its replications."),
          })
          .nullable()
          .meta({ description: "Packet-level precision target and caps (null: a fixed number of replications)." }),
      })
      .meta({ description: "How the plan was searched." }),
    designs: z.array(designPlan).meta({ description: "One entry per design, sorted by design name." }),
    robustness: robustness
      .nullable()
      .meta({ description: "The Monte Carlo over the price and power ranges (null when no design met)." }),
    lastMileCurve: lastMileCurve.nullable().meta({ description: "The last-mile curve (null when not asked for)." }),
    size: studySize.meta({ description: "What the plan's search evaluated." }),
    curveSize: studySize
      .nullable()
      .meta({ description: "What the curve's points below 100 % evaluated (null without a curve)." }),
    wallSeconds: seconds("Wall-clock seconds the whole plan took."),
  })
  .meta({
    title: "iovsim plan.json",
    description:
      "The output of `iovsim plan STUDY --out DIR`: per design the least hardware that meets every SLA row. SI units: seconds, bits per second; prices in USD, power in watts. Absent values are null, never 0.",
  });

// ---- compile-time check: the schema's output and PlanResult agree (both ways).
type Writable<T> = T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;
type Extends<A extends B, B> = A;
type PlanOutput = z.output<typeof planSchema>;
/** Fails to compile when `PlanResult` and `planSchema` drift apart (readonly modifiers aside: JSON has none). */
export type PlanSchemaAgrees = [Extends<Writable<PlanResult>, PlanOutput>, Extends<PlanOutput, Writable<PlanResult>>];

/** The JSON Schema (draft 2020-12) of plan.json. */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(planSchema, { target: "draft-2020-12", io: "output" });
  const { $schema, ...rest } = generated;
  return { $schema, $id: PLAN_SCHEMA_ID, ...rest };
}

/** The schema as the committed file holds it: two-space JSON and a final newline. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
