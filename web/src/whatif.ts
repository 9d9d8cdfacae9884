/**
 * The "What if…" panel: a field per knob (whatif-model.ts) and "Run both", which runs
 * the topology as loaded and as changed in the batch worker (same seed, to the end)
 * and shows them side by side: per workload the delivered rate, p99 latency and loss;
 * the SLA rows; the faults' blast radius; for a lesson, its key numbers.
 */
import type { RunResult } from "../../src/metrics/result.js";
import type { Study } from "../../src/study/index.js";
import type { Design } from "../../src/topology/types.js";
import type { Batch } from "./batch.js";
import { bps, seconds } from "./charts/format.js";
import { el } from "./dom.js";
import { type Variant, variant } from "./lessons/evaluate.js";
import { formatGolden, type Golden, inUnit, readRun } from "./lessons/golden.js";
import type { Knob } from "./whatif-model.js";

export interface WhatIfSource {
  /** A topology text (for a study: the expanded topology of `design`). */
  readonly text: string;
  readonly file: string;
  readonly study?: Study;
  readonly design?: Design;
  readonly knobs: readonly Knob[];
  readonly seed: number;
  /** A lesson's key numbers, shown as extra rows. */
  readonly golden?: readonly Golden[];
  /** The lesson's what-if numbers: the changed column shows them in their own unit. */
  readonly whatIfGolden?: readonly Golden[];
}

export class WhatIf {
  private source: WhatIfSource | null = null;
  private changed: Variant | null = null;
  private readonly fields = document.getElementById("whatif-fields")!;
  private readonly result = document.getElementById("whatif-result")!;
  private readonly runButton = document.getElementById("whatif-run") as HTMLButtonElement;
  private readonly openButton = document.getElementById("whatif-open") as HTMLButtonElement;
  private busy = false;

  constructor(
    private readonly batch: Batch,
    private readonly open: (text: string, file: string) => void,
  ) {
    this.runButton.addEventListener("click", () => void this.runBoth());
    this.openButton.addEventListener("click", () => {
      const s = this.source;
      const v = this.changed;
      if (s !== null && v !== null) this.open(v.text, `${s.file.replace(/\.ya?ml$/, "")}-what-if.yaml`);
    });
  }

  load(s: WhatIfSource | null): void {
    this.source = s;
    this.changed = null;
    this.openButton.disabled = true;
    this.result.replaceChildren();
    this.fields.replaceChildren();
    const section = document.getElementById("whatif")!;
    section.hidden = s === null || s.knobs.length === 0;
    if (s === null) return;
    for (const k of s.knobs) {
      const id = `knob-${k.id}`;
      const select = el("select", null, { id, "data-knob": k.id });
      for (const c of k.choices) select.append(el("option", c.label, { value: c.value }));
      select.value = k.initial;
      const label = el("label", `${k.label} `, { for: id });
      const row = el("div", null, { class: "knob" });
      row.append(label, select);
      this.fields.append(row);
    }
  }

  /** Sets knob values (the lesson's suggested what-if), as a user would. */
  set(values: Readonly<Record<string, string>>): void {
    for (const [k, v] of Object.entries(values)) {
      const s = this.fields.querySelector<HTMLSelectElement>(`select[data-knob="${k}"]`);
      if (s !== null) s.value = v;
    }
  }

  private values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of this.fields.querySelectorAll<HTMLSelectElement>("select[data-knob]"))
      out[s.dataset.knob!] = s.value;
    return out;
  }

  async runBoth(): Promise<void> {
    const s = this.source;
    if (s === null || this.busy) return;
    const initial = Object.fromEntries(s.knobs.map((k) => [k.id, k.initial]));
    const values = this.values();
    const section = document.getElementById("whatif")!;
    let before: Variant;
    let after: Variant;
    try {
      before = variant(s, s.knobs, initial);
      after = variant(s, s.knobs, values);
    } catch (err) {
      this.result.replaceChildren(el("pre", err instanceof Error ? err.message : String(err), { class: "error" }));
      return;
    }
    this.busy = true;
    this.runButton.disabled = true;
    section.dataset.state = "running";
    this.result.replaceChildren(el("p", "Running both…", { class: "hint" }));
    try {
      const [a, b] = [
        await this.batch.run(before.topo, s.seed, before.failoverTicks),
        await this.batch.run(after.topo, s.seed, after.failoverTicks),
      ];
      this.changed = after;
      this.openButton.disabled = false;
      this.result.replaceChildren(
        compare(a.result, b.result, changedText(s.knobs, initial, values), s.golden ?? [], s.whatIfGolden ?? []),
        el("p", `Both runs: seed ${s.seed}, ${(a.wallSeconds + b.wallSeconds).toFixed(1)} s in the batch worker.`, {
          class: "hint",
        }),
      );
      section.dataset.state = "done";
    } catch (err) {
      this.result.replaceChildren(el("pre", err instanceof Error ? err.message : String(err), { class: "error" }));
      section.dataset.state = "error";
    } finally {
      this.busy = false;
      this.runButton.disabled = false;
    }
  }
}

function changedText(knobs: readonly Knob[], initial: Record<string, string>, values: Record<string, string>): string {
  const parts = knobs
    .filter((k) => values[k.id] !== initial[k.id])
    .map(
      (k) =>
        `${k.label.replace(/:.*$/, "")}: ${k.choices.find((c) => c.value === values[k.id])?.label ?? values[k.id]}`,
    );
  return parts.length === 0 ? "nothing changed (both runs are the same)" : parts.join("; ");
}

/** The side-by-side table. */
function compare(
  a: RunResult,
  b: RunResult,
  what: string,
  golden: readonly Golden[],
  whatIfGolden: readonly Golden[],
): HTMLTableElement {
  const t = el("table", null, { class: "compare", id: "whatif-table" });
  t.append(el("caption", `As loaded vs changed (${what})`));
  const head = el("tr");
  for (const h of ["", "as loaded", "changed"]) head.append(el("th", h, { scope: "col" }));
  t.append(el("thead"), el("tbody"));
  t.tHead!.append(head);
  const row = (label: string, x: string, y: string, key = label): void => {
    const tr = el("tr", null, { "data-row": key });
    tr.append(el("th", label, { scope: "row" }), el("td", x), el("td", y));
    if (x !== y) tr.classList.add("moved");
    t.tBodies[0]!.append(tr);
  };
  for (const g of golden) {
    const fmt = (r: RunResult, as: Golden): string => {
      const v = readRun(r, as.source);
      return v === null ? "–" : formatGolden(inUnit(v, as.unit), as.unit, as.digits);
    };
    const changed = whatIfGolden.find((w) => w.label === g.label) ?? g;
    row(g.label, fmt(a, g), fmt(b, changed), `golden:${g.label}`);
  }
  for (const w of a.workloads) {
    const w2 = b.workloads.find((x) => x.name === w.name);
    row(`${w.name} delivered`, bps(w.deliveredBps), w2 === undefined ? "–" : bps(w2.deliveredBps));
    row(`${w.name} p99`, seconds(w.latency.p99), w2 === undefined ? "–" : seconds(w2.latency.p99));
    row(`${w.name} lost`, String(w.dropped), w2 === undefined ? "–" : String(w2.dropped));
  }
  for (const s of a.sla) {
    const s2 = b.sla.find((x) => x.workload === s.workload && x.metric === s.metric);
    row(`SLA ${s.workload} ${s.metric}`, s.status, s2?.status ?? "–");
  }
  const faults = Math.max(a.faults?.length ?? 0, b.faults?.length ?? 0);
  for (let i = 0; i < faults; i++) {
    const f = a.faults?.[i];
    const g = b.faults?.[i];
    const txt = (x: typeof f): string =>
      x === undefined
        ? "–"
        : `${x.affectedServers.length} servers hit, ${x.lost} lost, outage ${seconds(x.outageSeconds)}`;
    row(`fault ${f?.target ?? g?.target ?? i}`, txt(f), txt(g));
  }
  const busiest = (r: RunResult): string => {
    const l = [...r.links].sort((x, y) => (y.utilization ?? 0) - (x.utilization ?? 0))[0];
    return l === undefined ? "–" : `${l.id} ${(100 * (l.utilization ?? 0)).toFixed(1)} %`;
  };
  row("busiest link direction", busiest(a), busiest(b));
  return t;
}
