/** Lesson 6 (the last-mile curve); the long form is docs/learn/ (see lessons.ts). */
import type { Lesson } from "./lesson.js";

export const LAST_MILE: Lesson = {
  id: "last-mile",
  title: "6. The last-mile curve: reading the plan",
  file: "lessons/6-last-mile.yaml",
  doc: "6-last-mile",
  question:
    "How much networking hardware does each design need as more of a 10-server site moves onto the virtualized fabric, and where does it bend?",
  steps: [
    "This lesson is a study: pick a Design to see the topology its generator makes (the default parameters).",
    "Press “Plan this study” (flow level only, a few seconds): for each design the planner looks for the configuration with the lowest 3-year cost of ownership (the study's default objective) that meets every SLA, at 40, 60, 80, 90, 95 and 100 % of the servers on the fabric (the study's curve).",
    "Read the BOM chart (one group of bars per item, one bar per design) and the last-mile curve below it.",
    "Switch the plan's Design selector to read each design's choice and totals.",
  ],
  look: [
    "At 100 %: a hardware count of 454 for the traditional design, 300 for UCS, 242 for MR-IOV.",
    "The traditional line is straight: every server brings its own NICs, HBA, cables and switch ports.",
    "UCS bends at 80 %: the 9th blade needs a second chassis, with its own I/O modules and fabric-interconnect ports.",
  ],
  why: [
    "The planner picks each design's configuration by the study's objective (the 3-year cost of ownership unless the study says otherwise); the curve draws what that configuration takes in parts: its hardware count — adapters, cables, optics, switch ports installed and upstream ports used (the BOM chart and totals give prices and watts too). The curve plans the site again with more and more of its servers on the virtualized fabric, the easy ones first and the last-mile systems last; the servers left out stay physical on the traditional design.",
    "A straight line means every server costs the same. A bend (a knee) means one more server forces a step: a chassis, a module, an uplink. The flattest design is the one whose hardware grows least as the last mile moves on (here MR-IOV: a host adds its two extender cards and their two cables, one to each box of the pair).",
    "In the page the plan runs at flow level only (max-min fair sharing), so its verdicts are unconfirmed; `iovsim plan` confirms the choices at packet level with confidence intervals.",
  ],
  plan: true,
  golden: [
    {
      label: "traditional at 100 %",
      source: { from: "plan-score", design: "traditional", share: 1 },
      unit: "count",
      value: 454,
    },
    { label: "UCS at 100 %", source: { from: "plan-score", design: "ucs", share: 1 }, unit: "count", value: 300 },
    { label: "MR-IOV at 100 %", source: { from: "plan-score", design: "mriov", share: 1 }, unit: "count", value: 242 },
    { label: "UCS knee", source: { from: "plan-knee", design: "ucs" }, unit: "share", value: 80, digits: 2 },
    { label: "flattest design", source: { from: "plan-flattest" }, unit: "design", value: "mriov" },
  ],
  knobs: [],
};
