/**
 * The page: wires the source picker and editor, the lessons, the worker, the topology
 * view, the charts, the what-if panel and the plan view together. No simulation happens
 * on this thread; the worker posts snapshots (bins of simulated time and the state now)
 * and the final result JSON.
 *
 * For tests and scripts the page exposes its state on <body>: `data-state` (idle,
 * loaded, running, paused, done, error), `data-now` (simulated ticks of the last
 * snapshot), `data-faults` (fault events acknowledged by the worker), `data-bins` (bins
 * received), and the final result JSON in `<pre id="result-json">`.
 */
import type { RunResult } from "../../src/metrics/result.js";
import { faultLabel } from "../../src/run/faults.js";
import type { Study } from "../../src/study/index.js";
import type { Design, FaultTarget, ResolvedFault, ResolvedTopology } from "../../src/topology/types.js";
import { TransferAnimation } from "./animation.js";
import { Batch } from "./batch.js";
import { bps, bytes, seconds } from "./charts/format.js";
import { LatencyChart, type SlaMark } from "./charts/latency.js";
import { LineChart } from "./charts/line-chart.js";
import { Controls, DEFAULT_SPEED } from "./controls.js";
import { type DetailsContext, refreshDetails, renderDetails } from "./details.js";
import { byId, download, el } from "./dom.js";
import { Editor } from "./editor.js";
import { initFiles } from "./files.js";
import { computeLayout } from "./layout.js";
import { renderLegend } from "./legend.js";
import { checkPlan, checkRun } from "./lessons/golden.js";
import { LESSONS, type Lesson, lessonByFile } from "./lessons/lessons.js";
import { clearChecks, markOpen, renderLesson, renderLessonList, showChecks } from "./lessons/panel.js";
import { workloadColour } from "./palette.js";
import { PartPicker } from "./part-picker.js";
import { RouteBook } from "./paths.js";
import { type FromWorker, type RunMeta, SNAPSHOTS_PER_SECOND, type Snapshot, type ToWorker } from "./protocol.js";
import { renderFaults, renderResults } from "./results.js";
import { BUILTINS, type load } from "./sources.js";
import { Status } from "./status.js";
import { type Picked, TopologyView } from "./topology-view.js";
import { WhatIf } from "./whatif.js";
import { whatIfSource } from "./whatif-setup.js";

const body = document.body;
const setState = (s: string): void => {
  body.dataset.state = s;
};

// ---------------------------------------------------------------- state
let source = { text: BUILTINS[0]!.text, file: BUILTINS[0]!.file };
let study: Study | null = null;
let topo: ResolvedTopology | null = null;
let meta: RunMeta | null = null;
let book: RouteBook | null = null;
let result: RunResult | null = null;
/** The run in the worker matches the controls (seed, duration, topology). */
let loadedKey = "";
let picked: Picked | null = null;
const failed = new Set<string>();
let faultCount = 0;
let bins = 0;
/** Faults injected from the page in this run, to replay it. */
let injected: ResolvedFault[] = [];
let lesson: Lesson | null = null;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker): void => worker.postMessage(m);
const batch = new Batch();
const status = new Status(byId("status"), byId("announce"));
const setStatus = (text: string): void => status.set(text);

const svg = (id: string): SVGSVGElement => byId(id) as unknown as SVGSVGElement;
const view = new TopologyView(svg("topology"), byId("tooltip"), (p) => {
  picked = p;
  syncPartPicker();
  showDetails();
});
const animation = new TransferAnimation(
  byId<HTMLCanvasElement>("particles"),
  svg("topology"),
  (port) => view.segment(port),
  1000 / SNAPSHOTS_PER_SECOND,
);
byId("motion-note").hidden = !animation.reducedMotion;
const throughput = new LineChart(svg("chart-throughput"), {
  title: "Delivered throughput per workload",
  xLabel: "simulated time (ms)",
  yLabel: "payload rate per bin",
  yFormat: bps,
  merge: "mean",
});
const queue = new LineChart(svg("chart-queue"), {
  title: "Queued bytes: whole fabric and the deepest port",
  xLabel: "simulated time (ms)",
  yLabel: "bytes at each bin's end",
  yFormat: bytes,
  merge: "max",
});
const latency = new LatencyChart(svg("chart-latency"));
const whatIf = new WhatIf(batch, (text, file) => openText(text, file));
const controls = new Controls({
  run: () => start(true),
  pause: () => send({ type: "pause" }),
  step: (ticks) => {
    start(false);
    send({ type: "step", ticks });
  },
  reset: () => reload(),
  replay: () => replay(),
  speed: (speed) => send({ type: "speed", speed }),
});

// ---------------------------------------------------------------- sources and lessons
const sourceSelect = byId<HTMLSelectElement>("source");
for (const g of ["Reference racks", "Lessons", "Studies"] as const) {
  const og = el("optgroup", null, { label: g });
  for (const b of BUILTINS.filter((x) => x.group === g)) {
    const l = lessonByFile(b.file);
    og.append(el("option", l === undefined ? b.file : l.title, { value: b.file }));
  }
  sourceSelect.append(og);
}
sourceSelect.addEventListener("change", () => {
  const b = BUILTINS.find((x) => x.file === sourceSelect.value);
  if (b !== undefined) openText(b.text, b.file);
});
const designSelect = byId<HTMLSelectElement>("design");
designSelect.addEventListener("change", () => openText(source.text, source.file));
const lessonList = byId("lesson-list");
renderLessonList(lessonList, LESSONS, (l) => {
  const b = BUILTINS.find((x) => x.file === l.file);
  if (b === undefined) return;
  sourceSelect.value = b.file;
  openText(b.text, b.file);
  byId("lesson").focus?.();
});

const editor = new Editor(
  (text) => openText(text, source.file, false),
  () => source.file,
  () => (designSelect.value === "" ? null : (designSelect.value as Design)),
);
const validate = (text: string, file: string): ReturnType<typeof load> => editor.validate(text, file);

/** Loads a topology or study text; on errors the previous topology stays and keeps working. */
function openText(text: string, file: string, toEditor = true): void {
  if (toEditor) editor.text = text;
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
  study = r.study;
  byId("design-label").hidden = r.study === null;
  if (r.study !== null && (studyChanged || designSelect.options.length === 0)) {
    const keep = designSelect.value;
    designSelect.replaceChildren(...r.study.designs.map((d) => el("option", d, { value: d })));
    if (r.study.designs.includes(keep as Design)) designSelect.value = keep;
  }
  topo = r.topology;
  controls.setSeed(topo.experiment.seed);
  controls.setDuration("");
  openLesson(lessonByFile(file) ?? null);
  showTopology(topo);
  setUpWhatIf();
  reload();
}

function openLesson(l: Lesson | null): void {
  lesson = l;
  markOpen(lessonList, l?.id ?? null);
  const box = byId("lesson");
  if (l === null) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  renderLesson(box, l, l.plan === true ? () => void planLesson(l) : null);
}

function setUpWhatIf(): void {
  if (topo === null) return;
  const design = study === null ? null : ((designSelect.value || study.designs[0]) as Design);
  whatIf.load(whatIfSource({ topo, source, study, design, lesson }));
  if (lesson?.whatIf !== undefined) whatIf.set(lesson.whatIf.set);
}

function showTopology(t: ResolvedTopology): void {
  animation.clear(true);
  byId("description").textContent = `${t.name} (${t.design})${t.description === null ? "" : `: ${t.description}`}`;
  view.load(t, computeLayout(t));
  renderLegend(byId("legend"), t);
  parts.fill(t);
  picked = null;
  showDetails();
}

const parts = new PartPicker(byId<HTMLSelectElement>("part"), (p) => view.pick(p));
const syncPartPicker = (): void => parts.sync(picked);

// ---------------------------------------------------------------- the run
function runTopology(): ResolvedTopology | null {
  if (topo === null) return null;
  const d = controls.durationTicks();
  return d === null ? topo : { ...topo, experiment: { ...topo.experiment, durationTicks: d } };
}

/** A fresh run in the worker (paused at t = 0); `extraFaults` replays faults injected before. */
function reload(extraFaults: readonly ResolvedFault[] = []): void {
  const t = runTopology();
  if (t === null) return;
  meta = null;
  book = null;
  result = null;
  failed.clear();
  faultCount = 0;
  bins = 0;
  injected = [];
  body.dataset.faults = "0";
  body.dataset.bins = "0";
  byId("fault-log").replaceChildren();
  byId("fault-status").replaceChildren();
  byId("results").replaceChildren(
    el("p", "The final numbers (the CLI's JSON) appear when the run ends.", { class: "hint" }),
  );
  byId("result-json").textContent = "";
  byId<HTMLButtonElement>("result-save").disabled = true;
  view.setBlast([], []);
  animation.clear();
  const seed = controls.seed(t.experiment.seed);
  loadedKey = `${source.file}|${seed}|${t.experiment.durationTicks}|${source.text.length}`;
  if (lesson !== null && lesson.plan !== true) {
    const same = seed === t.experiment.seed && t.experiment.durationTicks === topo!.experiment.durationTicks;
    clearChecks(byId("lesson"), same ? "" : "other seed or duration than the lesson's");
  }
  send({ type: "load", topo: t, seed, options: { extraFaults } });
  setState("loaded");
  controls.set("loaded");
  setStatus(`${t.name}: loaded, press Run or Step`);
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

/** The finished run again (same seed, same injected faults) at a watchable speed. */
function replay(): void {
  const again = [...injected];
  if (controls.speed() === null) controls.setSpeed(DEFAULT_SPEED);
  reload(again);
  injected = again;
  send({ type: "speed", speed: controls.speed() });
  send({ type: "run" });
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
      onMeta(m);
      return;
    case "snapshot":
      onSnapshot(m);
      return;
    case "fault": {
      const label = faultLabel(m.fault.target);
      if (m.fault.action === "fail") failed.add(label);
      else failed.delete(label);
      injected.push(m.fault);
      faultCount++;
      body.dataset.faults = String(faultCount);
      byId("fault-log").append(
        el("li", `${seconds(m.fault.atTicks / 1e12)}: ${m.fault.action} ${label} (${m.ports.length} link directions)`),
      );
      setStatus(`${m.fault.action === "fail" ? "failed" : "restored"} ${label} at ${seconds(m.fault.atTicks / 1e12)}`);
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

function onMeta(m: RunMeta): void {
  meta = m;
  book = new RouteBook(topo!, m);
  view.setMeta(m, book);
  const ms = (t: number): number => t / 1e9;
  throughput.reset(
    m.workloads.map((w) => w.name),
    m.workloads.map((_, i) => workloadColour(i)),
    m.warmupTicks > 0 ? [0, ms(m.warmupTicks)] : null,
  );
  queue.reset(
    ["all ports", "deepest port"],
    [workloadColour(0), workloadColour(1)],
    m.warmupTicks > 0 ? [0, ms(m.warmupTicks)] : null,
  );
  latency.reset(
    m.workloads.map((w) => w.name),
    slaMarks(),
  );
  showDetails();
}

function onSnapshot(s: Snapshot): void {
  const m = meta!;
  body.dataset.now = String(s.now);
  const b = s.bins;
  const P = m.ports.length;
  const W = m.workloads.length;
  for (let i = 0; i < b.count; i++) {
    // A bin is drawn at its middle: its rate is the mean over [k, k + 1) bins.
    const x = ((b.first + i + 0.5) * m.binTicks) / 1e9;
    throughput.push(x, b.deliveredBps.subarray(i * W, (i + 1) * W));
    queue.push(x, [b.queueTotal[i]!, b.queueMax[i]!]);
  }
  bins += b.count;
  body.dataset.bins = String(bins);
  if (b.count > 0) {
    throughput.render();
    queue.render();
  }
  if (s.routes.length > 0 && book !== null) {
    book.add(s.routes);
    view.routesChanged();
  }
  view.update(b.count > 0 ? b.utilization.subarray((b.count - 1) * P, b.count * P) : null, s.links);
  animation.add(s.hops, s.now);
  latency.update(s.workloads);
  // Blast radius: failed ports now, and the servers whose flows crossed an active fault.
  const ports: string[] = [];
  s.links.failed.forEach((f, i) => {
    if (f === 1) ports.push(m.ports[i]!.id);
  });
  const active = s.faults.filter((f) => f.restoredAt === null);
  // Failed devices: those failed from the page, and the targets of the file's active faults.
  view.setBlast(
    ports,
    active.flatMap((f) => f.affectedServers),
    [...failed, ...active.map((f) => f.target)],
  );
  renderFaults(byId("fault-status"), s.faults);
  setStatus(
    `${s.running ? "running" : "paused"}: t = ${seconds(s.now / 1e12)} of ${seconds(m.endTicks / 1e12)} simulated · ` +
      `${s.events.toLocaleString("en")} events`,
  );
  if (picked !== null && !refreshDetails(byId("details"), picked, detailsContext())) showDetails();
}

function onDone(r: RunResult): void {
  result = r;
  animation.clear();
  renderResults(byId("results"), r);
  latency.update(r.workloads.map((w) => ({ name: w.name, ...w.latency })));
  byId("result-json").textContent = JSON.stringify(r, null, 2);
  byId<HTMLButtonElement>("result-save").disabled = false;
  showDetails();
  setState("done");
  controls.set("done");
  setStatus(`done: ${r.events.toLocaleString("en")} events, ${r.simulatedSeconds} s simulated`);
  if (lesson !== null && lesson.plan !== true && topo !== null) {
    const t = runTopology()!;
    const asStated =
      r.seed === topo.experiment.seed &&
      t.experiment.durationTicks === topo.experiment.durationTicks &&
      injected.length === 0;
    if (asStated) showChecks(byId("lesson"), checkRun(lesson.golden, r));
  }
}

async function planLesson(l: Lesson): Promise<void> {
  const note = byId("lesson-plan-status");
  const button = byId<HTMLButtonElement>("lesson-plan");
  button.disabled = true;
  note.textContent = " planning at flow level…";
  byId("lesson").dataset.planState = "running";
  try {
    const b = BUILTINS.find((x) => x.file === l.file)!;
    const p = await batch.plan(b.text, b.file);
    files.showPlan(p.plan);
    showChecks(byId("lesson"), checkPlan(l.golden, p.plan));
    note.textContent = ` planned in ${p.wallSeconds.toFixed(1)} s (flow level, unconfirmed): see the plan below.`;
    byId("lesson").dataset.planState = "done";
  } catch (err) {
    note.textContent = ` ${err instanceof Error ? err.message : String(err)}`;
    byId("lesson").dataset.planState = "error";
  } finally {
    button.disabled = false;
  }
}

function slaMarks(): SlaMark[] {
  if (topo === null) return [];
  return topo.sla.flatMap((s) =>
    s.metric === "latency.p99" || s.metric === "latency.mean"
      ? [{ workload: s.workload, metric: s.metric, target: s.target / 1e12 }]
      : [],
  );
}

function detailsContext(): DetailsContext {
  return {
    topo: topo!,
    linkText: (i) => view.linkTip(i),
    portsText: (n) => view.nodePortsText(n),
    book,
    failed,
    canFault: meta !== null && result === null,
    onFault: fault,
    onPick: (p) => view.pick(p),
  };
}

function showDetails(): void {
  if (topo !== null) renderDetails(byId("details"), picked, detailsContext());
}

byId("result-save").addEventListener("click", () => {
  if (result !== null) download("result.json", `${JSON.stringify(result, null, 2)}\n`);
});

const files = initFiles({
  view,
  topo: () => topo,
  meta: () => meta,
  openText,
  setStatus,
});

openText(source.text, source.file);
