/**
 * Classic queueing systems written on the kernel the SimPy way (a source
 * process, one process per customer, a Resource per station) next to their
 * closed forms. They are the kernel's executable specification: the tests,
 * `npm run validate:stats`, `npm run bench` and `iovsim demo` all run them.
 *
 * Times in the model are in microseconds; the kernel clock ticks in
 * picoseconds (1 µs = 1e6 ticks), so rounding a draw costs at most 0.5 ps.
 */
import type { Distribution } from "../sim/distributions.js";
import { deterministic, exponential, lognormalFromMean } from "../sim/distributions.js";
import type { ProcessBody } from "../sim/process.js";
import { Process } from "../sim/process.js";
import { RandomStreams } from "../sim/random.js";
import { Resource } from "../sim/resources/resource.js";
import { Simulation } from "../sim/simulation.js";
import type { BatchMeansInterval } from "../sim/stats/confidence.js";
import { batchMeans } from "../sim/stats/confidence.js";

const TICKS_PER_US = 1e6;

export interface Station {
  servers: number;
  /** Service time in µs. */
  service: Distribution;
}

export interface QueueingCase {
  name: string;
  /** Inter-arrival time in µs (Poisson arrivals: exponential). */
  arrivals: Distribution;
  stations: Station[];
  /** Mean time in system (µs) from the closed form. */
  analyticSojourn: number;
  /** Utilization of each station from the closed form: λ·E[S]/c. */
  analyticUtilization: number[];
  /** Where the closed form comes from. */
  formula: string;
}

/** Erlang C: probability an arrival waits in an M/M/c queue with offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // k = 0
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - a / c); // a^c / c! · 1/(1 − ρ)
  return last / (sum + last);
}

/** The validation cases. λ and μ per µs. */
export function queueingCases(): QueueingCase[] {
  const mm1 = (rho: number): QueueingCase => ({
    name: `M/M/1 rho=${rho}`,
    arrivals: exponential(1 / rho),
    stations: [{ servers: 1, service: exponential(1) }],
    analyticSojourn: 1 / (1 - rho),
    analyticUtilization: [rho],
    formula: "W = 1/(mu - lambda)",
  });
  const rhoD = 0.8;
  const c = 4;
  const lambdaC = 3.2; // ρ = λ/(cμ) = 0.8
  const rhoG = 0.7;
  const cvG = 1.5;
  const lambdaT = 0.6;
  return [
    mm1(0.5),
    mm1(0.9),
    {
      name: `M/D/1 rho=${rhoD}`,
      arrivals: exponential(1 / rhoD),
      stations: [{ servers: 1, service: deterministic(1) }],
      analyticSojourn: 1 + rhoD / (2 * (1 - rhoD)),
      analyticUtilization: [rhoD],
      formula: "Pollaczek-Khinchine: W = 1/mu + rho/(2 mu (1 - rho))",
    },
    {
      name: `M/M/${c} rho=${lambdaC / c}`,
      arrivals: exponential(1 / lambdaC),
      stations: [{ servers: c, service: exponential(1) }],
      analyticSojourn: erlangC(c, lambdaC) / (c - lambdaC) + 1,
      analyticUtilization: [lambdaC / c],
      formula: "Erlang C: W = C(c, a)/(c mu - lambda) + 1/mu",
    },
    {
      name: `M/G/1 lognormal cv=${cvG} rho=${rhoG}`,
      arrivals: exponential(1 / rhoG),
      stations: [{ servers: 1, service: lognormalFromMean(1, cvG) }],
      // E[S²] = (1 + cv²)·E[S]² with E[S] = 1.
      analyticSojourn: 1 + (rhoG * (1 + cvG * cvG)) / (2 * (1 - rhoG)),
      analyticUtilization: [rhoG],
      formula: "Pollaczek-Khinchine: W = E[S] + lambda E[S^2] / (2 (1 - rho))",
    },
    {
      name: `tandem M/M/1 -> M/M/1 lambda=${lambdaT}`,
      arrivals: exponential(1 / lambdaT),
      stations: [
        { servers: 1, service: exponential(1) },
        { servers: 1, service: exponential(1 / 1.5) },
      ],
      analyticSojourn: 1 / (1 - lambdaT) + 1 / (1.5 - lambdaT),
      analyticUtilization: [lambdaT, lambdaT / 1.5],
      formula: "Jackson: W = sum 1/(mu_i - lambda)",
    },
  ];
}

export interface QueueingRun {
  /** Mean time in system (µs) of customers after the warm-up. */
  meanSojourn: number;
  /** Batch-means 95 % CI of the mean time in system. */
  ci: BatchMeansInterval;
  /** Measured utilization per station (after the warm-up). */
  utilization: number[];
  customers: number;
  events: number;
  fingerprint: string;
}

export interface QueueingOptions {
  seed: number;
  replication?: number;
  /** Customers to generate in all. */
  customers: number;
  /** Customers at the start whose times are not recorded (warm-up). */
  warmup: number;
}

/** Runs one case with generator processes and Resources; statistics start after the warm-up customers. */
export function simulateQueue(qc: QueueingCase, options: QueueingOptions): QueueingRun {
  const sim = new Simulation();
  const streams = new RandomStreams(options.seed, options.replication ?? 0);
  const arrivalRng = streams.stream("arrivals");
  const stations = qc.stations.map((s, i) => ({
    res: new Resource(sim, { capacity: s.servers }),
    service: s.service,
    rng: streams.stream(`service.${i}`),
  }));
  const sojourns: number[] = [];
  let warmLeft = options.warmup;

  function* customer(): ProcessBody<void> {
    const arrived = sim.now;
    const recorded = warmLeft === 0;
    for (const st of stations) {
      const req = st.res.request();
      yield req;
      yield Math.round(st.service.sample(st.rng) * TICKS_PER_US);
      st.res.release(req);
    }
    if (recorded) sojourns.push((sim.now - arrived) / TICKS_PER_US);
  }

  function* source(): ProcessBody<void> {
    for (let i = 0; i < options.customers; i++) {
      yield Math.round(qc.arrivals.sample(arrivalRng) * TICKS_PER_US);
      if (warmLeft > 0 && --warmLeft === 0) {
        // End of warm-up: monitors restart now; later arrivals are recorded.
        for (const st of stations) st.res.resetStats();
      }
      new Process(sim, customer(), "customer");
    }
  }

  new Process(sim, source(), "source");
  sim.run();
  const sum = sojourns.reduce((a, b) => a + b, 0);
  return {
    meanSojourn: sum / sojourns.length,
    ci: batchMeans(sojourns, 20, 0.95),
    utilization: stations.map((s) => s.res.utilization()),
    customers: options.customers,
    events: sim.events,
    fingerprint: sim.fingerprint(),
  };
}
