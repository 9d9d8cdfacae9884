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
import { DESIGNS, experimentSchema, slaSchema } from "../topology/schema.js";
import { studyQosSchema, transportSchema } from "../topology/schema-qos.js";

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
    .union([z.literal("all"), count(1)], {
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

// ---------------------------------------------------------------- groups

export const groupSchema = strict(
  {
    name: name("group"),
    class: oneOf("class", GROUP_CLASSES).meta({
      description: "virtualized: hosts already running VMs; last-mile: the heavy-I/O systems not yet virtualized.",
    }),
    hosts: count(1, "servers").meta({ description: "How many servers; groups take consecutive hosts in file order." }),
    profile: z.string().optional().meta({ description: "What the group is, in words (database, backup, …)." }),
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

// ---------------------------------------------------------------- the file

export const studySchema = strict(
  {
    $schema: z.string().optional(),
    name: name("study"),
    description: z.string().optional(),
    experiment: experimentSchema,
    servers: count(1, "servers").meta({ description: "Servers in the site, named host1 … hostN." }),
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
    sla: z.array(slaSchema).default([]),
    survive: z.literal("single-failure").optional(),
    designs: strict(designsShape, `designs: a map of design (${DESIGNS.join(", ")}) to its parameters`),
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
