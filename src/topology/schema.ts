/**
 * The topology file (docs/topology-format.md) as zod 4 schemas: structure,
 * units and defaults. One source of truth for validation, the parsed types and
 * the published JSON Schema (`schema/iovsim.schema.json`).
 *
 * Cross-references (endpoints, ports, budgets, workload targets) are checked
 * afterwards in `resolve.ts`; unit strings stay strings here and are parsed there,
 * so the JSON Schema describes exactly what users write.
 */

import * as z from "zod";
import { BOUNDS } from "./bounds.js";
import {
  burstDist,
  count,
  describeValue,
  distribution,
  expected,
  fraction,
  length,
  linkId,
  modelId,
  name,
  pcieId,
  positiveNumber,
  positiveTime,
  RANGED_NAME_PATTERN,
  rate,
  reference,
  references,
  size,
  sizeDist,
  strict,
  time,
} from "./fields.js";
import { adapterFields, linkFramingFields, queuePacketsField } from "./link-fields.js";
import { cos, qosSchema, serviceLevel, TRANSPORTS, transportSchema } from "./schema-qos.js";

export const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;
export const NODE_KINDS = [
  "server",
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
  "shared-adapter",
  "storage-array",
  "lan",
] as const;
export const ADAPTER_TYPES = ["nic", "hba", "cna", "vic", "hca", "pcie-extender"] as const;
export const PATTERNS = ["poisson", "onoff", "bulk", "iops"] as const;
export const METRICS = ["latency.p99", "latency.mean", "lossRatio", "deliveredBps"] as const;

function oneOf(noun: string, values: readonly string[]) {
  return (input: unknown) =>
    input === undefined
      ? `missing ${noun}; expected one of: ${values.join(", ")}`
      : `unknown ${noun} ${describeValue(input)}; expected one of: ${values.join(", ")}`;
}

function choice<const T extends readonly [string, ...string[]]>(noun: string, values: T) {
  const message = oneOf(noun, values);
  return z.enum(values, { error: (iss) => message(iss.input) });
}

/** Port groups: `{ eth: 48, up: 4 }` → eth1 … eth48, up1 … up4. */
const portGroups = () =>
  z
    .record(name("port group"), count(1, "portGroup"), {
      error: (iss) => expected(`port groups like { eth: 48, up: 4 }`, iss.input),
    })
    .meta({ description: "Port groups and their counts: { eth: 48 } names ports eth1 … eth48." });

// ---------------------------------------------------------------- servers

const vif = strict(
  {
    name: name("vif"),
    type: choice("vif type", ["vnic", "vhba"]),
    port: reference("a port of this adapter", "vic0/1"),
    committed: rate().optional(),
    peak: rate().optional(),
    fabric: choice("fabric", ["A", "B"]).optional(),
    pin: reference('an uplink "node:port" to pin to', "fi-a:eth1/1").optional(),
    mtu: count(46).optional().meta({ description: "MTU of this vNIC's flows (default: the adapter's, else 1500)." }),
    qos: name("QoS policy")
      .optional()
      .meta({ description: "The vif's QoS policy (qos.policies) or class: its traffic's class of service." }),
  },
  "a vif",
);

const adapter = strict(
  {
    name: name("adapter"),
    type: choice("adapter type", ADAPTER_TYPES),
    link: linkId(),
    ports: count(1, "adapterPorts"),
    bus: pcieId(),
    vfs: count(0, "vfs").optional().meta({ description: "SR-IOV virtual functions per port." }),
    maxVfs: count(0, "vfs").optional().meta({ description: "The adapter's limit of VFs per port." }),
    vfLimit: rate()
      .optional()
      .meta({ description: "Rate limit of each SR-IOV VF (the NIC's per-VF transmit rate limiter)." }),
    vifs: z
      .array(vif)
      .max(BOUNDS.vifs.max, { error: () => `more than ${BOUNDS.vifs.max} vifs on one adapter: ${BOUNDS.vifs.above}` })
      .optional(),
    maxVifs: count(0, "vifs").optional(),
    model: modelId("this adapter").optional(),
    ...adapterFields,
  },
  "an adapter",
);

const server = strict({
  kind: z.literal("server"),
  vms: count(0, "vms").default(0).meta({ description: "VMs on the server, named vm1 …" }),
  chassis: reference("a chassis name", "chassis1").optional(),
  pcie: strict({ slots: count(1, "pcieSlots") }).optional(),
  adapters: z.array(adapter).default([]),
  model: modelId("this server").optional(),
  chassisModel: modelId("the chassis this server sits in").optional(),
});

// ---------------------------------------------------------------- switches and friends

const forwarding = () => choice("forwarding", ["cut-through", "store-and-forward"]).default("cut-through");

function networkSwitch<const K extends string>(kind: K, latency: string, buffer: string) {
  return strict({
    kind: z.literal(kind),
    ports: portGroups(),
    forwarding: forwarding(),
    latency: time("latency").default(latency),
    buffer: size("buffer").default(buffer).meta({ description: "Shared buffer in bytes." }),
    queuePackets: queuePacketsField,
    model: modelId("this switch").optional(),
  });
}

const pcieSwitch = strict({
  kind: z.literal("pcie-switch"),
  ports: portGroups(),
  mrAware: z.boolean().default(false).meta({ description: "Keeps each host's virtual hierarchy apart." }),
  latency: time("latency").default("150ns"),
  buffer: size("buffer").optional(),
  model: modelId("this PCIe switch or box").optional(),
});

const ioModule = strict(
  {
    name: name("module"),
    link: linkId(),
    ports: count(1, "modulePorts"),
    model: modelId("this I/O module").optional(),
  },
  "an I/O module",
);

const ioDirector = strict({
  kind: z.literal("io-director"),
  ports: portGroups(),
  modules: z.array(ioModule).default([]),
  latency: time("latency").default("1us"),
  buffer: size("buffer").optional(),
  queuePackets: queuePacketsField,
  model: modelId("this I/O director").optional(),
});

const fabricInterconnect = strict({
  kind: z.literal("fabric-interconnect"),
  ports: portGroups(),
  modules: z.array(ioModule).default([]),
  latency: time("latency").default("2us"),
  buffer: size("buffer").optional(),
  queuePackets: queuePacketsField,
  uplinkPinning: choice("uplink pinning", ["per-vnic", "flow-hash"]).default("per-vnic").meta({
    description:
      "End-host mode: each vNIC's traffic to the LAN leaves through one uplink (or port-channel), assigned in turn (per-vnic, UCS dynamic pinning); or every flow hashed over the uplinks (flow-hash).",
  }),
  portChannels: z
    .array(references("uplink ports", "eth1/[1..2]"))
    .default([])
    .meta({ description: "Uplink port-channels: a vNIC pinned to one spreads its flows over the members." }),
  model: modelId("this fabric interconnect").optional(),
});

const fabricExtender = strict({
  kind: z.literal("fabric-extender"),
  ports: portGroups(),
  chassis: reference("a chassis name", "chassis1").optional(),
  pinning: choice("pinning", ["static", "port-channel"]).default("static"),
  latency: time("latency").default("500ns"),
  model: modelId("this fabric extender (I/O module)").optional(),
  chassisModel: modelId("the chassis this fabric extender sits in").optional(),
});

const sharedAdapter = strict({
  kind: z.literal("shared-adapter"),
  ports: portGroups(),
  bus: pcieId(),
  link: linkId(),
  hosts: references("a server name", "host[1..4]"),
  arbitration: choice("arbitration", ["round-robin", "weighted"]).default("round-robin"),
  weights: z.record(reference("a server name", "host1"), positiveNumber("shape")).optional(),
  limit: z.record(reference("a server name", "host1"), rate()).optional(),
  model: modelId("this shared adapter").optional(),
});

const storageArray = strict({
  kind: z.literal("storage-array"),
  ports: portGroups(),
  media: choice("media", ["flash", "disk"]).optional(),
  service: strict({
    read: distribution(() => time("serviceTime"), "time", "100us"),
    write: distribution(() => time("serviceTime"), "time", "100us"),
  }).optional(),
  concurrency: count(1, "queueDepth").default(64).meta({ description: "I/Os served at once." }),
  model: modelId("this storage array").optional(),
});

const lan = strict({ kind: z.literal("lan"), ports: portGroups(), model: modelId("the external network").optional() });

const NODE_MESSAGE = oneOf("kind", NODE_KINDS);

export const nodeSchema = z.discriminatedUnion(
  "kind",
  [
    server,
    networkSwitch("ethernet-switch", "500ns", "9MB"),
    networkSwitch("fc-switch", "700ns", "2MB"),
    networkSwitch("ib-switch", "150ns", "1MB"),
    pcieSwitch,
    ioDirector,
    fabricInterconnect,
    fabricExtender,
    sharedAdapter,
    storageArray,
    lan,
  ],
  {
    error: (iss) => {
      if (iss.code === "invalid_union") {
        const input = iss.input as { kind?: unknown } | undefined;
        return NODE_MESSAGE(input?.kind);
      }
      return expected(`a node: a map with kind (${NODE_KINDS.join(", ")})`, iss.input);
    },
  },
);

// ---------------------------------------------------------------- links

export const linkSchema = strict(
  {
    endpoints: z
      .tuple([reference('an endpoint "node:port"', "host1:nic0/1"), reference('an endpoint "node:port"', "sw1:eth1")], {
        error: (iss) => expected(`two endpoints ["node:port", "node:port"]`, iss.input),
      })
      .meta({ description: "The two ends; ranges zip pairwise." }),
    type: linkId(),
    length: length().optional().meta({ description: "Cable length (default 2m); propagation 5 ns/m." }),
    delay: time("delay").optional().meta({ description: "Propagation delay, instead of length." }),
    lossless: z.boolean().optional().meta({ description: "Ethernet only: PFC. Other families are always lossless." }),
    buffer: size("buffer").optional().meta({ description: "Receive buffer (credits) in bytes, for lossless links." }),
    ...linkFramingFields,
  },
  "a link",
);

// ---------------------------------------------------------------- workloads

const common = {
  name: name("workload"),
  on: references("hosts or host/vm", "host[1..24]/vm[1..8]"),
  via: references("a port, a vif name or vf", "nic0/1"),
  to: references("lan, a storage-array or servers", "lan"),
  unit: choice("unit", ["message", "io"])
    .optional()
    .meta({ description: "message (network) or io (storage); default io for pattern iops, message otherwise." }),
  read: fraction("read share").optional().meta({ description: "Share of reads (unit: io)." }),
  transport: choice("transport", TRANSPORTS)
    .optional()
    .meta({ description: "Messages: udp (open loop), tcp or dctcp; default from the file's transport block." }),
  priority: z
    .union([cos(), name("class")], { error: (iss) => expected("a class of service 0 … 7 or a class name", iss.input) })
    .optional()
    .meta({ description: "Class of service the host marks this workload's frames with (a CoS or a class name)." }),
  sl: serviceLevel().optional().meta({ description: "InfiniBand service level of this workload's packets." }),
};

const WORKLOAD_MESSAGE = oneOf("pattern", PATTERNS);

export const workloadSchema = z.discriminatedUnion(
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
    strict({ ...common, pattern: z.literal("bulk"), size: sizeDist(), outstanding: count(1, "queueDepth").default(1) }),
    strict({
      ...common,
      pattern: z.literal("iops"),
      iops: positiveNumber("iops").meta({ description: "I/Os per second per instance." }),
      size: sizeDist(),
    }),
  ],
  {
    error: (iss) =>
      iss.code === "invalid_union"
        ? WORKLOAD_MESSAGE((iss.input as { pattern?: unknown } | undefined)?.pattern)
        : expected(`a workload: a map with name, on, via, to, pattern, …`, iss.input),
  },
);

// ---------------------------------------------------------------- sla, faults, experiment

const SLA_MESSAGE = oneOf("metric", METRICS);

export const slaSchema = z.discriminatedUnion(
  "metric",
  [
    strict({ workload: name("workload"), metric: z.literal("latency.p99"), target: time("latencyTarget") }),
    strict({ workload: name("workload"), metric: z.literal("latency.mean"), target: time("latencyTarget") }),
    strict({ workload: name("workload"), metric: z.literal("lossRatio"), target: fraction("a loss ratio") }),
    strict({ workload: name("workload"), metric: z.literal("deliveredBps"), target: rate() }),
  ],
  {
    error: (iss) =>
      iss.code === "invalid_union"
        ? SLA_MESSAGE((iss.input as { metric?: unknown } | undefined)?.metric)
        : expected(`an SLA row { workload, metric, target }`, iss.input),
  },
);

export const faultSchema = strict(
  {
    at: time(),
    action: choice("action", ["fail", "restore"]),
    target: reference('a node, or "node:port", "node:adapter" or "node:module"', "host1:nic0/1"),
  },
  "a fault { at, action, target }",
);

export const failureSchema = strict(
  {
    kind: choice("node kind", NODE_KINDS),
    mtbf: positiveTime("failureTime").meta({
      description: "Mean time between failures of each node of this kind (exponential).",
    }),
    mttr: positiveTime("failureTime").meta({ description: "Mean time to repair (exponential)." }),
  },
  "a random failure process { kind, mtbf, mttr }",
);

/** Failover time per mechanism (src/run/failover.ts): a time, or "off" (that mechanism never moves a flow). */
const failoverTime = () =>
  z
    .union([z.literal("off"), time()], {
      error: (iss) => expected('a time ("300ms") or "off"', iss.input),
    })
    .optional();

export const failoverSchema = strict(
  {
    multipath: failoverTime().meta({ description: "Host multipathing (storage paths), default 5s." }),
    teaming: failoverTime().meta({ description: "NIC teaming on link-down, default 100ms." }),
    fabricFailover: failoverTime().meta({ description: "UCS fabric failover of a vNIC, default 300ms." }),
    haVnic: failoverTime().meta({ description: "I/O director HA vNIC switch-over, default 1s." }),
    fabric: failoverTime().meta({ description: "Re-routing inside a switched fabric, default 500ms." }),
  },
  "failover times per mechanism { multipath, teaming, fabricFailover, haVnic, fabric }",
);

export const experimentSchema = strict(
  {
    duration: positiveTime().default("10ms"),
    warmup: time().default("1ms"),
    replications: count(1, "replications").default(1),
    seed: count(0).default(1),
  },
  "an experiment { duration, warmup, replications, seed }",
).prefault({});

/**
 * `precision`: replications until every SLA row's 95 % half-width is within `relative` of
 * max(|target|, |estimate|), or a cap (src/run/precision.ts); "off": the experiment's fixed
 * replications. Shared by topology and study files.
 */
export const precisionSchema = z
  .union(
    [
      z.literal("off"),
      strict(
        {
          relative: positiveNumber().meta({
            description: "Wanted 95 % half-width as a fraction of max(|target|, |estimate|); default 0.1.",
          }),
          minReplications: count(2).optional().meta({
            description: "Replications of the first round; default max(3, experiment.replications).",
          }),
          maxReplications: count(2).optional().meta({ description: "Cap on replications; default 10." }),
          maxTime: positiveTime().optional().meta({
            description: "Cap on simulated time summed over all replications; default 1s.",
          }),
        },
        'precision: "off" or { relative, minReplications, maxReplications, maxTime }',
      ),
    ],
    {
      error: (iss) =>
        expected('precision: "off" or { relative, minReplications, maxReplications, maxTime }', iss.input),
    },
  )
  .optional()
  .meta({
    description:
      "Run length chosen by precision: replications until every SLA row's 95 % half-width is within `relative` of its target or estimate (warm-up detected per row by MSER-5), within the caps. Absent: relative 0.1 and the default caps; off: the experiment's fixed replications.",
  });

// ---------------------------------------------------------------- the file

export const topologySchema = strict(
  {
    $schema: z.string().optional().meta({ description: "JSON Schema for editors." }),
    name: name("topology"),
    design: choice("design", DESIGNS),
    description: z.string().optional(),
    experiment: experimentSchema,
    precision: precisionSchema,
    topology: strict(
      {
        nodes: z
          .record(z.string().regex(RANGED_NAME_PATTERN), nodeSchema, {
            error: (iss) => expected(`nodes: a map of name to node`, iss.input),
          })
          .meta({ description: "Nodes by name; host[1..32] expands to host1 … host32." }),
        links: z.array(linkSchema).default([]),
      },
      "topology: { nodes, links }",
    ),
    workloads: z.array(workloadSchema).default([]),
    sla: z.array(slaSchema).default([]),
    survive: z.literal("single-failure").optional().meta({
      description:
        "single-failure: the design meets its SLA only if every SLA row still holds after any one shared component fails (iovsim blast).",
    }),
    redundancy: z
      .enum(["redundant", "none"], { error: (iss) => expected('"redundant" or "none"', iss.input) })
      .optional()
      .meta({
        description:
          "none: the design declares itself non-redundant (single points of failure are expected; iovsim blast reports them without counting them as defects).",
      }),
    failover: failoverSchema.optional().meta({
      description: "Failover time per mechanism (docs/failover.md); absent mechanisms keep their defaults.",
    }),
    faults: z.array(faultSchema).default([]),
    qos: qosSchema.optional().meta({
      description:
        "Classes of service: DCB traffic classes (UCS system classes or 802.1Qaz), QoS policies, InfiniBand SLs and VLs.",
    }),
    transport: transportSchema
      .optional()
      .meta({ description: "How workloads' messages travel (open loop, TCP, DCTCP) and ECN marking." }),
    failures: z.array(failureSchema).default([]).meta({
      description:
        "Random failures: every node of a kind fails after an exponential up time (mean mtbf) and is repaired after an exponential down time (mean mttr), from its own random stream.",
    }),
  },
  "a topology: a map with name, design, topology, …",
).meta({ title: "iovsim topology", description: "One I/O fabric: nodes, links, workloads, SLAs, experiment." });

/** The file after structural validation and defaults; names expanded, units still strings. */
export type TopologyFile = z.output<typeof topologySchema>;
export type NodeSpec = z.output<typeof nodeSchema>;
export type AdapterSpec = z.output<typeof adapter>;
export type LinkSpec = z.output<typeof linkSchema>;
export type WorkloadSpec = z.output<typeof workloadSchema>;
export type SlaSpec = z.output<typeof slaSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type PrecisionSpec = z.output<typeof precisionSchema>;
