/**
 * What-if knobs (browser-safe, no DOM): a few parameters a learner or an architect
 * changes to see what moves. A knob either edits the topology file (through the
 * `yaml` document, so the text stays the user's and errors keep their positions),
 * sets the failover time of the run, or sets a design parameter of a study (the
 * generator makes the topology again, as `iovsim expand --set` does). The reference
 * racks are the built-in study at its default parameters, so their knobs are the
 * design's parameters (`src/design/params.ts`).
 */
import { type Document, isMap, isSeq, parseDocument } from "yaml";
import { parseTime } from "../../sim/units.js";
import { PARAMS, type ParamValue } from "../../src/design/params.js";
import { FAILOVER_DEFAULTS, MECHANISMS } from "../../src/run/failover.js";
import type { Design } from "../../src/topology/types.js";

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export type KnobEffect =
  /** Edits the YAML document for the chosen value. */
  | { readonly kind: "yaml"; readonly apply: (doc: Document, value: string) => void }
  /** The failover time of the run: a time, "off" (no failover) or "design" (the defaults per mechanism). */
  | { readonly kind: "failover" }
  /** A design parameter of the study the topology is generated from. */
  | { readonly kind: "param"; readonly name: string; readonly int: boolean };

export interface Knob {
  readonly id: string;
  readonly label: string;
  readonly choices: readonly Choice[];
  /** The value of the topology as loaded. */
  readonly initial: string;
  readonly effect: KnobEffect;
}

/** Failover choices: the defaults per mechanism first (docs/failover.md). */
export function failoverKnob(): Knob {
  const each = MECHANISMS.map((m) => {
    const d = FAILOVER_DEFAULTS[m].seconds;
    return `${m} ${d >= 1 ? `${d} s` : `${d * 1e3} ms`}`;
  }).join(", ");
  return {
    id: "failover",
    label: "Failover time (detection + re-routing)",
    choices: [
      { value: "design", label: `per mechanism (${each})` },
      { value: "10ms", label: "10 ms" },
      { value: "1ms", label: "1 ms" },
      { value: "100us", label: "100 µs" },
      { value: "off", label: "off (nothing re-routes until a restore)" },
    ],
    initial: "design",
    effect: { kind: "failover" },
  };
}

/** The failover option of a run for a knob value: undefined = the defaults per mechanism, null = off, else ticks. */
export function failoverTicks(value: string): number | null | undefined {
  if (value === "design") return undefined;
  if (value === "off") return null;
  return parseTime(value);
}

/** The knobs of a design's parameters, at the study's values (the reference racks). */
export function paramKnobs(design: Design, values: Readonly<Record<string, ParamValue>>): Knob[] {
  return PARAMS[design].map((p) => {
    const current = String(values[p.name] ?? p.default);
    const choices =
      p.kind === "choice"
        ? p.choices.map((c) => ({ value: String(c), label: String(c) }))
        : intChoices(p.min, p.max).map((c) => ({ value: String(c), label: String(c) }));
    return {
      id: `param-${p.name}`,
      label: `${p.name}: ${p.doc}`,
      choices,
      initial: current,
      effect: { kind: "param", name: p.name, int: p.kind === "int" },
    };
  });
}

/** At most ~12 whole numbers from min to max (all of them when the range is small). */
function intChoices(min: number, max: number): number[] {
  if (max - min <= 12) return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const out = new Set<number>([min, max]);
  for (let v = 1; v < max; v *= 2) if (v > min) out.add(v);
  return [...out].sort((a, b) => a - b);
}

/** Applies the YAML knobs whose value differs from the initial one; returns the new text. */
export function applyYamlKnobs(text: string, knobs: readonly Knob[], values: Readonly<Record<string, string>>): string {
  const changed = knobs.filter(
    (k) => k.effect.kind === "yaml" && values[k.id] !== undefined && values[k.id] !== k.initial,
  );
  if (changed.length === 0) return text;
  const doc = parseDocument(text);
  for (const k of changed) if (k.effect.kind === "yaml") k.effect.apply(doc, values[k.id]!);
  return doc.toString();
}

/** The design parameters the knobs set (only those that differ from the initial value). */
export function paramOverrides(
  knobs: readonly Knob[],
  values: Readonly<Record<string, string>>,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const k of knobs) {
    const v = values[k.id];
    if (k.effect.kind !== "param" || v === undefined || v === k.initial) continue;
    out[k.effect.name] = k.effect.int ? Number(v) : /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

// ---------------------------------------------------------------- helpers for lesson knobs

/** Sets `lossless` on every link of a topology file. */
export function setAllLinks(doc: Document, key: string, value: unknown): void {
  const links = doc.getIn(["topology", "links"]);
  if (!isSeq(links)) throw new Error("no topology.links");
  links.items.forEach((_, i) => {
    doc.setIn(["topology", "links", i, key], value);
  });
}

/** The index of the link whose first endpoint starts with `prefix`. */
export function linkIndex(doc: Document, prefix: string): number {
  const links = doc.getIn(["topology", "links"]);
  if (!isSeq(links)) throw new Error("no topology.links");
  const i = links.items.findIndex((l) => {
    if (!isMap(l)) return false;
    const e = l.get("endpoints");
    return isSeq(e) && String((e.items[0] as { value?: unknown } | undefined)?.value ?? e.items[0]).startsWith(prefix);
  });
  if (i < 0) throw new Error(`no link from ${prefix}`);
  return i;
}

/** `node[1..n]` as a name range, or `node1` when n is 1. */
export function range(base: string, n: number, from = 1): string {
  return n === 1 ? `${base}${from}` : `${base}[${from}..${from + n - 1}]`;
}
