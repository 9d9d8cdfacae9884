/**
 * What a lesson is (see lessons.ts for the path): a small topology or study, a question,
 * what to click, what to look at, why it happens, its key numbers (golden values,
 * checked in Node and in the page) and what-if knobs with the numbers they lead to.
 * Browser-safe data, no DOM.
 */
import type { Document } from "yaml";
import type { Knob } from "../whatif-model.js";
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

/** A workload's delivered rate (or p99) as a key number, stated to 3 digits. */
export const Gbps = (
  label: string,
  name: string,
  value: number,
  field: "deliveredBps" | "p99" = "deliveredBps",
  unit: Golden["unit"] = "Gb/s",
): Golden => ({ label, source: { from: "workload", name, field }, unit, value, digits: 3 });

/** Sets (or, with null, deletes) a key of a node in a topology file. */
export function setNode(doc: Document, node: string, key: string, value: unknown): void {
  if (value === null) doc.deleteIn(["topology", "nodes", node, key]);
  else doc.setIn(["topology", "nodes", node, key], value);
}
