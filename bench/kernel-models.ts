/**
 * The kernel benchmark models, each in two versions with identical work:
 * on iovsim's kernel and on the reference heap. Every runner fires exactly
 * `events` events (or serves `customers` customers) per call so throughput is
 * counted in events, not benchmark iterations.
 */
import { Process, type ProcessBody } from "../sim/process.js";
import { Rng, streamSeed } from "../sim/random.js";
import { Resource } from "../sim/resources/resource.js";
import { Simulation } from "../sim/simulation.js";
import { QuantileSketch } from "../sim/stats/quantile-sketch.js";
import { Tally } from "../sim/stats/tally.js";
import { ReferenceHeap } from "./reference-heap.js";

/** Mean hold time: 1 µs of simulated time, in 1-ps ticks. */
const HOLD_MEAN = 1e6;

function rng(name: string): Rng {
  return new Rng(streamSeed(1, 0, name));
}

/** Exp(mean) in whole ticks; the same expression in every model. */
function expTicks(r: Rng, mean: number): number {
  return Math.round(-Math.log(1 - r.random()) * mean);
}

export interface Runner {
  /** Fires `count` more events (or serves `count` customers); returns what it counted. */
  run(count: number): number;
}

/**
 * Hold model on the callback path: each fired event schedules one at now + Exp(1 µs).
 * Callback models `post` (no handle), as the device models in src/ do for events they never cancel.
 */
export function holdKernel(pending: number): Runner & { sim: Simulation } {
  const sim = new Simulation({ initialCapacity: pending });
  const r = rng("hold");
  let left = 0;
  const hold = sim.handler(() => {
    if (--left === 0) sim.stop();
    sim.post(expTicks(r, HOLD_MEAN), hold);
  }, "hold");
  for (let i = 0; i < pending; i++) sim.schedule(expTicks(r, HOLD_MEAN), hold);
  return {
    sim,
    run(count) {
      left = count;
      return sim.run();
    },
  };
}

/** The same hold model on the reference binary heap, dispatching through a handler table. */
export function holdReference(pending: number): Runner {
  const heap = new ReferenceHeap(pending);
  const r = rng("hold");
  let now = 0;
  const handlers: Array<() => void> = [
    () => {
      heap.push(now + expTicks(r, HOLD_MEAN), 0);
    },
  ];
  for (let i = 0; i < pending; i++) heap.push(expTicks(r, HOLD_MEAN), 0);
  return {
    run(count) {
      for (let i = 0; i < count; i++) {
        heap.pop();
        now = heap.lastTime;
        handlers[heap.lastHandler]!();
      }
      return count;
    },
  };
}

/**
 * M/M/1 (λ = 0.9, μ = 1 per µs) with generator processes and a Resource,
 * SimPy style, statistics on: a Tally and a quantile sketch of the time in
 * system, and the Resource's time-weighted busy and queue monitors.
 * Returns 2 events per customer served (arrival + departure), whatever the
 * kernel fires internally.
 */
export function mm1Processes(): Runner & { sojourn: Tally } {
  const sim = new Simulation();
  const arrivals = rng("arrivals");
  const service = rng("service");
  const server = new Resource(sim);
  const sojourn = new Tally();
  const sketch = new QuantileSketch();
  let served = 0;
  let target = 0;

  function* customer(): ProcessBody<void> {
    const arrived = sim.now;
    const req = server.request();
    yield req;
    yield expTicks(service, 1e6);
    server.release(req);
    const t = sim.now - arrived;
    sojourn.add(t);
    sketch.add(t);
    if (++served === target) sim.stop();
  }
  function* source(): ProcessBody<void> {
    for (;;) {
      yield expTicks(arrivals, 1e6 / 0.9);
      new Process(sim, customer(), "customer");
    }
  }
  new Process(sim, source(), "source");
  return {
    sojourn,
    run(count) {
      const before = served;
      target = served + count;
      sim.run();
      return 2 * (served - before);
    },
  };
}

/** M/M/1 on the callback path (a device model's style, `post`): arrival and departure handlers. */
export function mm1Callbacks(): Runner {
  const sim = new Simulation();
  const arrivals = rng("arrivals");
  const service = rng("service");
  const sojourn = new Tally();
  const arrivedAt: number[] = []; // FIFO of arrival times
  let head = 0;
  let busy = false;
  let served = 0;
  let target = 0;
  const depart = sim.handler(() => {
    sojourn.add(sim.now - arrivedAt[head++]!);
    if (head === arrivedAt.length) {
      arrivedAt.length = 0;
      head = 0;
    }
    if (arrivedAt.length > head) sim.post(expTicks(service, 1e6), depart);
    else busy = false;
    if (++served === target) sim.stop();
  }, "depart");
  const arrive = sim.handler(() => {
    arrivedAt.push(sim.now);
    if (!busy) {
      busy = true;
      sim.post(expTicks(service, 1e6), depart);
    }
    sim.post(expTicks(arrivals, 1e6 / 0.9), arrive);
  }, "arrive");
  sim.schedule(expTicks(arrivals, 1e6 / 0.9), arrive);
  return {
    run(count) {
      const before = served;
      target = served + count;
      sim.run();
      return 2 * (served - before);
    },
  };
}

/** The same callback M/M/1 on the reference heap. */
export function mm1Reference(): Runner {
  const heap = new ReferenceHeap(1024);
  const arrivals = rng("arrivals");
  const service = rng("service");
  const sojourn = new Tally();
  const arrivedAt: number[] = [];
  let head = 0;
  let busy = false;
  let now = 0;
  let served = 0;
  const handlers: Array<() => void> = [
    () => {
      arrivedAt.push(now);
      if (!busy) {
        busy = true;
        heap.push(now + expTicks(service, 1e6), 1);
      }
      heap.push(now + expTicks(arrivals, 1e6 / 0.9), 0);
    },
    () => {
      sojourn.add(now - arrivedAt[head++]!);
      if (head === arrivedAt.length) {
        arrivedAt.length = 0;
        head = 0;
      }
      if (arrivedAt.length > head) heap.push(now + expTicks(service, 1e6), 1);
      else busy = false;
      served++;
    },
  ];
  heap.push(expTicks(arrivals, 1e6 / 0.9), 0);
  return {
    run(count) {
      const target = served + count;
      const before = served;
      while (served < target) {
        heap.pop();
        now = heap.lastTime;
        handlers[heap.lastHandler]!();
      }
      return 2 * (served - before);
    },
  };
}
