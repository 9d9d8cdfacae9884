/**
 * Files in and out of the page: layout files (`<name>.layout.json`), plan.json (the BOM
 * per design and the last-mile curve), and drag-and-drop of any of them or of a
 * topology or study.
 */
import type { PlanResult } from "../../src/planner/plan.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import { checkPlan as checkPlanFile, renderBom } from "./charts/bom.js";
import { renderLastMile } from "./charts/last-mile.js";
import { byId, download, el } from "./dom.js";
import { applyLayoutFile, computeLayout, type LayoutFile, toLayoutFile } from "./layout.js";
import type { RunMeta } from "./protocol.js";
import type { TopologyView } from "./topology-view.js";

export interface FilesContext {
  readonly view: TopologyView;
  readonly topo: () => ResolvedTopology | null;
  readonly meta: () => RunMeta | null;
  readonly openText: (text: string, file: string) => void;
  readonly setStatus: (text: string) => void;
}

export function initFiles(ctx: FilesContext): { showPlan(p: PlanResult): void } {
  const svg = (id: string): SVGSVGElement => byId(id) as unknown as SVGSVGElement;
  const { view } = ctx;
  let plan: PlanResult | null = null;

  byId("layout-save").addEventListener("click", () => {
    const layout = view.currentLayout;
    const topo = ctx.topo();
    if (topo !== null && layout !== null)
      download(`${topo.name}.layout.json`, `${JSON.stringify(toLayoutFile(topo.name, layout), null, 2)}\n`);
  });
  byId("layout-reset").addEventListener("click", () => {
    const topo = ctx.topo();
    if (topo === null) return;
    // Same topology, positions recomputed: keep the run's state on screen.
    const layout = computeLayout(topo);
    const current = view.currentLayout;
    if (current === null) return;
    for (const n of layout.nodes) {
      const box = current.byName.get(n.name);
      if (box !== undefined) {
        box.x = n.x;
        box.y = n.y;
      }
    }
    view.place();
  });
  function loadLayout(text: string): void {
    const layout = view.currentLayout;
    if (layout === null) return;
    applyLayoutFile(layout, JSON.parse(text) as LayoutFile);
    view.place();
  }

  const planDesign = byId<HTMLSelectElement>("plan-design");
  function showPlan(p: PlanResult): void {
    plan = p;
    planDesign.replaceChildren(...p.designs.map((d) => el("option", d.design, { value: d.design })));
    planDesign.disabled = false;
    drawBom();
    const curve = svg("chart-last-mile");
    curve.toggleAttribute("hidden", p.lastMileCurve === null);
    if (p.lastMileCurve !== null) renderLastMile(curve, p.lastMileCurve);
  }
  function drawBom(): void {
    if (plan !== null) renderBom(svg("chart-bom"), byId("bom-totals"), plan, planDesign.value);
  }
  planDesign.addEventListener("change", drawBom);

  async function openFile(f: File, kind: "any" | "layout" | "plan"): Promise<void> {
    const text = await f.text();
    try {
      if (kind === "layout" || (kind === "any" && f.name.endsWith(".layout.json"))) loadLayout(text);
      else if (kind === "plan" || (kind === "any" && f.name.endsWith(".json") && /"designs"\s*:/.test(text)))
        showPlan(checkPlanFile(JSON.parse(text)));
      else ctx.openText(text, f.name);
    } catch (err) {
      ctx.setStatus(`${f.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const picker = (id: string, kind: "any" | "layout" | "plan"): void => {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener("change", () => {
      const f = input.files?.[0];
      if (f !== undefined) void openFile(f, kind);
      input.value = "";
    });
  };
  picker("file", "any");
  picker("layout-file", "layout");
  picker("plan-file", "plan");
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void openFile(f, "any");
  });
  return { showPlan };
}
