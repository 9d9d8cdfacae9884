/**
 * The page: wires the source picker and editor, the worker, the topology view, the
 * charts and the plan view together. No simulation happens on this thread; the worker
 * posts snapshots (SNAPSHOTS_PER_SECOND) and the final result JSON.
 *
 * For tests and scripts the page exposes its state on <body>: `data-state` (idle,
 * loaded, running, paused, done, error), `data-now` (simulated ticks of the last
 * snapshot) and `data-faults` (fault events acknowledged by the worker), and the final
 * result JSON in `<pre id="result-json">`.
 */
import type { RunResult } from "../../src/metrics/result.js";
import type { PlanResult } from "../../src/planner/plan.js";
import { faultLabel } from "../../src/run/faults.js";
import type { Design, FaultTarget, ResolvedTopology } from "../../src/topology/types.js";
import { TransferAnimation } from "./animation.js";
import { checkPlan, renderBom } from "./charts/bom.js";
import { bps, bytes, seconds } from "./charts/format.js";
import { renderLastMile } from "./charts/last-mile.js";
import { renderLatency, type SlaMark } from "./charts/latency.js";
import { LineChart } from "./charts/line-chart.js";
import { Controls } from "./controls.js";
import { type DetailsContext, refreshDetails, renderDetails } from "./details.js";
import { byId, download, el } from "./dom.js";
import { applyLayoutFile, computeLayout, type LayoutFile, toLayoutFile, VIEW_WIDTH } from "./layout.js";
import { type FromWorker, type RunMeta, SNAPSHOTS_PER_SECOND, type Snapshot, type ToWorker } from "./protocol.js";
import { renderFaults, renderResults } from "./results.js";
import { BUILTINS, isStudy, load } from "./sources.js";
import { type Picked, TopologyView } from "./topology-view.js";

const body = document.body;
const setState = (s: string): void => {
  body.dataset.state = s;
};

// ---------------------------------------------------------------- state
let source = { text: BUILTINS[0]!.text, file: BUILTINS[0]!.file };
let topo: ResolvedTopology | null = null;
let meta: RunMeta | null = null;
let last: Snapshot | null = null;
let result: RunResult | null = null;
/** The run in the worker matches the controls (seed, duration, topology). */
let loadedKey = "";
let picked: Picked | null = null;
const failed = new Set<string>();
let faultCount = 0;
let plan: PlanResult | null = null;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker): void => worker.postMessage(m);

const view = new TopologyView(byId<HTMLElement>("topology") as unknown as SVGSVGElement, byId("tooltip"), (p) => {
  picked = p;
  showDetails();
});
const animation = new TransferAnimation(
  byId<HTMLCanvasElement>("particles"),
  byId("topology") as unknown as SVGSVGElement,
  VIEW_WIDTH,
  (port) => view.segment(port),
  1000 / SNAPSHOTS_PER_SECOND,
);
const svg = (id: string): SVGSVGElement => byId(id) as unknown as SVGSVGElement;
const throughput = new LineChart(svg("chart-throughput"), {
  title: "Delivered throughput per workload",
  xLabel: "simulated ms",
  yFormat: bps,
});
const queue = new LineChart(svg("chart-queue"), {
  title: "Queued bytes: whole fabric and the deepest port",
  xLabel: "simulated ms",
  yFormat: bytes,
});
const controls = new Controls({
  run: () => start(true),
  pause: () => send({ type: "pause" }),
  step: (ticks) => {
    start(false);
    send({ type: "step", ticks });
  },
  reset: () => reload(),
  speed: (speed) => send({ type: "speed", speed }),
});

// ---------------------------------------------------------------- sources
const sourceSelect = byId<HTMLSelectElement>("source");
for (const b of BUILTINS) sourceSelect.append(el("option", b.file, { value: b.file }));
sourceSelect.addEventListener("change", () => {
  const b = BUILTINS.find((x) => x.file === sourceSelect.value);
  if (b !== undefined) openText(b.text, b.file);
});
const designSelect = byId<HTMLSelectElement>("design");
designSelect.addEventListener("change", () => openText(source.text, source.file));
const editor = byId<HTMLTextAreaElement>("editor");
const issues = byId<HTMLUListElement>("issues");
let typing = 0;
editor.addEventListener("input", () => {
  clearTimeout(typing);
  typing = window.setTimeout(() => validate(editor.value, source.file), 300);
});
byId("apply").addEventListener("click", () => openText(editor.value, source.file, false));

/** Shows the CLI's error lines (or hides the list); returns whether the text loads. */
function validate(text: string, file: string): ReturnType<typeof load> {
  const design = isStudy(text) && designSelect.value !== "" ? (designSelect.value as Design) : null;
  const r = load(text, file, design);
  issues.replaceChildren();
  issues.hidden = r.ok;
  if (!r.ok)
    for (const line of r.lines) {
      const li = el("li", line);
      // Clicking an error moves the editor's cursor to its line.
      li.addEventListener("click", () => gotoLine(line));
      issues.append(li);
    }
  return r;
}

function gotoLine(line: string): void {
  const m = /:(\d+):(\d+) /.exec(line);
  if (m === null) return;
  const section = byId<HTMLDetailsElement>("editor-section");
  section.open = true;
  const lines = editor.value.split("\n");
  const n = Math.min(Number(m[1]), lines.length) - 1;
  const offset = lines.slice(0, n).reduce((a, l) => a + l.length + 1, 0) + Number(m[2]) - 1;
  editor.focus();
  editor.setSelectionRange(offset, offset);
}

/** Loads a topology or study text; on errors the previous topology stays and keeps working. */
function openText(text: string, file: string, toEditor = true): void {
  if (toEditor) editor.value = text;
  const r = validate(text, file);
  if (!r.ok) {
    byId<HTMLDetailsElement>("editor-section").open = true;
    setStatus(
      `${file}: ${r.lines.length} problem${r.lines.length === 1 ? "" : "s"} (the previous topology stays loaded)`,
    );
    if (topo === null) setState("error");
    return;
  }
  const studyChanged = source.text !== text;
  source = { text, file };
  const designLabel = byId("design-label");
  designLabel.hidden = r.study === null;
  if (r.study !== null && (studyChanged || designSelect.options.length === 0)) {
    const keep = designSelect.value;
    designSelect.replaceChildren(...r.study.designs.map((d) => el("option", d, { value: d })));
    if (r.study.designs.includes(keep as Design)) designSelect.value = keep;
  }
  topo = r.topology;
  controls.setSeed(topo.experiment.seed);
  controls.setDuration("");
  showTopology(topo);
  reload();
}

function showTopology(t: ResolvedTopology): void {
  animation.clear(true);
  byId("description").textContent = `${t.name} (${t.design})${t.description === null ? "" : `: ${t.description}`}`;
  view.load(t, computeLayout(t));
  picked = null;
  showDetails();
}

// ---------------------------------------------------------------- the run
function runTopology(): ResolvedTopology | null {
  if (topo === null) return null;
  const d = controls.durationTicks();
  return d === null ? topo : { ...topo, experiment: { ...topo.experiment, durationTicks: d } };
}

/** A fresh run in the worker (paused at t = 0). */
function reload(): void {
  const t = runTopology();
  if (t === null) return;
  meta = null;
  last = null;
  result = null;
  failed.clear();
  faultCount = 0;
  body.dataset.faults = "0";
  byId("fault-log").replaceChildren();
  byId("fault-status").replaceChildren();
  byId("results").replaceChildren(
    el("p", "The final numbers (the CLI's JSON) appear when the run ends.", { class: "hint" }),
  );
  byId("result-json").textContent = "";
  byId<HTMLButtonElement>("result-save").disabled = true;
  view.setBlast([], []);
  const seed = controls.seed(t.experiment.seed);
  loadedKey = `${source.file}|${seed}|${t.experiment.durationTicks}|${source.text.length}`;
  send({ type: "load", topo: t, seed });
  setState("loaded");
  controls.set("loaded");
}

function start(run: boolean): void {
  const t = runTopology();
  if (t === null) return;
  const key = `${source.file}|${controls.seed(t.experiment.seed)}|${t.experiment.durationTicks}|${source.text.length}`;
  if (key !== loadedKey || result !== null) reload();
  if (run) {
    send({ type: "speed", speed: controls.speed() });
    send({ type: "run" });
  }
}

function fault(action: "fail" | "restore", target: FaultTarget): void {
  if (meta === null || result !== null) return;
  send({ type: "fault", action, target });
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  // After a reload, messages of the previous run may still arrive: the new run starts with its meta.
  if (meta === null && m.type !== "meta" && m.type !== "error") return;
  switch (m.type) {
    case "meta":
      meta = m;
      view.setMeta(m);
      throughput.reset(m.workloads.map((w) => w.name));
      queue.reset(["all ports", "deepest port"]);
      showDetails();
      return;
    case "snapshot":
      onSnapshot(m);
      return;
    case "fault": {
      const label = faultLabel(m.fault.target);
      if (m.fault.action === "fail") failed.add(label);
      else failed.delete(label);
      faultCount++;
      body.dataset.faults = String(faultCount);
      byId("fault-log").append(
        el("li", `${seconds(m.fault.atTicks / 1e12)}: ${m.fault.action} ${label} (${m.ports.length} link directions)`),
      );
      showDetails();
      return;
    }
    case "state":
      // The page's state follows the worker's acknowledgements, never its own clicks.
      if (result !== null) return;
      setState(m.running ? "running" : "paused");
      controls.set(m.running ? "running" : "paused");
      if (m.running) animation.start();
      else animation.stop();
      return;
    case "done":
      body.dataset.busySeconds = String(m.busySeconds);
      body.dataset.wallSeconds = String(m.wallSeconds);
      onDone(m.result);
      return;
    case "error":
      animation.stop();
      setState("error");
      controls.set("loaded");
      setStatus(`error: ${m.message}`);
      return;
  }
};
worker.onerror = (e) => {
  setState("error");
  setStatus(`worker error: ${e.message}`);
};

function onSnapshot(s: Snapshot): void {
  last = s;
  body.dataset.now = String(s.now);
  view.update(s);
  animation.add(s.hops, s.now);
  const ms = s.now / 1e9;
  throughput.push(
    ms,
    s.workloads.map((w) => w.deliveredBps),
  );
  const q = s.links.queueBytes;
  queue.push(ms, [q.reduce((a, b) => a + b, 0), Math.max(0, ...q)]);
  throughput.render();
  queue.render();
  renderLatency(svg("chart-latency"), s.workloads, slaMarks());
  // Blast radius: failed ports now, and the servers whose flows crossed an active fault.
  const ports: string[] = [];
  s.links.failed.forEach((f, i) => {
    if (f === 1 && meta !== null) ports.push(meta.ports[i]!.id);
  });
  const servers = s.faults.filter((f) => f.restoredAt === null).flatMap((f) => f.affectedServers);
  view.setBlast(ports, servers, failed);
  renderFaults(byId("fault-status"), s.faults);
  const end = meta?.endTicks ?? 0;
  setStatus(
    `t = ${seconds(s.now / 1e12)} of ${seconds(end / 1e12)} · ${s.events.toLocaleString("en")} events · ` +
      `${(s.eventsPerSecond / 1e6).toFixed(2)} M events/s · ${SNAPSHOTS_PER_SECOND} snapshots/s`,
  );
  if (picked !== null && !refreshDetails(byId("details"), picked, detailsContext())) showDetails();
}

function onDone(r: RunResult): void {
  result = r;
  animation.clear();
  renderResults(byId("results"), r);
  renderLatency(
    svg("chart-latency"),
    r.workloads.map((w) => ({ name: w.name, ...w.latency })),
    slaMarks(),
  );
  byId("result-json").textContent = JSON.stringify(r, null, 2);
  byId<HTMLButtonElement>("result-save").disabled = false;
  showDetails();
  setState("done");
  controls.set("done");
  setStatus(`done: ${r.events.toLocaleString("en")} events, ${r.simulatedSeconds} s simulated`);
}

function slaMarks(): SlaMark[] {
  if (topo === null) return [];
  return topo.sla.flatMap((s) =>
    s.metric === "latency.p99" || s.metric === "latency.mean"
      ? [{ workload: s.workload, metric: s.metric, target: s.target / 1e12 }]
      : [],
  );
}

function setStatus(text: string): void {
  byId("status").textContent = text;
}

function detailsContext(): DetailsContext {
  return {
    topo: topo!,
    linkText: (i) => view.linkTip(i),
    portsText: (n) => view.nodePortsText(n),
    failed,
    canFault: meta !== null && result === null,
    onFault: fault,
  };
}

function showDetails(): void {
  if (topo !== null) renderDetails(byId("details"), picked, detailsContext());
}

byId("result-save").addEventListener("click", () => {
  if (result !== null) download("result.json", `${JSON.stringify(result, null, 2)}\n`);
});

// ---------------------------------------------------------------- layout files
byId("layout-save").addEventListener("click", () => {
  const layout = view.currentLayout;
  if (topo !== null && layout !== null)
    download(`${topo.name}.layout.json`, `${JSON.stringify(toLayoutFile(topo.name, layout), null, 2)}\n`);
});
byId("layout-reset").addEventListener("click", () => {
  if (topo !== null) {
    view.load(topo, computeLayout(topo));
    if (meta !== null) view.setMeta(meta);
    if (last !== null) view.update(last);
  }
});
function loadLayout(text: string): void {
  const layout = view.currentLayout;
  if (layout === null) return;
  applyLayoutFile(layout, JSON.parse(text) as LayoutFile);
  view.place();
}

// ---------------------------------------------------------------- plan
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

// ---------------------------------------------------------------- files: picker and drag-and-drop
async function openFile(f: File, kind: "any" | "layout" | "plan"): Promise<void> {
  const text = await f.text();
  try {
    if (kind === "layout" || (kind === "any" && f.name.endsWith(".layout.json"))) loadLayout(text);
    else if (kind === "plan" || (kind === "any" && f.name.endsWith(".json") && /"designs"\s*:/.test(text)))
      showPlan(checkPlan(JSON.parse(text)));
    else openText(text, f.name);
  } catch (err) {
    setStatus(`${f.name}: ${err instanceof Error ? err.message : String(err)}`);
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

openText(source.text, source.file);
