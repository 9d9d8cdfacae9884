/**
 * The guided learning path: six lessons, each a small topology (or study) in
 * `topologies/lessons/`, a question, what to click, what to look at, why it happens,
 * and the key numbers the lesson states (golden values, checked in Node and in the
 * page), plus what-if knobs with the numbers they lead to. The long form of each
 * lesson is `docs/learn/<file>.md`; a test keeps the numbers there equal to these.
 * Browser-safe data, no DOM.
 */

import { type Document, isMap } from "yaml";
import { failoverKnob, type Knob, linkIndex, range, setAllLinks } from "../whatif-model.js";
import type { Golden } from "./golden.js";

export interface WhatIfGolden {
  /** Knob values (by knob id) of the changed run. */
  readonly set: Readonly<Record<string, string>>;
  readonly golden: readonly Golden[];
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  /** Under `topologies/` (the page's source list uses the same name). */
  readonly file: string;
  /** `docs/learn/<doc>.md`. */
  readonly doc: string;
  readonly question: string;
  readonly steps: readonly string[];
  readonly look: readonly string[];
  readonly why: readonly string[];
  /** Checked against the run's result (or, for a study, the plan). */
  readonly golden: readonly Golden[];
  /** A study whose plan the lesson reads (the page runs it at flow level). */
  readonly plan?: boolean;
  readonly knobs: readonly Knob[];
  readonly whatIf?: WhatIfGolden;
}

const Gbps = (
  label: string,
  name: string,
  value: number,
  field: "deliveredBps" | "p99" = "deliveredBps",
  unit: Golden["unit"] = "Gb/s",
): Golden => ({ label, source: { from: "workload", name, field }, unit, value, digits: 3 });

function setNode(doc: Document, node: string, key: string, value: unknown): void {
  if (value === null) doc.deleteIn(["topology", "nodes", node, key]);
  else doc.setIn(["topology", "nodes", node, key], value);
}

export const LESSONS: readonly Lesson[] = [
  {
    id: "sr-iov",
    title: "1. SR-IOV: one port, four VMs, four virtual functions",
    file: "lessons/1-sr-iov.yaml",
    doc: "1-sr-iov",
    question:
      "Four VMs share one 10GbE port through SR-IOV virtual functions (VFs). One VM backs up as fast as it can. How much does it get, and what happens to the other three?",
    steps: [
      "The topology shows server1 with one NIC; under its port hang four green triangles: the VFs, one per VM.",
      "Press Run (or Step a few times) and watch the dots: each VM's traffic leaves through its own VF.",
      "Click server1: its VFs, its port and the path to the LAN stay bright; the details list each VF's route.",
      "When the run ends, compare the numbers under “Key numbers” with the lesson's.",
      "What if: set the VF rate limit to “none” and press Run both.",
    ],
    look: [
      "Throughput chart: backup flat just under 2 Gb/s; web (three VMs) at about 3 Gb/s together.",
      "The NIC's link is only about half busy: the VF's limiter, not the wire, holds the backup back.",
      "Latency chart: web p99 about 11 µs.",
    ],
    why: [
      "SR-IOV (PCI-SIG Single Root I/O Virtualization) splits one PCIe device into a physical function (PF), which the hypervisor manages, and virtual functions, each a light PCIe function with its own queues that a VM drives directly, with no software switch in the data path.",
      "The NIC serves its VF queues in turn (round robin): a VF with work waiting always gets its turn, so the web VMs keep their 1 Gb/s whatever the backup does. The per-VF rate limiter caps what one VF may send: 2 Gb/s here, so the backup delivers 1.94 Gb/s of payload.",
      "Without the limit the backup takes the rest of the port (about 6.6 Gb/s) and the web VMs' frames wait behind its frames on the shared wire: their throughput holds but their p99 latency roughly triples. Queues isolate throughput; only a limit (or a reserved share) isolates latency.",
    ],
    golden: [
      Gbps("backup delivered", "backup", 1.94),
      Gbps("web delivered (3 VMs)", "web", 3.08),
      Gbps("web p99 latency", "web", 10.7, "p99", "µs"),
      {
        label: "NIC port busy",
        source: { from: "link", id: "server1:nic0/1", field: "utilization" },
        unit: "%",
        value: 52.1,
        digits: 3,
      },
    ],
    knobs: [
      {
        id: "vf-limit",
        label: "Rate limit of each VF",
        choices: [
          { value: "1Gbps", label: "1 Gb/s" },
          { value: "2Gbps", label: "2 Gb/s (as loaded)" },
          { value: "5Gbps", label: "5 Gb/s" },
          { value: "none", label: "none" },
        ],
        initial: "2Gbps",
        effect: {
          kind: "yaml",
          apply: (doc, v) =>
            v === "none"
              ? doc.deleteIn(["topology", "nodes", "server1", "adapters", 0, "vfLimit"])
              : doc.setIn(["topology", "nodes", "server1", "adapters", 0, "vfLimit"], v),
        },
      },
    ],
    whatIf: {
      set: { "vf-limit": "none" },
      golden: [Gbps("backup delivered", "backup", 6.61), Gbps("web p99 latency", "web", 30.7, "p99", "µs")],
    },
  },
  {
    id: "mr-iov",
    title: "2. MR-IOV: one adapter, four hosts",
    file: "lessons/2-mr-iov.yaml",
    doc: "2-mr-iov",
    question:
      "Four servers share one 10GbE adapter through an MR-aware PCIe switch. server1 backs up as fast as it can. What can this noisy neighbour take from the others, and what can it not?",
    steps: [
      "The shared adapter shared-nic is drawn as an adapter card: four marks, one per host it serves (a virtual hierarchy each), and its edge connector towards the PCIe switch.",
      "Press Run. Click shared-nic: the four servers it serves stay bright.",
      "Click server1, then server2: each one's path runs through the same switch and adapter, but in its own queue.",
      "Watch for orange pause dots: on server1's PCIe link only.",
      "What if: limit server1 to 2 Gb/s on the adapter and press Run both.",
    ],
    look: [
      "Throughput: backup about 5.1 Gb/s — everything the others leave; app (three servers) keeps its 4.5 Gb/s.",
      "Latency: app p99 about 49 µs, several times what the port alone would give.",
      "server1's PCIe link is paused for about 6.5 ms of the 10 ms window; the other servers' links never are.",
    ],
    why: [
      "MR-IOV (PCI-SIG Multi-Root I/O Virtualization) lets several hosts share one PCIe adapter: an MR-aware switch gives each host its own virtual hierarchy, so each host sees “its own” NIC, and the adapter keeps one queue per host and serves them in turn.",
      "What a noisy neighbour cannot do: take another host's turn or see its traffic. The apps keep their 1.5 Gb/s each. What it can do: fill every idle moment of the shared port, so the others' frames wait behind its frames: their p99 latency rises.",
      "Back-pressure stays per host: the adapter stops granting server1 PCIe credits when its queue is full, so server1 waits on its own link (credit-based flow control), while the other hosts' links run free. A per-host rate limit on the adapter brings the others' latency back down.",
    ],
    golden: [
      Gbps("backup delivered", "backup", 5.14),
      Gbps("app delivered (3 servers)", "app", 4.54),
      Gbps("app p99 latency", "app", 48.8, "p99", "µs"),
      {
        label: "server1's PCIe link paused",
        source: { from: "link", id: "server1:ext0/1", field: "pausedSeconds" },
        unit: "ms",
        value: 6.52,
        digits: 3,
      },
      {
        label: "server2's PCIe link paused",
        source: { from: "link", id: "server2:ext0/1", field: "pausedSeconds" },
        unit: "ms",
        value: 0,
        digits: 3,
      },
    ],
    knobs: [
      {
        id: "host-limit",
        label: "server1's rate limit on the shared adapter",
        choices: [
          { value: "none", label: "none (as loaded)" },
          { value: "2Gbps", label: "2 Gb/s" },
          { value: "4Gbps", label: "4 Gb/s" },
        ],
        initial: "none",
        effect: {
          kind: "yaml",
          apply: (doc, v) => setNode(doc, "shared-nic", "limit", v === "none" ? null : { server1: v }),
        },
      },
    ],
    whatIf: {
      set: { "host-limit": "2Gbps" },
      golden: [Gbps("backup delivered", "backup", 1.94), Gbps("app p99 latency", "app", 21.5, "p99", "µs")],
    },
  },
  {
    id: "vnic-vhba",
    title: "3. vNICs and vHBAs on a UCS VIC",
    file: "lessons/3-vnic-vhba.yaml",
    doc: "3-vnic-vhba",
    question:
      "Two vNICs share one VIC port: a backup committed 2 Gb/s and a replication committed 6 Gb/s, both as fast as they can. How does the 10 Gb/s port split? And what does a peak rate do?",
    steps: [
      "blade1's VIC shows two vNICs (circles) on its first port and a vHBA (square) on its second; blade2 has one vNIC and one vHBA.",
      "Press Run. Click blade1: the A side (lossy Ethernet) to the LAN and the B side (double rail: lossless FCoE) to the array light up.",
      "Click the vNIC circles one at a time: each one's own path.",
      "Click blade2 and compare: its own IOM uplink (static pinning).",
      "What if: one fabric uplink per IOM (2:1 oversubscription) and press Run both.",
    ],
    look: [
      "replication about 7.3 Gb/s and backup about 2.5 Gb/s: 3 to 1, as their committed rates (6 to 2).",
      "capped-backup flat just under 4 Gb/s: blade2's port is only 40 % busy; the peak rate caps it.",
      "db-io p99 about 330 µs on the B side, untouched by the Ethernet load on the A side.",
    ],
    why: [
      "A virtual interface card (Cisco VIC; an I/O director's HCA driver does the same) presents virtual NICs and HBAs to the operating system; they ride the card's physical ports, on fabric A or B. Storage travels as FCoE on a lossless class, so the B side links are lossless here (PFC).",
      "Each vif has its own queue at its port. When the port is busy it is shared in proportion to the committed rates (weighted round robin): 6 : 2 gives replication three quarters. A peak rate is a cap (a shaper) that holds even when the port is idle, as for blade2.",
      "The IOM (fabric extender) does no local switching: each blade port is pinned to one fabric uplink (port i to uplink (i − 1) mod uplinks). With two uplinks each blade has its own; with one, both blades share it and whatever they send beyond 10 Gb/s waits: oversubscription.",
    ],
    golden: [
      Gbps("replication delivered", "replication", 7.34),
      Gbps("backup delivered", "backup", 2.46),
      Gbps("capped-backup delivered", "capped-backup", 3.88),
      Gbps("db-io p99 latency", "db-io", 330, "p99", "µs"),
      {
        label: "blade2's VIC port busy",
        source: { from: "link", id: "blade2:vic0/1", field: "utilization" },
        unit: "%",
        value: 40.0,
        digits: 3,
      },
    ],
    knobs: [
      {
        id: "iom-uplinks",
        label: "Fabric uplinks per IOM",
        choices: [
          { value: "2", label: "2 (as loaded: one per blade)" },
          { value: "1", label: "1 (2:1 oversubscribed)" },
        ],
        initial: "2",
        effect: {
          kind: "yaml",
          apply: (doc, v) => {
            const n = Number(v);
            for (const side of ["a", "b"]) {
              doc.setIn(["topology", "nodes", `iom-${side}`, "ports", "fabric"], n);
              const i = linkIndex(doc, `iom-${side}:fabric`);
              doc.setIn(
                ["topology", "links", i, "endpoints"],
                doc.createNode([range(`iom-${side}:fabric`, n), range(`fi-${side}:p`, n)]),
              );
            }
          },
        },
      },
      {
        id: "blade2-peak",
        label: "Peak rate of blade2's backup vNIC",
        choices: [
          { value: "4Gbps", label: "4 Gb/s (as loaded)" },
          { value: "10Gbps", label: "10 Gb/s" },
        ],
        initial: "4Gbps",
        effect: {
          kind: "yaml",
          apply: (doc, v) => doc.setIn(["topology", "nodes", "blade2", "adapters", 0, "vifs", 0, "peak"], v),
        },
      },
    ],
    whatIf: {
      set: { "iom-uplinks": "1" },
      golden: [
        Gbps("replication delivered", "replication", 3.3),
        Gbps("backup delivered", "backup", 3.25),
        Gbps("capped-backup delivered", "capped-backup", 3.25),
      ],
    },
  },
  {
    id: "lossless",
    title: "4. Lossless fabrics: pause, head-of-line blocking, spreading",
    file: "lessons/4-lossless.yaml",
    doc: "4-lossless",
    question:
      "server1 floods server4's 1GbE port; server2 sends 3 Gb/s to the LAN over a path with plenty of room. Every link is lossless (PFC). What happens to server2?",
    steps: [
      "Every link has the lossless double rail. server4's link is 1GbE; all others are 10GbE.",
      "Press Run and watch the orange pause dots: first at sw2's port to server4, then at sw1's port to sw2, then at the servers' NICs.",
      "Click the sw1 – sw2 link: its paused time grows while it is far from full.",
      "Click server2: its path to the LAN never touches server4's slow port.",
      "What if: make the links lossy and press Run both.",
    ],
    look: [
      "victim delivers only about 1 of its 3 Gb/s; its p99 latency is milliseconds (SLA 100 µs: missed).",
      "The sw1 → sw2 port is paused most of the time, yet it is only about 20 % busy.",
      "Nothing is dropped anywhere.",
    ],
    why: [
      "A lossless link never drops: when the receiver's buffer fills, it makes the sender wait. Ethernet does this with 802.1Qbb priority flow control (a pause per priority class); Fibre Channel, InfiniBand and PCIe with credits (the sender may only send what the receiver has room for).",
      "sw2's queue to the slow 1GbE port fills first, so sw2 pauses sw1. sw1 has one queue towards sw2 for this class, holding both streams: server2's frames wait behind server1's although their own way out is free. That is head-of-line blocking. sw1's buffers then fill and it pauses both servers: the pause spreads upstream (congestion spreading), to traffic that never went near the bottleneck.",
      "A lossy network drops at the slow port instead: the flood backs off (TCP-like) and the victim keeps its 3 Gb/s at microsecond latency. That is why converged networks keep the lossless class for storage only and give other traffic its own classes (ETS).",
    ],
    golden: [
      Gbps("victim delivered", "victim", 1.03),
      Gbps("victim p99 latency", "victim", 6.51, "p99", "ms"),
      Gbps("flood delivered", "flood", 0.996),
      {
        label: "sw1 → sw2 paused",
        source: { from: "link", id: "sw1:eth3", field: "pausedSeconds" },
        unit: "ms",
        value: 7.92,
        digits: 3,
      },
      { label: "frames dropped, all links", source: { from: "links", field: "dropped" }, unit: "count", value: 0 },
    ],
    knobs: [
      {
        id: "flow-control",
        label: "Flow control on every link",
        choices: [
          { value: "lossless", label: "lossless: PFC (as loaded)" },
          { value: "lossy", label: "lossy: drop when full" },
        ],
        initial: "lossless",
        effect: { kind: "yaml", apply: (doc, v) => setAllLinks(doc, "lossless", v === "lossless") },
      },
    ],
    whatIf: {
      set: { "flow-control": "lossy" },
      golden: [Gbps("victim delivered", "victim", 2.97), Gbps("victim p99 latency", "victim", 11.4, "p99", "µs")],
    },
  },
  {
    id: "blast-radius",
    title: "5. Failover and blast radius",
    file: "lessons/5-blast-radius.yaml",
    doc: "5-blast-radius",
    question:
      "Two shared 10GbE adapters serve four servers. At 4 ms one of them, sa-eth1, dies. How many servers are hit, how much is lost, and what decides for how long?",
    steps: [
      "Two Ethernet and two FC shared adapters sit in one PCIe switch; each serves all four servers (four marks each).",
      "Press Run. At 4 ms sa-eth1's links turn black with a red cross and the servers whose traffic used it turn yellow: the blast radius.",
      "Click sa-eth1 (or a yellow server) and read the Faults panel: servers hit, messages lost, outage.",
      "You can also fail and restore any part yourself: select it and press Fail.",
      "What if: a failover time of 1 ms, then 2 hosts per Ethernet adapter.",
    ],
    look: [
      "Blast radius: 3 of the 4 servers (the ones whose flows were hashed onto sa-eth1).",
      "web loses 913 messages (24.8 % of what it sent: SLA 0.1 % missed); db-io, on the FC adapters, is untouched.",
      "Outage 7 ms: the model assumes 1 s to fail over an MR-IOV host's function, so nothing moves before the run ends.",
    ],
    why: [
      "Sharing an adapter shares its failure: every server with a flow through it is hit at once. That number is the blast radius, and it is what “too critical to share an adapter” is afraid of.",
      "A second adapter that serves the same hosts gives them a way out, but only after the failure is detected and their traffic re-routed. Until then what is sent onto the dead adapter is lost (storage I/O is retried by multipathing). The loss grows with the offered load, the blast radius and the failover time: at 1 ms it is 132 messages instead of 913; the radius stays 3.",
      "Fewer hosts per adapter shrink the radius, but unless you buy more adapters they also remove the second path. A study with `survive: single-failure` makes the planner check every SLA after any one shared part fails.",
    ],
    golden: [
      {
        label: "servers hit (blast radius)",
        source: { from: "fault", index: 0, field: "affectedServers" },
        unit: "count",
        value: 3,
      },
      { label: "messages lost", source: { from: "fault", index: 0, field: "lost" }, unit: "count", value: 913 },
      {
        label: "outage",
        source: { from: "fault", index: 0, field: "outageSeconds" },
        unit: "ms",
        value: 7.0,
        digits: 3,
      },
      {
        label: "web loss ratio",
        source: { from: "workload", name: "web", field: "lossRatio" },
        unit: "%",
        value: 24.8,
        digits: 3,
      },
    ],
    knobs: [
      failoverKnob("mriov"),
      {
        id: "hosts-per-adapter",
        label: "Hosts per shared Ethernet adapter",
        choices: [
          { value: "4", label: "4 (as loaded: both adapters serve every server)" },
          { value: "2", label: "2 (sa-eth1: server1-2, sa-eth2: server3-4)" },
        ],
        initial: "4",
        effect: {
          kind: "yaml",
          apply: (doc, v) => {
            if (v !== "2") return;
            const nodes = doc.getIn(["topology", "nodes"]);
            if (!isMap(nodes)) throw new Error("no topology.nodes");
            const template = doc.getIn(["topology", "nodes", "sa-eth[1..2]"]);
            if (!isMap(template)) throw new Error("no sa-eth[1..2]");
            nodes.delete("sa-eth[1..2]");
            for (const [name, hosts] of [
              ["sa-eth1", "server[1..2]"],
              ["sa-eth2", "server[3..4]"],
            ] as const) {
              const copy = template.clone();
              (copy as typeof template).set("hosts", hosts);
              nodes.set(name, copy);
            }
          },
        },
      },
    ],
    whatIf: {
      set: { failover: "1ms" },
      golden: [
        { label: "messages lost", source: { from: "fault", index: 0, field: "lost" }, unit: "count", value: 132 },
        {
          label: "outage",
          source: { from: "fault", index: 0, field: "outageSeconds" },
          unit: "ms",
          value: 1.0,
          digits: 3,
        },
      ],
    },
  },
  {
    id: "last-mile",
    title: "6. The last-mile curve: reading the plan",
    file: "lessons/6-last-mile.yaml",
    doc: "6-last-mile",
    question:
      "How much networking hardware does each design need as more of a 10-server site moves onto the virtualized fabric, and where does it bend?",
    steps: [
      "This lesson is a study: pick a Design to see the topology its generator makes (the default parameters).",
      "Press “Plan this study” (flow level only, a few seconds): the planner searches each design for the least hardware that meets every SLA, at 60 … 100 % of the servers on the fabric.",
      "Read the BOM chart (one group of bars per item, one bar per design) and the last-mile curve below it.",
      "Switch the plan's Design selector to read each design's choice and totals.",
    ],
    look: [
      "At 100 %: hardware score 802 for the traditional design, 256 for UCS, 97 for MR-IOV.",
      "The traditional line is straight: every server brings its own NICs, HBA, cables and switch ports.",
      "UCS bends at 80 %: the 9th blade needs a second chassis, with its own I/O modules and fabric-interconnect ports.",
    ],
    why: [
      "The hardware score counts what the last mile costs in parts: adapters, cables, optics and switch ports installed (prices and watts are in the BOM too, where the catalog has them). The curve plans the site again with more and more of its servers on the virtualized fabric, the easy ones first and the last-mile systems last; the servers left out stay physical on the traditional design.",
      "A straight line means every server costs the same. A bend (a knee) means one more server forces a step: a chassis, a module, an uplink. The flattest design is the one whose hardware grows least as the last mile moves on (here MR-IOV: a host adds its extender card and one cable).",
      "In the page the plan runs at flow level only (max-min fair sharing), so its verdicts are unconfirmed; `iovsim plan` confirms the choices at packet level with confidence intervals.",
    ],
    plan: true,
    golden: [
      {
        label: "traditional at 100 %",
        source: { from: "plan-score", design: "traditional", share: 1 },
        unit: "count",
        value: 802,
      },
      { label: "UCS at 100 %", source: { from: "plan-score", design: "ucs", share: 1 }, unit: "count", value: 256 },
      { label: "MR-IOV at 100 %", source: { from: "plan-score", design: "mriov", share: 1 }, unit: "count", value: 97 },
      { label: "UCS knee", source: { from: "plan-knee", design: "ucs" }, unit: "share", value: 80, digits: 2 },
      { label: "flattest design", source: { from: "plan-flattest" }, unit: "design", value: "mriov" },
    ],
    knobs: [],
  },
];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

export function lessonByFile(file: string): Lesson | undefined {
  return LESSONS.find((l) => l.file === file);
}
