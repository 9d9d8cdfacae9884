/** Lesson 2 (MR-IOV); the long form is docs/learn/ (see lessons.ts). */
import { Gbps, type Lesson, setNode } from "./lesson.js";

export const MR_IOV: Lesson = {
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
    "Latency: app p99 about 48 µs, several times what the port alone would give.",
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
    Gbps("app p99 latency", "app", 48.4, "p99", "µs"),
    {
      label: "server1's PCIe link paused",
      source: { from: "link", id: "server1:ext0/1", field: "pausedSeconds" },
      unit: "ms",
      value: 6.51,
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
};
