/**
 * The resolved topology: what `parseTopology` hands to the fabric builder.
 * Names are expanded, defaults filled in, units parsed (times in ticks = ps,
 * rates in bits per second, sizes in bytes), every reference checked. Plain
 * frozen data: JSON-serialisable and structured-cloneable (Web Workers, worker
 * threads), with no Maps or class instances.
 */

import type { LinkFamily } from "../link/protocol.js";

export type Design = "traditional" | "director" | "ucs" | "mriov";

/** A failover mechanism (src/run/failover.ts). */
export type FailoverMechanism = "multipath" | "teaming" | "fabricFailover" | "haVnic" | "fabric";

/** A port of a node, as `node:port` endpoints name it. */
export interface Endpoint {
  readonly node: string;
  readonly port: string;
}

export interface ResolvedPort {
  /** `eth3` (group port), `nic0/1` (adapter port), `eth1/2` (module port), `bus` (a shared adapter's PCIe slot). */
  readonly name: string;
  /** What the port belongs to: the port group, adapter or module name (`eth`, `nic0`, `eth1`), or `bus`. */
  readonly group: string;
  /** 1-based position within the group (1 for `bus`). */
  readonly index: number;
  /** Exact link protocol id when the file says it (adapter, module or shared-adapter ports); null otherwise. */
  readonly protocol: string | null;
  /** Link families a link on this port may have. */
  readonly families: readonly LinkFamily[];
  /** The port at the other end of its link, or null when unconnected. */
  readonly peer: Endpoint | null;
  /** Index of its link in `ResolvedTopology.links`, or null. */
  readonly link: number | null;
}

interface NodeBase {
  readonly name: string;
  /** Catalog model id (`model:` in the file), or null: the bill of materials picks a default per kind. */
  readonly model: string | null;
  /** Every port of the node, in declaration order. */
  readonly ports: readonly ResolvedPort[];
}

/** Per-link framing from the file (null: the protocol's default; see src/topology/link-fields.ts). */
export interface LinkFraming {
  /** Ethernet / InfiniBand payload per frame, bytes. */
  readonly mtu: number | null;
  /** PCIe Max Payload Size, bytes. */
  readonly mps: number | null;
  /** PCIe Max Read Request Size, bytes. */
  readonly mrrs: number | null;
  /** PCIe 64-bit addresses (4DW request headers). */
  readonly addr64: boolean | null;
}

export interface ResolvedVif {
  readonly name: string;
  readonly type: "vnic" | "vhba";
  /** The adapter port it rides on (`vic0/1`). */
  readonly port: string;
  readonly committedBps: number | null;
  readonly peakBps: number | null;
  readonly fabric: "A" | "B" | null;
  /** Static pinning to an uplink, or null. */
  readonly pin: Endpoint | null;
  /** Payload bytes per frame its network flows send (null: the adapter's, else 1500). */
  readonly mtu: number | null;
  /** Class of service its QoS policy gives its traffic; absent: the default for its type. */
  readonly priority?: number;
}

export interface ResolvedAdapter {
  readonly name: string;
  readonly type: "nic" | "hba" | "cna" | "vic" | "hca" | "pcie-extender";
  /** Link protocol id of its network ports. */
  readonly link: string;
  /** Its port names, `<name>/1` … */
  readonly ports: readonly string[];
  /** PCIe link id between host and adapter. */
  readonly bus: string;
  /** SR-IOV VFs per port (0: no SR-IOV). */
  readonly vfs: number;
  readonly maxVfs: number | null;
  /** Per-VF transmit rate limit, bits per second, or null for none. */
  readonly vfLimitBps: number | null;
  readonly vifs: readonly ResolvedVif[];
  readonly maxVifs: number | null;
  /** Catalog model id, or null (a default per type and link). */
  readonly model: string | null;
  // Optional (absent: the default) so that code building adapters by hand (e.g. the BOM's
  // default parts) need not know them; the resolver always fills them in.
  /** Processing time per transfer, ticks (the file's `latency`; absent: 500 ns, 100 ns for a PCIe extender). */
  readonly latencyTicks?: number;
  /** Payload bytes per frame its network flows send (null or absent: 1500 for messages). */
  readonly mtu?: number | null;
  /** MPS, MRRS and address width of its PCIe bus (`mtu` unused; absent: the defaults). */
  readonly busFraming?: LinkFraming;
  /** Frames the host may queue per port before dropping (null or absent: no limit). */
  readonly queuePackets?: number | null;
}

export interface ServerNode extends NodeBase {
  readonly kind: "server";
  /** VM names, `vm1` … `vmN`. */
  readonly vms: readonly string[];
  readonly chassis: string | null;
  /** Catalog model of its chassis (`chassisModel:`), or null. */
  readonly chassisModel: string | null;
  /** PCIe slots, or null when the file does not say. */
  readonly pcieSlots: number | null;
  readonly adapters: readonly ResolvedAdapter[];
}

export interface SwitchNode extends NodeBase {
  readonly kind: "ethernet-switch" | "fc-switch" | "ib-switch";
  readonly forwarding: "cut-through" | "store-and-forward";
  readonly latencyTicks: number;
  readonly bufferBytes: number;
  /** Packets each egress queue may hold (null: bytes only). */
  readonly queuePackets: number | null;
}

export interface PcieSwitchNode extends NodeBase {
  readonly kind: "pcie-switch";
  readonly mrAware: boolean;
  readonly latencyTicks: number;
  /** Null: the file does not say (the model's default applies). */
  readonly bufferBytes: number | null;
}

export interface ResolvedModule {
  readonly name: string;
  readonly link: string;
  /** `<module>/1` … */
  readonly ports: readonly string[];
  /** Catalog model id, or null (a default per host device and link). */
  readonly model: string | null;
}

/** An I/O director or a fabric interconnect: server-facing ports plus I/O modules. */
export interface DirectorNode extends NodeBase {
  readonly kind: "io-director" | "fabric-interconnect";
  readonly modules: readonly ResolvedModule[];
  readonly latencyTicks: number;
  readonly bufferBytes: number | null;
  /** Packets each egress queue may hold (null: bytes only). */
  readonly queuePackets: number | null;
  /**
   * Fabric interconnect in end-host mode: traffic leaving through its uplinks is pinned per
   * vNIC ("per-vnic", UCS's dynamic pinning) or spread per flow ("flow-hash"). Directors: "flow-hash".
   */
  readonly uplinkPinning: "per-vnic" | "flow-hash";
  /** Uplink port-channels: a vNIC pinned to one spreads its flows over the members by hash. */
  readonly portChannels: readonly (readonly string[])[];
}

export interface FabricExtenderNode extends NodeBase {
  readonly kind: "fabric-extender";
  readonly chassis: string | null;
  /** Catalog model of its chassis (`chassisModel:`), or null. */
  readonly chassisModel: string | null;
  readonly pinning: "static" | "port-channel";
  readonly latencyTicks: number;
}

export interface SharedAdapterNode extends NodeBase {
  readonly kind: "shared-adapter";
  /** PCIe link id of its slot (its `bus` port). */
  readonly bus: string;
  /** Network protocol of its ports. */
  readonly link: string;
  /** Servers it serves, one virtual hierarchy each. */
  readonly hosts: readonly string[];
  readonly arbitration: "round-robin" | "weighted";
  /** Weight per host (every host; 1 unless given). */
  readonly weights: Readonly<Record<string, number>>;
  /** Rate limit per host, bits per second; hosts without a limit are absent. */
  readonly limitBps: Readonly<Record<string, number>>;
}

/** A distribution of sizes (bytes) or times (ticks). */
export type Dist =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "exponential"; readonly mean: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly cv: number }
  | { readonly kind: "pareto"; readonly alpha: number; readonly low: number; readonly high: number }
  | { readonly kind: "empirical"; readonly values: readonly number[] };

export interface StorageArrayNode extends NodeBase {
  readonly kind: "storage-array";
  /** Service-time preset, or null when `service` is given. */
  readonly media: "flash" | "disk" | null;
  /** Service times in ticks, or null when a `media` preset applies. */
  readonly service: { readonly read: Dist; readonly write: Dist } | null;
  readonly concurrency: number;
}

export interface LanNode extends NodeBase {
  readonly kind: "lan";
}

export type ResolvedNode =
  | ServerNode
  | SwitchNode
  | PcieSwitchNode
  | DirectorNode
  | FabricExtenderNode
  | SharedAdapterNode
  | StorageArrayNode
  | LanNode;

export type NodeKind = ResolvedNode["kind"];

export interface ResolvedLink {
  readonly a: Endpoint;
  readonly b: Endpoint;
  /** Link protocol id (`eth-10g`). */
  readonly protocol: string;
  readonly family: LinkFamily;
  /** Cable length in metres, or null when the file gives a delay instead. */
  readonly lengthMetres: number | null;
  /** One-way propagation delay in ticks (5 ns/m, or the explicit delay). */
  readonly propagationTicks: number;
  /** Credit-based or PFC flow control (always true outside Ethernet). */
  readonly lossless: boolean;
  /** Receive buffer (credits) in bytes, or null for the model's default. */
  readonly bufferBytes: number | null;
  /** MTU, MPS, MRRS, address width from the file (null each: the default). */
  readonly framing: LinkFraming;
  /** Where it came from: index into the file's `topology.links`. */
  readonly source: number;
}

/** How an instance reaches the fabric. */
export type Via =
  | { readonly kind: "ports"; readonly ports: readonly string[] }
  | { readonly kind: "vif"; readonly vif: string; readonly adapter: string; readonly port: string }
  /** A team of vifs (host NIC teaming over vNICs, multipathing over vHBAs): flows hashed over them, the others their failover. */
  | {
      readonly kind: "vifs";
      readonly vifs: readonly { readonly vif: string; readonly adapter: string; readonly port: string }[];
    }
  | { readonly kind: "vf"; readonly adapter: string; readonly port: string; readonly vf: number };

/** Where an instance sends: the external network, storage arrays, or other servers (east-west). */
export interface Target {
  readonly kind: "lan" | "storage-array" | "servers";
  /** The targets, one flow each; an I/O workload names each array once per lane (resolve-workloads.ts, `ioLanes`). */
  readonly nodes: readonly string[];
}

export interface WorkloadInstance {
  readonly workload: string;
  readonly host: string;
  readonly vm: string | null;
  readonly via: Via;
  /** For east-west, the instance's own host is left out. */
  readonly to: Target;
}

interface WorkloadBase {
  readonly name: string;
  readonly unit: "message" | "io";
  /** How its messages travel (open loop, TCP, DCTCP); null for storage I/O. */
  readonly transport: TransportKind | null;
  /** Class of service the host marks its frames with, or null (its vif's or the default). */
  readonly priority: number | null;
  /** InfiniBand service level, or null (the default for its traffic). */
  readonly sl: number | null;
  /** Share of reads for unit io; null for messages. */
  readonly read: number | null;
  readonly size: Dist;
  readonly instances: readonly WorkloadInstance[];
}

export type ResolvedWorkload =
  | (WorkloadBase & { readonly pattern: "poisson"; readonly rateBps: number })
  | (WorkloadBase & {
      readonly pattern: "onoff";
      readonly rateBps: number;
      readonly burst: { readonly on: Dist; readonly off: Dist };
    })
  | (WorkloadBase & { readonly pattern: "bulk"; readonly outstanding: number })
  | (WorkloadBase & { readonly pattern: "iops"; readonly iops: number });

export type SlaMetric = "latency.p99" | "latency.mean" | "lossRatio" | "deliveredBps";

export interface SlaRow {
  readonly workload: string;
  readonly metric: SlaMetric;
  /** Ticks for latency metrics, a ratio for lossRatio, bits per second for deliveredBps. */
  readonly target: number;
  /** `at-most` for latency and loss, `at-least` for delivered rate. */
  readonly bound: "at-most" | "at-least";
}

export type FaultTarget =
  | { readonly kind: "node"; readonly node: string }
  | { readonly kind: "port"; readonly node: string; readonly port: string }
  | { readonly kind: "adapter"; readonly node: string; readonly adapter: string }
  | { readonly kind: "module"; readonly node: string; readonly module: string };

export interface ResolvedFault {
  readonly atTicks: number;
  readonly action: "fail" | "restore";
  readonly target: FaultTarget;
}

/** A random failure process: every node of `kind` alternates exponential up and down times. */
export interface RandomFailure {
  readonly kind: NodeKind;
  readonly mtbfTicks: number;
  readonly mttrTicks: number;
}

export interface Experiment {
  readonly durationTicks: number;
  readonly warmupTicks: number;
  readonly replications: number;
  readonly seed: number;
}

/** Run length chosen by precision (src/run/precision.ts). */
export interface Precision {
  /** Wanted 95 % half-width as a fraction of max(|target|, |estimate|). */
  readonly relative: number;
  readonly minReplications: number;
  readonly maxReplications: number;
  /** Cap on simulated seconds summed over all replications. */
  readonly maxSeconds: number;
}

export type TransportKind = "udp" | "tcp" | "dctcp";

/** One traffic class on every Ethernet link of the fabric (a UCS system class, an 802.1Qaz traffic class). */
export interface ResolvedTrafficClass {
  readonly name: string;
  /** 802.1p priorities (CoS) in the class. */
  readonly priorities: readonly number[];
  /** Lossless: PFC pauses this class; else drop-tail. */
  readonly noDrop: boolean;
  /** Scheduling tier, 0 first (802.1Qaz strict-priority classes); the ETS classes share the last. */
  readonly tier: number;
  /** Share inside its tier (UCS weight, ETS percent). */
  readonly weight: number;
  /** Drop class: egress threshold per port; no-drop class: PFC receive buffer per link. Null: the default. */
  readonly bufferBytes: number | null;
  /** ECN marking threshold of this class, or null (the transport's). */
  readonly ecnThresholdBytes: number | null;
}

/** InfiniBand service levels and virtual lanes on every InfiniBand link (IBA Vol. 1 §7.6). */
export interface ResolvedInfiniband {
  /** Data VLs per port. */
  readonly vls: number;
  /** VL of each SL 0 … 15. */
  readonly sl2vl: readonly number[];
  /** Arbitration weight per VL in the high- and low-priority tables (0: not in the table). */
  readonly high: readonly number[];
  readonly low: readonly number[];
  /** LimitOfHighPriority in bytes (Infinity: unlimited). */
  readonly highLimitBytes: number;
  /** Receive buffer (credits) per VL, or null for the link's default. */
  readonly bufferBytes: number | null;
  /** SL of storage traffic and of everything else. */
  readonly storageSl: number;
  readonly lanSl: number;
}

export interface ResolvedQos {
  /** Ethernet classes: "ucs" (system classes), "dcb" (802.1Qaz) or null (none: links as before). */
  readonly system: "ucs" | "dcb" | null;
  readonly classes: readonly ResolvedTrafficClass[];
  /** Priority of FCoE traffic (vHBAs, CNAs' storage I/O). */
  readonly fcoePriority: number;
  /** QoS policies by name, as priorities. */
  readonly policies: Readonly<Record<string, number>>;
  readonly infiniband: ResolvedInfiniband | null;
}

export interface ResolvedTransport {
  /** Default transport of message workloads and of bulk workloads. */
  readonly messages: TransportKind;
  readonly bulk: "tcp" | "dctcp";
  readonly rtoMinTicks: number;
  readonly initialWindow: number;
  /** ECN marking threshold of Ethernet egress queues: bytes, "auto" (DCTCP's K per line rate) or null (off). */
  readonly ecnThresholdBytes: number | "auto" | null;
}

export interface ResolvedTopology {
  readonly name: string;
  readonly design: Design;
  readonly description: string | null;
  readonly experiment: Experiment;
  /** Null: `precision: off`, a fixed number of replications (`experiment.replications`). */
  readonly precision: Precision | null;
  /** In file order, ranges expanded in place. */
  readonly nodes: readonly ResolvedNode[];
  /** In file order, endpoint ranges expanded in place. */
  readonly links: readonly ResolvedLink[];
  readonly workloads: readonly ResolvedWorkload[];
  readonly sla: readonly SlaRow[];
  /** "single-failure": the SLA must also hold after any one shared component fails; null otherwise. */
  readonly survive: "single-failure" | null;
  /** "none": the design declares itself non-redundant (its single points of failure are expected); null: not declared. */
  readonly redundancy: "redundant" | "none" | null;
  /** Failover time per mechanism in ticks as the file sets it (null: off); absent mechanisms keep their defaults (src/run/failover.ts). */
  readonly failover: Readonly<Partial<Record<FailoverMechanism, number | null>>>;
  /** Sorted by time (stable). */
  readonly faults: readonly ResolvedFault[];
  /** Random failure processes; each replication draws its own fault times from them. */
  readonly failures: readonly RandomFailure[];
  /** Classes of service (Ethernet traffic classes, InfiniBand SLs and VLs). */
  readonly qos: ResolvedQos;
  readonly transport: ResolvedTransport;
}

/** One problem in a topology file, at a source position (1-based line and column). */
export interface TopologyIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path in expanded names: `topology.nodes.host3.adapters[0].kind`. */
  readonly path: string;
  readonly message: string;
  /** True for a size limit (the file is fine, but bigger than the limits allow; the CLI exits 4). */
  readonly budget?: true;
}

export type LoadResult =
  | { readonly ok: true; readonly topology: ResolvedTopology }
  | { readonly ok: false; readonly issues: readonly TopologyIssue[] };
