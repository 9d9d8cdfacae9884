/**
 * The topology file's `qos` and `transport` blocks (docs/topology-format.md, "Classes of
 * service" and "Transport"): traffic classes in the vendors' words (UCS QoS system classes,
 * 802.1Qaz traffic classes, InfiniBand service levels and virtual lanes), QoS policies, and
 * the transport of workloads (open loop, TCP, DCTCP) with ECN marking. Checked against each
 * other and the rest of the file in `resolve-qos.ts`.
 */

import * as z from "zod";
import { count, describeValue, expected, name, positiveNumber, size, strict, time } from "./fields.js";

export const SYSTEMS = ["ucs", "dcb", "none"] as const;
export const TRANSPORTS = ["udp", "tcp", "dctcp"] as const;
/** UCS QoS system class names, as UCS Manager spells them. */
export const UCS_CLASSES = ["platinum", "gold", "silver", "bronze", "best-effort", "fc"] as const;

function choiceOf<const T extends readonly [string, ...string[]]>(noun: string, values: T) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `missing ${noun}; expected one of: ${values.join(", ")}`
        : `unknown ${noun} ${describeValue(iss.input)}; expected one of: ${values.join(", ")}`,
  });
}

/** An 802.1p priority (class of service), 0–7. */
export function cos() {
  const message = (input: unknown) => expected("a class of service (802.1p priority) 0 … 7", input);
  return z
    .int({ error: (iss) => message(iss.input) })
    .min(0, { error: (iss) => message(iss.input) })
    .max(7, { error: (iss) => message(iss.input) });
}

/** An InfiniBand service level, 0–15. */
export function serviceLevel() {
  const message = (input: unknown) => expected("an InfiniBand service level 0 … 15", input);
  return z
    .int({ error: (iss) => message(iss.input) })
    .min(0, { error: (iss) => message(iss.input) })
    .max(15, { error: (iss) => message(iss.input) });
}

/** An InfiniBand data VL, 0–14. */
function virtualLane() {
  const message = (input: unknown) => expected("a data virtual lane 0 … 14", input);
  return z
    .int({ error: (iss) => message(iss.input) })
    .min(0, { error: (iss) => message(iss.input) })
    .max(14, { error: (iss) => message(iss.input) });
}

/**
 * One traffic class. UCS system classes take `enabled`, `cos`, `weight` (1–10) and `drop`;
 * 802.1Qaz classes take `cos` (one or a list), `bandwidth` (ETS percent) or `strict`, and
 * `drop`. Both take `buffer` and `ecn`. Which fields fit which system is checked on resolve.
 */
const trafficClass = strict(
  {
    enabled: z
      .boolean()
      .optional()
      .meta({ description: "UCS: the class is enabled (platinum … bronze are off by default)." }),
    cos: z
      .union([cos(), z.array(cos()).min(1)], {
        error: (iss) => expected("a class of service 0 … 7 or a list of them", iss.input),
      })
      .optional()
      .meta({ description: "802.1p priorities (CoS) of the class." }),
    weight: count(1)
      .max(10)
      .optional()
      .meta({ description: "UCS: bandwidth weight 1 … 10 (share = weight / sum of enabled weights)." }),
    bandwidth: positiveNumber().max(100).optional().meta({ description: "802.1Qaz ETS: bandwidth share, percent." }),
    strict: z.boolean().optional().meta({ description: "802.1Qaz: strict-priority transmission selection." }),
    drop: z.boolean().optional().meta({ description: "false: no-drop (PFC pauses this class); true: drop-tail." }),
    buffer: size().optional().meta({
      description:
        "Per class and port: the egress threshold of a drop class, the PFC receive buffer of a no-drop class.",
    }),
    ecn: size().optional().meta({ description: "ECN marking threshold of this class's queues (waiting bytes)." }),
  },
  "a traffic class",
);

const policy = strict(
  { priority: name("class").meta({ description: "The system class (or 802.1Qaz class) the policy puts traffic in." }) },
  "a QoS policy { priority }",
);

const vlWeights = () =>
  z
    .record(
      z.string().regex(/^vl(?:[0-9]|1[0-4])$/, { error: (iss) => expected('a data VL "vl0" … "vl14"', iss.input) }),
      count(0).max(255),
      {
        error: (iss) => expected("VL weights like { vl0: 4, vl1: 4 } (units of 64 bytes, 0 … 255)", iss.input),
      },
    )
    .meta({ description: "VL arbitration table: weight per VL in units of 64 bytes (IBA §7.6.9)." });

const infiniband = strict(
  {
    vls: count(1).max(15).optional().meta({ description: "Data VLs per port (VLCap); default 2 on director fabrics." }),
    sl2vl: z
      .array(virtualLane())
      .length(16, { error: (iss) => expected("16 VLs, one per service level 0 … 15", iss.input) })
      .optional()
      .meta({ description: "SL-to-VL mapping table (IBA §7.6.6): the VL of each SL 0 … 15." }),
    high: vlWeights().optional(),
    low: vlWeights().optional(),
    highLimit: count(0)
      .max(255)
      .optional()
      .meta({ description: "LimitOfHighPriority, units of 4 KiB; 255: unlimited." }),
    buffer: size().optional().meta({ description: "Receive buffer (credits) per data VL." }),
    storage: serviceLevel().optional().meta({ description: "SL of storage traffic (vHBAs, I/O); default 1." }),
    lan: serviceLevel().optional().meta({ description: "SL of other traffic (vNICs, messages); default 0." }),
  },
  "infiniband: { vls, sl2vl, high, low, highLimit, buffer, storage, lan }",
);

export const qosSchema = strict(
  {
    system: choiceOf("QoS system", SYSTEMS)
      .optional()
      .meta({ description: "ucs: UCS QoS system classes (default for design ucs); dcb: 802.1Qaz classes; none." }),
    classes: z
      .record(name("class"), trafficClass, {
        error: (iss) => expected("classes: a map of class name to class", iss.input),
      })
      .optional(),
    policies: z
      .record(name("QoS policy"), policy, {
        error: (iss) => expected("policies: a map of name to { priority }", iss.input),
      })
      .optional(),
    fcoe: cos()
      .optional()
      .meta({ description: "dcb: the priority of FCoE traffic (default 3, as DCBX advertises FCoE)." }),
    workloads: z
      .record(name("workload"), z.union([cos(), name("class")]), {
        error: (iss) => expected("workloads: a map of workload name to a class, QoS policy or CoS", iss.input),
      })
      .optional()
      .meta({ description: "Marking by workload (the host sets the CoS): workload name → class, QoS policy or CoS." }),
    infiniband: infiniband.optional(),
  },
  "qos: { system, classes, policies, fcoe, workloads, infiniband }",
);

export const transportSchema = strict(
  {
    messages: choiceOf("transport", TRANSPORTS)
      .optional()
      .meta({ description: "Message workloads (poisson, onoff): udp (open loop, the default), tcp or dctcp." }),
    bulk: choiceOf("transport", ["tcp", "dctcp"])
      .optional()
      .meta({ description: "Bulk workloads: tcp (default) or dctcp." }),
    rtoMin: time()
      .optional()
      .meta({ description: "TCP's minimum retransmission timeout (default 200ms, Linux TCP_RTO_MIN)." }),
    initialWindow: count(1, "initialWindow")
      .optional()
      .meta({ description: "TCP's initial window, segments (default 10, RFC 6928)." }),
    ecn: z
      .union([size(), z.literal("auto"), z.literal("off")], {
        error: (iss) => expected('an ECN marking threshold (a size), "auto" or "off"', iss.input),
      })
      .optional()
      .meta({
        description:
          "ECN marking threshold K of Ethernet egress queues (ECN-capable traffic only). auto (default): 65 packets at 10 Gb/s, scaled with the line rate, at least 20 (DCTCP).",
      }),
  },
  "transport: { messages, bulk, rtoMin, initialWindow, ecn }",
);

export type QosSpec = z.output<typeof qosSchema>;

/** A study's `qos`: a topology `qos` block per design, written into that design's topologies. */
export const studyQosSchema = strict(
  {
    traditional: qosSchema.optional(),
    director: qosSchema.optional(),
    ucs: qosSchema.optional(),
    mriov: qosSchema.optional(),
  },
  "qos: a map of design (traditional, director, ucs, mriov) to its qos block",
).meta({ description: "Classes of service per design: each design's topologies get its block as their qos." });

/** The `qos` and `transport` blocks a study writes into the topologies of `design`. */
export function studyFabricBlocks(
  study: { readonly qos?: z.output<typeof studyQosSchema> | undefined; readonly transport?: TransportSpec | undefined },
  design: "traditional" | "director" | "ucs" | "mriov",
): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const qos = study.qos?.[design];
  if (qos !== undefined) out.push(["qos", qos]);
  if (study.transport !== undefined) out.push(["transport", study.transport]);
  return out;
}
export type TransportSpec = z.output<typeof transportSchema>;
