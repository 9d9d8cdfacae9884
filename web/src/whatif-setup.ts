/**
 * Which what-if knobs a loaded topology gets: a lesson's own; for a reference rack its
 * design's parameters (the racks are the built-in study at its default parameters) and
 * the failover time; for a study the chosen design's parameters; for any other
 * topology the failover time.
 */
import { expandStudy } from "../../src/design/index.js";
import type { Study } from "../../src/study/index.js";
import type { Design, ResolvedTopology } from "../../src/topology/types.js";
import type { Lesson } from "./lessons/lessons.js";
import { BUILTINS, load, RACK_STUDY } from "./sources.js";
import type { WhatIfSource } from "./whatif.js";
import { failoverKnob, paramKnobs } from "./whatif-model.js";

export interface Loaded {
  readonly topo: ResolvedTopology;
  readonly source: { readonly text: string; readonly file: string };
  readonly study: Study | null;
  /** The design a study is expanded with (null for a topology). */
  readonly design: Design | null;
  readonly lesson: Lesson | null;
}

export function whatIfSource(x: Loaded): WhatIfSource | null {
  const seed = x.topo.experiment.seed;
  const { text, file } = x.source;
  if (x.lesson !== null) {
    const l = x.lesson;
    if (l.knobs.length === 0) return null;
    return {
      text,
      file,
      knobs: l.knobs,
      seed,
      golden: l.golden,
      ...(l.whatIf === undefined ? {} : { whatIfGolden: l.whatIf.golden }),
    };
  }
  const rack = BUILTINS.find((b) => b.file === file)?.rackOf;
  if (rack !== undefined) {
    const s = load(RACK_STUDY.text, RACK_STUDY.file, rack);
    if (s.ok && s.study !== null)
      return {
        text,
        file,
        study: s.study,
        design: rack,
        knobs: [...paramKnobs(rack, paramValues(s.study, rack)), failoverKnob()],
        seed,
      };
  }
  if (x.study !== null && x.design !== null)
    return {
      text: expandStudy(x.study, x.design),
      file,
      study: x.study,
      design: x.design,
      knobs: [...paramKnobs(x.design, paramValues(x.study, x.design)), failoverKnob()],
      seed,
    };
  return { text, file, knobs: [failoverKnob()], seed };
}

/** A study's current parameter values for a design (`{ value, range }` or a bare value). */
export function paramValues(s: Study, design: Design): Record<string, string | number> {
  const designs = s.file.designs as Record<string, { parameters?: Record<string, unknown> } | undefined>;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(designs[design]?.parameters ?? {})) {
    const value = typeof v === "object" && v !== null && "value" in v ? (v as { value: unknown }).value : v;
    if (typeof value === "number" || typeof value === "string") out[k] = value;
  }
  return out;
}
