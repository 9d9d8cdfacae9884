import { describe, expect, it } from "vitest";
import { exponential } from "../../../sim/distributions.js";
import { RandomStreams } from "../../../sim/random.js";
import { Tally } from "../../../sim/stats/tally.js";
import { Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { endpoints, newFabric } from "./helpers.js";

// A single 10GbE link fed by Poisson arrivals of exponentially sized transfers is an M/M/1
// queue whose service time is the serialization of the wire bytes. The payload mean is
// large (20 kB, carried as 1500-byte frames) so that the framing overhead scales the
// service time (×≈1.025) instead of shifting it: the service time then stays exponential
// to within ~0.1 %, and μ = 1 / (mean wire bytes × 0.8 ns).
const MEAN_PAYLOAD = 20_000;
const eth10 = linkProtocol("eth-10g");

function run(rho: number, transfers: number, seed: number) {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["src", "dst"]);
  const [port] = fabric.connect("src:eth0", "dst:eth0", { protocol: eth10 });
  const route = fabric.route([port]);

  // Exact mean wire bytes of ⌈Exp(20000)⌉ payloads: Σ_k P(⌈X⌉ = k) · wire(k).
  let meanWire = 0;
  for (let k = 1; k < 40 * MEAN_PAYLOAD; k++) {
    const p = Math.exp(-(k - 1) / MEAN_PAYLOAD) - Math.exp(-k / MEAN_PAYLOAD);
    meanWire += p * port.wireBytesOf(k);
  }
  const meanService = eth10.serializationTicks(1) * meanWire; // ticks; 800 ps per byte
  const mu = 1 / meanService;
  const lambda = rho * mu;

  const streams = new RandomStreams(seed, 0);
  const arrivals = streams.stream("arrivals");
  const sizes = streams.stream("sizes");
  const gap = exponential(1 / lambda);
  const size = exponential(MEAN_PAYLOAD);
  const delay = new Tally();
  const warmup = Math.floor(transfers / 20);
  let sent = 0;
  let seen = 0;
  fabric.onDeliver = (t) => {
    if (seen++ === warmup) fabric.resetStats();
    if (seen > warmup) delay.add(sim.now - (t.owner as number));
  };
  const arrive = sim.handler(() => {
    fabric.inject(new Transfer(sim.now, Math.ceil(size.sample(sizes)), route));
    if (++sent < transfers) sim.schedule(Math.round(gap.sample(arrivals)), arrive);
  }, "arrival");
  sim.schedule(0, arrive);
  sim.run();
  return { meanDelay: delay.mean, expected: 1 / (mu - lambda), stats: port.stats(), dropped: fabric.dropped };
}

describe("a single 10GbE link with Poisson arrivals of exponential sizes", () => {
  for (const [rho, n] of [
    [0.5, 200_000],
    [0.8, 500_000],
  ] as const) {
    it(`behaves as M/M/1 at ρ = ${rho}: mean delay within 3 % of 1/(μ − λ), utilization ρ`, () => {
      const r = run(rho, n, 7);
      expect(r.dropped).toBe(0);
      expect(Math.abs(r.meanDelay - r.expected) / r.expected).toBeLessThan(0.03);
      expect(r.stats.utilization).toBeCloseTo(rho, 2);
      expect(r.stats.pausedSeconds).toBe(0);
    });
  }
});
