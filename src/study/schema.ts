/**
 * The study file (docs/study-format.md): a compact description of a site that the
 * design generators (`src/design`) turn into explicit topologies. zod 4, built
 * from the topology schema's field helpers so units, names, distributions and
 * messages read the same in both kinds of file.
 *
 * Cross-references (group names, SLA workloads, design parameters) are checked
 * after the schema, in `load.ts`.
 */

import * as z from "zod";
import {
  burstDist,
  count,
  describeValue,
  expected,
  fraction,
  name,
  positiveNumber,
  rate,
  sizeDist,
  strict,
} from "../topology/fields.js";
import { DESIGNS, experimentSchema, failoverSchema, precisionSchema, slaSchema } from "../topology/schema.js";
import { studyQosSchema, transportSchema } from "../topology/schema-qos.js";
import { PLACEMENTS } from "./placement.js";

export const GROUP_CLASSES = ["virtualized", "last-mile"] as const;

function oneOf<const T extends readonly [string, ...string[]]>(noun: string, values: T) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `missing ${noun}; expected one of: ${values.join(", ")}`
        : `unknown ${noun} ${describeValue(iss.input)}; expected one of: ${values.join(", ")}`,
  });
}

// ---------------------------------------------------------------- workloads

const vms = () =>
  z
    .union([z.literal("all"), count(1, "vms")], {
      error: (iss) => expected(`"all" or a number of VMs per host`, iss.input),
    })
    .optional()
    .meta({ description: 'One instance per VM: "all" VMs of each host, or the first N. Absent: one per host.' });

const common = {
  name: name("workload"),
  vms: vms(),
  to: z
    .string({ error: (iss) => expected('"lan", "storage" or a group name', iss.input) })
    .meta({ description: 'Where it sends: "lan", "storage" (the site\'s array) or a group name (east-west).' }),
  unit: oneOf("unit", ["message", "io"]).optional(),
  read: fraction("read share").optional(),
};

export const studyWorkloadSchema = z.discriminatedUnion(
  "pattern",
  [
    strict({ ...common, pattern: z.literal("poisson"), rate: rate(), size: sizeDist() }),
    strict({
      ...common,
      pattern: z.literal("onoff"),
      rate: rate(),
      size: sizeDist(),
      burst: strict({ on: burstDist(), off: burstDist() }),
    }),
    strict({ ...common, pattern: z.literal("bulk"), size: sizeDist(), outstanding: count(1, "queueDepth").optional() }),
    strict({ ...common, pattern: z.literal("iops"), iops: positiveNumber("iops"), size: sizeDist() }),
  ],
  {
    error: (iss) =>
      iss.code === "invalid_union"
        ? `unknown pattern ${describeValue((iss.input as { pattern?: unknown } | undefined)?.pattern)}; expected one of: poisson, onoff, bulk, iops`
        : expected("a workload: a map with name, to, pattern, …", iss.input),
  },
);

// ---------------------------------------------------------------- host I/O

export const ETH_LINKS = ["eth-1g", "eth-10g"] as const;
export const FC_LINKS = ["fc-4g", "fc-8g"] as const;

/**
 * A server's own I/O, as a traditional rack would cable it: Ethernet ports and FC
 * ports. Every design realises it (NIC and HBA ports; vNICs and vHBAs with these
 * committed rates; a shared adapter's weights).
 */
export const hostIoSchema = strict(
  {
    eth: strict(
      {
        ports: count(1, "hostPorts").meta({
          description: "Ethernet ports per server (teamed across the A and B sides).",
        }),
        link: oneOf("Ethernet link", ETH_LINKS),
      },
      "eth { ports, link }",
    )
      .optional()
      .meta({ description: "Ethernet ports: { ports: 8, link: eth-1g }." }),
    fc: strict(
      {
        ports: count(1, "hostPorts").meta({
          description: "FC ports per server (multipathed over SAN fabrics A and B).",
        }),
        link: oneOf("FC link", FC_LINKS),
      },
      "fc { ports, link }",
    )
      .optional()
      .meta({ description: "Fibre Channel ports: { ports: 2, link: fc-8g }." }),
  },
  "host I/O { eth: { ports, link }, fc: { ports, link } }",
);

// ---------------------------------------------------------------- groups

export const groupSchema = strict(
  {
    name: name("group"),
    class: oneOf("class", GROUP_CLASSES).meta({
      description: "virtualized: hosts already running VMs; last-mile: the heavy-I/O systems not yet virtualized.",
    }),
    hosts: count(1, "servers").meta({ description: "How many servers; where they sit: placement." }),
    profile: z.string().optional().meta({ description: "What the group is, in words (database, backup, …)." }),
    io: hostIoSchema
      .optional()
      .meta({ description: "The group's own host I/O; what it leaves out comes from the study's io." }),
    workloads: z.array(studyWorkloadSchema).default([]),
  },
  "a group { name, class, hosts, workloads }",
);

// ---------------------------------------------------------------- designs

const paramScalar = z.union([z.number(), z.string()], {
  error: (iss) => expected("a number or a name", iss.input),
});

export const paramSchema = z.union(
  [
    paramScalar,
    strict(
      {
        value: paramScalar,
        range: z
          .tuple([z.number(), z.number()], { error: (iss) => expected("[min, max]", iss.input) })
          .optional()
          .meta({ description: "Inclusive range the planner may search (whole numbers)." }),
        choices: z
          .array(paramScalar)
          .min(1)
          .optional()
          .meta({ description: "The values the planner may choose from." }),
      },
      "a parameter { value, range | choices }",
    ),
  ],
  {
    error: (iss) =>
      iss.code === "invalid_union"
        ? expected("a value, or { value, range: [min, max] } or { value, choices: [...] }", iss.input)
        : undefined,
  },
);

export const designSpecSchema = strict(
  {
    name: name("topology")
      .optional()
      .meta({ description: "Name of the generated topology (default <study>-<design>)." }),
    description: z.string().optional(),
    parameters: z.record(z.string(), paramSchema).default({}),
  },
  "a design { name?, description?, parameters }",
);

const designsShape = Object.fromEntries(DESIGNS.map((d) => [d, designSpecSchema.optional()])) as Record<
  (typeof DESIGNS)[number],
  z.ZodOptional<typeof designSpecSchema>
>;

// ---------------------------------------------------------------- money: what to minimize and how to price it (issue 11)

/** What the planner minimizes per design. */
export const OBJECTIVES = ["tco", "capex", "watts", "hardware"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** The last-mile curve's default shares: from the seed's "only 40 % virtualized" to the last 5–10 %. */
export const DEFAULT_CURVE_SHARES: readonly number[] = [0.4, 0.6, 0.8, 0.9, 0.95, 1];

/** Monte Carlo draws of the price and power ranges for the rank robustness. */
export const DEFAULT_DRAWS = 1000;

/** A figure in a study: a number or a [min, max] range. */
const studyFigure = (noun: string) =>
  z.union(
    [
      z.number().nonnegative(),
      z
        .tuple([z.number().nonnegative(), z.number().nonnegative()])
        .refine(([a, b]) => a <= b, { message: "a range is [min, max] with min ≤ max" }),
    ],
    {
      error: (iss) =>
        iss.code === "invalid_union" ? expected(`${noun}: a number or a [min, max] range`, iss.input) : undefined,
    },
  );

export const costSchema = strict(
  {
    era: oneOf("era", ["2010", "today"])
      .default("today")
      .meta({ description: "Which era's PUE and electricity price the catalog's cost model gives: 2010 or today." }),
    years: count(1, "years").default(3).meta({ description: "Years of ownership (support and energy)." }),
    discount: fraction("discount")
      .default(0)
      .meta({ description: "Discount off list price, 0 … 1 (capital, licences, upstream ports and support)." }),
    pue: studyFigure("pue")
      .optional()
      .meta({ description: "Power usage effectiveness, overriding the cost model's (≥ 1)." }),
    kwhPriceUsd: studyFigure("kwhPriceUsd")
      .optional()
      .meta({ description: "Electricity price in USD per kWh, overriding the cost model's." }),
    support: z.record(z.string(), studyFigure("a support rate")).optional().meta({
      description:
        "Support rate per year (0 … 1 of the price) by the cost model's rule id, e.g. { cisco-smartnet: 0.12 }.",
    }),
    cablingLabour: z
      .boolean({ error: (iss) => expected("true or false", iss.input) })
      .default(true)
      .meta({ description: "Count the labour of each cable run." }),
    labourPerCableUsd: studyFigure("labourPerCableUsd")
      .optional()
      .meta({ description: "Labour per cable run in USD, overriding the cost model's." }),
  },
  "cost { era, years, discount, pue?, kwhPriceUsd?, support?, cablingLabour, labourPerCableUsd? }",
).superRefine((c, ctx) => {
  const pue = c.pue === undefined ? [] : typeof c.pue === "number" ? [c.pue] : c.pue;
  if (pue.some((x) => x < 1))
    ctx.addIssue({ code: "custom", path: ["pue"], message: "a PUE is at least 1 (facility power / IT power)" });
  for (const [rule, rate] of Object.entries(c.support ?? {})) {
    const r = typeof rate === "number" ? [rate] : rate;
    if (r.some((x) => x > 1))
      ctx.addIssue({
        code: "custom",
        path: ["support", rule],
        message: "a support rate is a share of the price per year, 0 … 1",
      });
  }
});

export type StudyCost = z.output<typeof costSchema>;

// ---------------------------------------------------------------- the file

export const studySchema = strict(
  {
    $schema: z.string().optional(),
    name: name("study"),
    description: z.string().optional(),
    experiment: experimentSchema,
    precision: precisionSchema,
    servers: count(1, "servers").meta({ description: "Servers in the site, named host1 … hostN." }),
    placement: oneOf("placement", PLACEMENTS).default("grouped").meta({
      description:
        "Where the groups' servers sit: grouped (default) takes consecutive hosts in file order; spread spreads every group evenly over the site, so each chassis, box, leaf or access pair carries its share of the last mile.",
    }),
    vmsPerHost: count(0, "vms").meta({ description: "VMs on every server (vm1 …)." }),
    storage: strict(
      {
        name: name("storage array").default("array1"),
        media: oneOf("media", ["flash", "disk"]).default("flash"),
        concurrency: count(1, "queueDepth").default(64),
      },
      "storage { name, media, concurrency }",
    ).prefault({}),
    groups: z.array(groupSchema).min(1, { error: () => "expected at least one group" }),
    io: hostIoSchema.optional().meta({
      description: "Host I/O of groups that do not give their own (default: 8 x 1GbE + 2 x 8G FC, the 2010 baseline).",
    }),
    sla: z.array(slaSchema).default([]),
    survive: z.literal("single-failure").optional(),
    redundancy: oneOf("redundancy", ["redundant", "none"]).optional().meta({
      description:
        "redundant (default): every design as deployed in pairs (A/B sides, dual-homed hosts); none: one of each shared box (only without survive).",
    }),
    san: strict(
      {
        attach: oneOf("SAN attach", ["switched", "direct"]).default("switched"),
      },
      "san { attach: switched | direct }",
    )
      .prefault({})
      .meta({
        description:
          "switched (default): FC goes through A/B FC switches to the array; direct: FC ports cabled straight to the array ports (FI in FC switch mode, zoning on the fabric interconnect or the array).",
      }),
    failover: failoverSchema.optional().meta({
      description: "Failover time per mechanism for the generated topologies (docs/failover.md).",
    }),
    sizes: z
      .array(count(1))
      .min(1, { error: () => "expected at least one site size" })
      .optional()
      .meta({ description: "Site sizes (servers) for the site-size curve (iovsim plan --sizes)." }),
    designs: strict(designsShape, `designs: a map of design (${DESIGNS.join(", ")}) to its parameters`),
    objective: oneOf("objective", OBJECTIVES)
      .default("tco")
      .meta({ description: "What the planner minimizes per design: tco, capex, watts or hardware (the count)." }),
    cost: costSchema.prefault({}).meta({ description: "How to price ownership." }),
    curve: z
      .array(fraction("a virtualized share"), { error: (iss) => expected("a list of shares 0 … 1", iss.input) })
      .min(1, { error: () => "expected at least one share" })
      .default([...DEFAULT_CURVE_SHARES])
      .meta({ description: "Virtualized shares of the last-mile curve, 0 … 1." }),
    draws: count(100, "draws")
      .default(DEFAULT_DRAWS)
      .meta({ description: "Monte Carlo draws of the price and power ranges (rank robustness)." }),
    qos: studyQosSchema.optional(),
    transport: transportSchema.optional().meta({
      description:
        "How workloads' messages travel (open loop, TCP, DCTCP) and ECN marking; written into every design's topologies.",
    }),
  },
  "a study: a map with name, servers, groups, designs, …",
).meta({ title: "iovsim study", description: "A site: server population, workloads, SLAs, designs to compare." });

export type StudyFile = z.output<typeof studySchema>;
export type StudyGroup = z.output<typeof groupSchema>;
export type StudyWorkload = z.output<typeof studyWorkloadSchema>;
export type StudyDesignSpec = z.output<typeof designSpecSchema>;
export type StudyParam = z.output<typeof paramSchema>;
export type HostIoSpec = z.output<typeof hostIoSchema>;
