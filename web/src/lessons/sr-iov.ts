/** Lesson 1 (SR-IOV); the long form is docs/learn/ (see lessons.ts). */
import { Gbps, type Lesson } from "./lesson.js";

export const SR_IOV: Lesson = {
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
    Gbps("web p99 latency", "web", 10.6, "p99", "µs"),
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
    golden: [Gbps("backup delivered", "backup", 6.61), Gbps("web p99 latency", "web", 32.2, "p99", "µs")],
  },
};
