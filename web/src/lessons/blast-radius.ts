/** Lesson 5 (failover and blast radius); the long form is docs/learn/ (see lessons.ts). */
import { isMap } from "yaml";
import { failoverKnob } from "../whatif-model.js";
import type { Lesson } from "./lesson.js";

export const BLAST_RADIUS: Lesson = {
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
    failoverKnob(),
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
};
