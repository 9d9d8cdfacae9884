/** Lesson 4 (lossless fabrics); the long form is docs/learn/ (see lessons.ts). */
import { setAllLinks } from "../whatif-model.js";
import { Gbps, type Lesson } from "./lesson.js";

export const LOSSLESS: Lesson = {
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
    Gbps("victim delivered", "victim", 1.06),
    Gbps("victim p99 latency", "victim", 6.57, "p99", "ms"),
    Gbps("flood delivered", "flood", 0.996),
    {
      label: "sw1 → sw2 paused",
      source: { from: "link", id: "sw1:eth3", field: "pausedSeconds" },
      unit: "ms",
      value: 7.89,
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
    golden: [Gbps("victim delivered", "victim", 2.97), Gbps("victim p99 latency", "victim", 18.7, "p99", "µs")],
  },
};
