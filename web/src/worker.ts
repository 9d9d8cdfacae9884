/**
 * The simulation worker: one `Replication` (the same sim/ and src/ code as the CLI),
 * run in slices of about SLICE_MS of wall time. After each slice it yields through a
 * MessageChannel (not setTimeout, which browsers clamp to 4 ms when nested) so that
 * pause, speed and fault messages are handled between slices; it posts a snapshot
 * SNAPSHOTS_PER_SECOND times per second. It stops at every bin boundary of simulated
 * time too (the tracer closes the bin there and reads the queues). Slicing only moves
 * stopping points (`advanceTo`), so the final result equals `iovsim run --json` for the
 * same file and seed, however often the run was paused.
 */
import { RandomStreams } from "../../sim/random.js";
import { aggregate } from "../../src/run/aggregate.js";
import { faultPorts } from "../../src/run/faults.js";
import { allFaults } from "../../src/run/random-failures.js";
import { Replication, type ReplicationOptions } from "../../src/run/replication.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import {
  binTicksFor,
  type FromWorker,
  type LoadOptions,
  SLICE_MS,
  SNAPSHOTS_PER_SECOND,
  type Speed,
  type ToWorker,
} from "./protocol.js";
import { instanceMeta, portMeta, Snapshotter } from "./snapshot.js";

declare const self: DedicatedWorkerGlobalScope;

const TICKS_PER_SECOND = 1e12;
/** Aim for advanceTo calls of about this long, so the wall-time check stays cheap but frequent. */
const CALL_MS = 4;

let rep: Replication | null = null;
let topo: ResolvedTopology | null = null;
let seed = 1;
let snap: Snapshotter | null = null;
let running = false;
let speed: Speed = null;
/** Simulated ticks per advanceTo call, adapted to CALL_MS. */
let chunk = 1e6;
let lastSnapshot = 0;
/** Wall time spent inside advanceTo, and since load. */
let busyMs = 0;
let startedAt = 0;
/** Speed limit anchors: (wall ms, simulated ticks) when running or the speed last changed. */
let anchorWall = 0;
let anchorSim = 0;
let scheduled = false;

const post = (m: FromWorker): void => self.postMessage(m);

const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  slice();
};
function schedule(delayMs = 0): void {
  if (scheduled) return;
  scheduled = true;
  if (delayMs > 0)
    setTimeout(() => {
      scheduled = false;
      slice();
    }, delayMs);
  else channel.port2.postMessage(0);
}

function eventsPerSecond(): number {
  return rep === null || busyMs === 0 ? 0 : rep.sim.events / (busyMs / 1000);
}

function snapshot(): void {
  if (rep === null || snap === null) return;
  lastSnapshot = performance.now();
  post(snap.take(running, eventsPerSecond()));
}

/** Advances to `target` ticks (capped at the end), stopping at every bin boundary on the way; timed. */
function advance(target: number): void {
  const r = rep!;
  const tracer = snap!.tracer;
  const t0 = performance.now();
  const end = Math.min(target, r.endTicks);
  while (r.sim.now < end) {
    r.advanceTo(Math.min(end, tracer.nextBoundary(r.sim.now)));
    tracer.closeUpTo(r.sim.now);
  }
  const ms = performance.now() - t0;
  busyMs += ms;
  // Keep each call near CALL_MS: grow the chunk when calls are short, shrink when long.
  if (ms < CALL_MS / 2) chunk = Math.min(chunk * 2, 1e10);
  else if (ms > CALL_MS * 2) chunk = Math.max(Math.floor(chunk / 2), 1e3);
}

function slice(): void {
  const r = rep;
  if (r === null || !running) return;
  const start = performance.now();
  let limited = false;
  while (!r.done && performance.now() - start < SLICE_MS) {
    let target = r.sim.now + chunk;
    if (speed !== null) {
      const allowed = anchorSim + ((performance.now() - anchorWall) / 1000) * speed * TICKS_PER_SECOND;
      if (allowed <= r.sim.now) {
        limited = true;
        break;
      }
      target = Math.min(target, Math.floor(allowed));
    }
    advance(Math.max(target, r.sim.now + 1));
  }
  if (r.done) {
    finish();
    return;
  }
  if (performance.now() - lastSnapshot >= 1000 / SNAPSHOTS_PER_SECOND) snapshot();
  schedule(limited ? 5 : 0);
}

function finish(): void {
  const r = rep!;
  running = false;
  snapshot();
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const result = aggregate(topo!, [r.result()], wallSeconds, seed);
  post({ type: "done", result, wallSeconds, busySeconds: busyMs / 1000 });
}

function anchor(): void {
  anchorWall = performance.now();
  anchorSim = rep?.sim.now ?? 0;
}

function handle(msg: ToWorker): void {
  switch (msg.type) {
    case "load": {
      running = false;
      topo = msg.topo;
      seed = msg.seed;
      rep = new Replication(topo, 0, seed, replicationOptions(topo, seed, msg.options ?? {}));
      snap = new Snapshotter(rep, binTicksFor(rep.endTicks));
      busyMs = 0;
      chunk = 1e6;
      startedAt = performance.now();
      post({
        type: "meta",
        topology: topo.name,
        seed,
        endTicks: rep.endTicks,
        warmupTicks: topo.experiment.warmupTicks,
        binTicks: snap.tracer.binTicks,
        ports: portMeta(rep),
        workloads: rep.stats.map((s) => ({ name: s.name, unit: s.unit })),
        instances: instanceMeta(topo),
      });
      snapshot();
      return;
    }
    case "run":
      if (rep === null || rep.done) return;
      running = true;
      anchor();
      post({ type: "state", running: true });
      schedule();
      return;
    case "pause":
      running = false;
      snapshot();
      post({ type: "state", running: false });
      return;
    case "step":
      if (rep === null || rep.done) return;
      running = false;
      advance(rep.sim.now + msg.ticks);
      if (rep.done) finish();
      else {
        snapshot();
        post({ type: "state", running: false });
      }
      return;
    case "speed":
      speed = msg.speed;
      anchor();
      return;
    case "fault": {
      if (rep === null || rep.done || topo === null) return;
      const fault = rep.inject({ action: msg.action, target: msg.target });
      const ports = faultPorts(topo, rep.net.fabric, msg.target).map((p) => p.id);
      post({ type: "fault", fault, ports });
      if (!running) {
        // The fault acts at the next tick: take that tick now so the paused picture shows it at once.
        advance(fault.atTicks);
        if (rep.done) finish();
        else snapshot();
      }
      return;
    }
  }
}

/**
 * The failover time, and the run's own faults (timed and drawn, as the replication
 * would make them) plus the extra ones: a replay of faults injected in an earlier run.
 */
function replicationOptions(t: ResolvedTopology, s: number, o: LoadOptions): ReplicationOptions {
  const extra = o.extraFaults ?? [];
  const end = t.experiment.warmupTicks + t.experiment.durationTicks;
  const own = extra.length === 0 ? [] : allFaults(t, new RandomStreams(s, 0), end);
  return {
    ...(o.failoverTicks === undefined ? {} : { failoverTicks: o.failoverTicks }),
    // Stable sort by time: the run's own first at equal times.
    ...(extra.length === 0 ? {} : { faults: [...own, ...extra].sort((a, b) => a.atTicks - b.atTicks) }),
  };
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  try {
    handle(e.data);
  } catch (err) {
    running = false;
    post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
