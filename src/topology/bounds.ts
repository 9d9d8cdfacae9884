/**
 * Physical bounds of what a file may say: the numbers outside them describe no
 * hardware there is, and would make the model divide by nothing, schedule
 * beyond its clock or allocate without end. One table, each bound with why it
 * is there and, where it comes from the outside world, its source and how far to
 * trust it (high: a standard or the vendor's own document; medium: a vendor
 * document for one product family, or a well-known figure read second-hand).
 * docs/topology-format.md prints the same table ("Bounds").
 */

import { formatRate, formatSize, formatTime } from "../../sim/units.js";

export interface Bound {
  /** Smallest value allowed (inclusive), in the quantity's unit (ticks, bits/s, bytes, metres, or a count). */
  readonly min: number;
  /** Largest value allowed (inclusive). */
  readonly max: number;
  /** Why nothing is smaller, for the message (absent where the minimum needs no reason: 0 or 1). */
  readonly below?: string;
  /** Why nothing is larger, for the message. */
  readonly above: string;
  /** Where the figure comes from, or null when it is a modelling limit of this simulator. */
  readonly source: string | null;
  readonly confidence: "high" | "medium" | "model";
}

const PS = 1;
const NS = 1000 * PS;
const US = 1000 * NS;
const MS = 1000 * US;
const S = 1000 * MS;
const GIB = 1024 ** 3;

const model = { source: null, confidence: "model" } as const;

export const BOUNDS = {
  /** Every rate in a file: workloads, vNIC committed/peak, VF and host limits, SLA targets. */
  rate: {
    min: 1e3,
    max: 1.6e12,
    below: "below 1 kb/s a single frame takes seconds",
    above: "the fastest link there is, 1.6 Tb/s Ethernet",
    source: "IEEE P802.3dj (200 Gb/s per lane; 200G, 400G, 800G and 1.6T Ethernet), https://www.ieee802.org/3/dj/",
    confidence: "high",
  },
  /** One message or I/O (a workload's size and its distributions). */
  messageSize: {
    min: 1,
    max: GIB,
    above: "a message is cut into frames, each one simulated; model a longer transfer as a bulk flow (pattern: bulk)",
    ...model,
  },
  /** A buffer: a switch's shared buffer, a lossless link's receive buffer. */
  buffer: {
    min: 1,
    max: 64 * GIB,
    above: "the deepest switch buffers hold a few GB (HBM on deep-buffer routers)",
    source: "Broadcom Jericho2 (BCM88690) product brief: 8 GB HBM packet buffer",
    confidence: "medium",
  },
  /** Device latency: switches, directors, fabric interconnects, extenders. */
  latency: {
    min: 0,
    max: 10 * MS,
    above: "store-and-forward of a 9000-byte frame at 1 Gb/s takes 72 us; no switch holds a frame 10 ms",
    ...model,
  },
  /** A link's propagation delay (`delay`). */
  delay: {
    min: 0,
    max: 1 * MS,
    above: "1 ms is 200 km of fibre at 5 ns/m, beyond any standard optic's reach",
    ...model,
  },
  /** A cable length in metres. */
  length: {
    min: 0,
    max: 100_000,
    above: "the longest standard optics reach 80 km (Ethernet ZR), Fibre Channel 10 km",
    source: "IEEE 802.3 clause 52 (10GBASE-ER, 40 km) and the 10GBASE-ZR MSA (80 km); FC-PI (10 km)",
    confidence: "medium",
  },
  /** Service times of a storage array (`service.read`, `service.write`). */
  serviceTime: {
    min: 0,
    max: 10 * S,
    above: "a disk seek takes milliseconds; an I/O served in more than 10 s is a failure, not a service time",
    ...model,
  },
  /** On and off periods of an on/off workload. */
  burst: {
    min: 1 * NS,
    max: 3600 * S,
    below: "a period under 1 ns holds no frame at any rate",
    above: "a run lasts at most an hour",
    ...model,
  },
  /** Warm-up, measurement window, fault times (warm-up plus window together too). */
  run: {
    min: 0,
    max: 3600 * S,
    above: "the clock counts picoseconds in a double (2^53 ps, about 2.5 h); an hour leaves room for what is in flight",
    ...model,
  },
  /** Mean up and repair times of a random failure process (`mtbf`, `mttr`). */
  failureTime: {
    min: 1 * NS,
    max: Number.MAX_SAFE_INTEGER,
    below: "a device that fails or is repaired within a nanosecond is not a failure model",
    above: "the clock counts picoseconds in a double (2^53 ps)",
    ...model,
  },
  /** SLA latency targets. */
  latencyTarget: {
    min: 0,
    max: 3600 * S,
    above: "a target beyond the longest possible run can never be judged",
    ...model,
  },
  /** Servers in a study (and hosts in one of its groups). */
  servers: {
    min: 1,
    max: 1_000_000,
    above: "a million servers is more than the largest data centres hold",
    ...model,
  },
  /** Ports in one port group of a node. */
  portGroup: {
    min: 1,
    max: 65_536,
    above: "the largest switches have hundreds of ports, with breakouts a few thousand",
    ...model,
  },
  /** Ports of one adapter. */
  adapterPorts: {
    min: 1,
    max: 16,
    above: "server adapters have 1 to 8 ports; a PCIe card has no room for more than 16 cages",
    ...model,
  },
  /** Ethernet or FC ports of one kind on one server (a study's host I/O). */
  hostPorts: {
    min: 1,
    max: 64,
    above: "a server carries a dozen or so adapters of up to 4 ports; 64 ports of one kind is past any server",
    ...model,
  },
  /** Years of ownership in a cost of ownership. */
  years: {
    min: 1,
    max: 50,
    above: "servers and switches are replaced every 3 to 7 years; 50 years is past a data centre's own life",
    ...model,
  },
  /** Monte Carlo draws of price and power ranges. */
  draws: {
    min: 100,
    max: 100_000,
    above: "rank shares settle to within 0.3 % (95 %) at 100,000 draws; more only costs time",
    ...model,
  },
  /** Ports of one I/O module of a director or fabric interconnect. */
  modulePorts: {
    min: 1,
    max: 256,
    above: "I/O modules and expansion cards carry up to a few dozen ports",
    ...model,
  },
  /** VMs on one server. */
  vms: {
    min: 0,
    max: 1024,
    above: "1024 VMs per host is the hypervisor's own maximum",
    source: "VMware Configuration Maximums (configmax.vmware.com), vSphere 7.0 and 8.0: 1024 virtual machines per host",
    confidence: "medium",
  },
  /** SR-IOV VFs per adapter port (`vfs`, `maxVfs`). */
  vfs: {
    min: 0,
    max: 2048,
    above: "adapters expose up to 127 VFs per port, PCIe endpoint IP at most 2048 per device",
    source:
      "NVIDIA ConnectX SR-IOV documentation (up to 127 VFs per port); Intel P-Tile Avalon Streaming IP for PCIe user guide, 5.2.1 (2048 VFs per endpoint)",
    confidence: "high",
  },
  /** Virtual interfaces of one adapter (`maxVifs`, the vifs listed). */
  vifs: {
    min: 0,
    max: 4096,
    above: "converged adapters (UCS VIC, director HCAs) offer a few hundred vNICs and vHBAs",
    ...model,
  },
  /** PCIe slots of one server. */
  pcieSlots: {
    min: 1,
    max: 64,
    above: "servers have up to a dozen or so slots, expansion chassis a few dozen",
    ...model,
  },
  /** I/Os a storage array serves at once; messages a bulk workload keeps in flight. */
  queueDepth: {
    min: 1,
    max: 65_536,
    above: "an NVMe queue holds at most 64 Ki commands, the deepest queue in storage",
    source: "NVM Express Base Specification, CAP.MQES (Maximum Queue Entries Supported, 16 bits)",
    confidence: "high",
  },
  /** I/Os per second per workload instance. */
  iops: {
    min: 0.01,
    max: 1e8,
    below: "one I/O every 100 s or more never shows in a run",
    above: "flash arrays serve millions of IOPS, not hundreds of millions per host",
    ...model,
  },
  /** TCP's initial congestion window (`transport.initialWindow`), segments. */
  initialWindow: {
    min: 1,
    max: 1000,
    above: "RFC 6928 starts TCP at 10 segments; a window of thousands at once is a burst, not a start",
    source: "RFC 6928, Increasing TCP's Initial Window (IW10)",
    confidence: "high",
  },
  /** Replications of a run. */
  replications: {
    min: 1,
    max: 10_000,
    above: "confidence intervals shrink as 1/sqrt(n): 10,000 replications already narrow them a hundredfold",
    ...model,
  },
  /** Shape parameters of distributions (lognormal cv, pareto alpha) and shared-adapter weights. */
  shape: {
    min: 1e-3,
    max: 1e3,
    below: "smaller shapes make draws overflow or collapse to one value",
    above: "larger shapes make draws overflow or collapse to one value",
    ...model,
  },
} as const satisfies Record<string, Bound>;

export type BoundName = keyof typeof BOUNDS;

/** The largest mean time between two arrivals of one workload instance, in ticks. */
export const MAX_MEAN_GAP_TICKS = 100 * S;

/** A random failure process may fail each node at most this many times per run on average. */
export const MAX_FAILURES_PER_RUN = 100;

/** How a value of this quantity prints: "1.6 Tb/s", "1 GiB", "10 ms", "100 km", "4096". */
export function formatBound(name: BoundName, value: number): string {
  switch (name) {
    case "rate":
      return formatRate(value);
    case "messageSize":
    case "buffer":
      return formatSize(value);
    case "latency":
    case "delay":
    case "serviceTime":
    case "burst":
    case "run":
    case "failureTime":
    case "latencyTarget":
      return formatTime(value);
    case "length":
      return value >= 1000 ? `${value / 1000} km` : `${value} m`;
    default:
      return value.toLocaleString("en-US");
  }
}

/**
 * Why `value` is outside the bound `name`, or undefined when it is inside.
 * `shown` is the value as written (a function: only a value out of bounds is described).
 */
export function boundProblem(name: BoundName, value: number, shown: string | (() => string)): string | undefined {
  const b: Bound = BOUNDS[name];
  if (value >= b.min && value <= b.max) return undefined;
  return describeProblem(name, b, value, typeof shown === "string" ? shown : shown());
}

function describeProblem(name: BoundName, b: Bound, value: number, shown: string): string | undefined {
  if (Number.isNaN(value)) return `${shown} is not a number`;
  if (value < b.min)
    return `${shown} is below ${formatBound(name, b.min)}${b.below === undefined ? "" : `: ${b.below}`}`;
  if (value > b.max) return `${shown} is above ${formatBound(name, b.max)}: ${b.above}`;
  return undefined;
}

/** Where each bound applies, for the table. */
const APPLIES: Readonly<Record<BoundName, string>> = {
  rate: "every rate: workload `rate`, vif `committed`/`peak`, `vfLimit`, shared-adapter `limit`, `deliveredBps` targets",
  messageSize: "a workload's `size` (and its distribution's values)",
  buffer: "switch and director `buffer`, a link's `buffer`",
  latency: "device `latency`",
  delay: "a link's `delay`",
  length: "a link's `length`",
  serviceTime: "a storage array's `service` times",
  burst: "on/off `burst` periods",
  run: "`experiment.warmup`, `duration`, their sum; fault `at`",
  failureTime: "`failures[].mtbf`, `mttr`",
  latencyTarget: "latency SLA targets",
  servers: "a study's `servers`, a group's `hosts`",
  portGroup: "each port group (`ports: { eth: 48 }`)",
  adapterPorts: "an adapter's `ports`",
  hostPorts: "a study's host I/O: `io.eth.ports`, `io.fc.ports` (also per group)",
  years: "a study's `cost.years`",
  draws: "a study's `draws`",
  modulePorts: "an I/O module's `ports`",
  vms: "a server's `vms`, a study's `vmsPerHost`, a study workload's `vms`",
  vfs: "an adapter's `vfs`, `maxVfs`",
  vifs: "an adapter's `maxVifs` and its vifs",
  pcieSlots: "a server's `pcie.slots`",
  queueDepth: "a storage array's `concurrency`, a bulk workload's `outstanding`",
  iops: "a workload's `iops`",
  initialWindow: "`transport.initialWindow`",
  replications: "`experiment.replications`",
  shape: "lognormal `cv`, pareto `alpha`, shared-adapter `weights`",
};

/**
 * The bounds as a Markdown table, for `docs/topology-format.md` (a test keeps
 * the committed table equal to this).
 */
export function boundsMarkdownTable(): string {
  const rows = [
    "| quantity | where | from | to | why | source (confidence) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const name of Object.keys(BOUNDS) as BoundName[]) {
    const b: Bound = BOUNDS[name];
    const max = b.max === Number.MAX_SAFE_INTEGER ? "2^53 ps" : formatBound(name, b.max);
    const why = [b.below, b.above].filter((x) => x !== undefined).join("; ");
    const source = b.source === null ? "modelling limit" : `${b.source} (${b.confidence})`;
    rows.push(
      `| ${name} | ${APPLIES[name]} | ${formatBound(name, b.min)} | ${max} | ${why.replaceAll("|", "\\|")} | ${source.replaceAll("|", "\\|")} |`,
    );
  }
  return `${rows.join("\n")}\n`;
}
