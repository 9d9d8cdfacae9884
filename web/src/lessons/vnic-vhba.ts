/** Lesson 3 (vNICs and vHBAs); the long form is docs/learn/ (see lessons.ts). */
import { linkIndex, range } from "../whatif-model.js";
import { Gbps, type Lesson } from "./lesson.js";

export const VNIC_VHBA: Lesson = {
  id: "vnic-vhba",
  title: "3. vNICs and vHBAs on a UCS VIC",
  file: "lessons/3-vnic-vhba.yaml",
  doc: "3-vnic-vhba",
  question:
    "Two vNICs share one VIC port: a backup committed 2 Gb/s and a replication committed 6 Gb/s, both as fast as they can. How does the 10 Gb/s port split? And what does a peak rate do?",
  steps: [
    "blade1's VIC shows two vNICs (circles) on its first port and a vHBA (square) on its second; blade2 has one vNIC and one vHBA.",
    "Press Run. Click blade1: the A side to the LAN and the B side to the array light up. Every Ethernet link has teal rails: it carries UCS's system classes, fc (no drop, for the vHBAs' FCoE) and best-effort (drop).",
    "Click the vNIC circles one at a time: each one's own path.",
    "Click blade2 and compare: its own IOM uplink (static pinning).",
    "What if: one fabric uplink per IOM (2:1 oversubscription) and press Run both.",
  ],
  look: [
    "replication about 7.3 Gb/s and backup about 2.5 Gb/s: 3 to 1, as their committed rates (6 to 2).",
    "capped-backup flat just under 4 Gb/s: blade2's port is only 40 % busy; the peak rate caps it.",
    "db-io p99 about 340 µs on the B side, untouched by the Ethernet load on the A side.",
  ],
  why: [
    "A virtual interface card (Cisco VIC; an I/O director's HCA driver does the same) presents virtual NICs and HBAs to the operating system; they ride the card's physical ports, on fabric A or B. Every Ethernet link of a UCS domain carries its QoS system classes: storage travels as FCoE in the fc class, which PFC pauses instead of dropping, and everything else in best-effort, which drops when full.",
    "Each vif has its own queue at its port. When the port is busy it is shared in proportion to the committed rates (weighted round robin): 6 : 2 gives replication three quarters. A peak rate is a cap (a shaper) that holds even when the port is idle, as for blade2.",
    "The IOM (fabric extender) does no local switching: each blade port is pinned to one fabric uplink (port i to uplink (i − 1) mod uplinks). With two uplinks each blade has its own; with one, both blades share it and whatever they send beyond 10 Gb/s waits: oversubscription.",
  ],
  golden: [
    Gbps("replication delivered", "replication", 7.34),
    Gbps("backup delivered", "backup", 2.46),
    Gbps("capped-backup delivered", "capped-backup", 3.88),
    Gbps("db-io p99 latency", "db-io", 340, "p99", "µs"),
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
};
