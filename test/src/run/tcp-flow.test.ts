import { describe, expect, it } from "vitest";
import { Simulation } from "../../../sim/simulation.js";
import { Fabric, Node, type Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { WorkloadStats } from "../../../src/metrics/workload-stats.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { TcpFlow } from "../../../src/run/tcp-flow.js";
import { DEFAULT_TCP, RTO_MIN_TICKS, type TcpHost } from "../../../src/run/tcp-params.js";
import { parseTopology } from "../../../src/topology/load.js";
import { IN_FLIGHT, Message } from "../../../src/workload/message.js";

const US = 1_000_000;
const MS = 1_000_000_000;

/**
 * One TCP connection over a 10GbE link with 10 µs of propagation each way; `lose` says which
 * transmissions (by sequence number and transmission count) the link drops.
 */
function connection(lose: (seq: number, attempt: number) => boolean, hostLimit = Number.POSITIVE_INFINITY) {
  const sim = new Simulation();
  const fabric = new Fabric(sim);
  fabric.addNode(new Node("a"));
  fabric.addNode(new Node("b"));
  const [ab, ba] = fabric.connect("a:p", "b:p", { protocol: linkProtocol("eth-10g"), propagationTicks: 10 * US });
  const route = fabric.route([ab]);
  const completed: Array<{ msg: Message; at: number }> = [];
  let flow: TcpFlow;
  const host: TcpHost = {
    fabric,
    hAck: sim.handler((f: TcpFlow) => f.ackArrived()),
    hRto: sim.handler((f: TcpFlow) => f.timeout()),
    complete: (msg) => {
      msg.state = 1;
      completed.push({ msg, at: sim.now });
    },
  };
  const attempts = new Map<number, number>();
  const inject = fabric.inject.bind(fabric);
  fabric.inject = (t: Transfer) => {
    const n = (attempts.get(t.seq) ?? 0) + 1;
    attempts.set(t.seq, n);
    if (lose(t.seq, n)) {
      fabric.injected++;
      fabric.dropped++;
      flow.dropped(t);
      return;
    }
    inject(t);
  };
  fabric.onDeliver = (t) => flow.arrived(t);
  fabric.onLeave = (t) => flow.leftHost(t);
  const ackDelay = 10 * US + ba.protocol.serializationTicks(ba.wireBytesOf(52));
  flow = new TcpFlow(host, route, 1500, ackDelay, DEFAULT_TCP, null, hostLimit);
  const stats = new WorkloadStats("w", "message");
  let id = 0;
  const send = (bytes: number) => {
    const msg = new Message(id++, stats, 0, bytes, sim.now, false, 0);
    flow.send(msg, bytes);
    return msg;
  };
  return { sim, fabric, flow, send, completed, attempts };
}

describe("a TCP connection", () => {
  it("recovers a lost segment with a fast retransmit, halving its window once, without a timeout", () => {
    const c = connection((seq, attempt) => seq === 20 && attempt === 1);
    c.send(150_000); // 100 segments
    c.sim.run({ until: 5 * MS });
    expect(c.completed).toHaveLength(1);
    expect(c.flow.counters.fastRetransmits).toBe(1);
    expect(c.flow.counters.timeouts).toBe(0);
    expect(c.flow.counters.retransmitted).toBe(1);
    expect(c.flow.ssthresh).toBeLessThan(Number.POSITIVE_INFINITY);
    // 100 segments at 10 Gb/s with a 20 µs RTT take well under a millisecond even with the loss.
    expect(c.completed[0]!.at).toBeLessThan(1 * MS);
  });

  it("finds lost tail segments with the tail loss probe, two RTTs later, not the 200 ms RTO", () => {
    const c = connection((seq, attempt) => seq >= 7 && attempt === 1);
    c.send(15_000); // 10 segments; the last three are lost
    c.sim.run({ until: 1000 * MS });
    expect(c.completed).toHaveLength(1);
    expect(c.flow.counters.timeouts).toBe(0);
    expect(c.completed[0]!.at).toBeLessThan(1 * MS);
  });

  it("waits for the retransmission timeout (Linux's 200 ms minimum) for a lone lost last segment", () => {
    // With one segment in flight the probe waits for a delayed ACK too (RFC 8985 §7.2), so
    // the RTO fires first.
    const c = connection((seq, attempt) => seq === 9 && attempt === 1);
    c.send(15_000);
    c.sim.run({ until: 2000 * MS });
    expect(c.completed).toHaveLength(1);
    expect(c.flow.counters.timeouts).toBe(1);
    expect(c.completed[0]!.at).toBeGreaterThan(RTO_MIN_TICKS);
    expect(DEFAULT_TCP.rtoMinTicks).toBe(200 * MS);
  });

  it("delivers in order: a message behind a lost segment completes only after the segment is resent", () => {
    const c = connection((seq, attempt) => seq === 0 && attempt === 1);
    const first = c.send(1500);
    const second = c.send(1500);
    const third = c.send(1500);
    const fourth = c.send(1500);
    c.sim.run({ until: 1000 * MS });
    expect(c.completed.map((x) => x.msg)).toEqual([first, second, third, fourth]);
    // The second arrived long before the first was resent, but waited for it.
    expect(c.completed[1]!.at).toBe(c.completed[0]!.at);
    expect(first.state).not.toBe(IN_FLIGHT);
  });

  it("keeps at most the TSQ limit of its own segments waiting in its host", () => {
    const limit = 30_000;
    const c = connection(() => false, limit);
    c.send(10_000_000);
    let most = 0;
    const h = c.sim.handler(() => {
      most = Math.max(most, c.fabric.port("a:p").scheduler.bytes);
      c.sim.post(100_000, h, null);
    });
    c.sim.post(100_000, h, null);
    c.sim.run({ until: 2 * MS });
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual((limit / 1500) * 1538);
    // The window stops growing once TSQ, not the window, holds the sender back.
    expect(c.flow.cwnd).toBeLessThan(100);
  });
});

// A LAN message workload over TCP shares a 10GbE uplink with a bulk flow at a drop-tail
// switch (256 KB per port): the messages' segments are dropped now and then and sent again.
const LAN_TCP = `
name: lan-tcp
design: traditional
experiment: { duration: 20ms, warmup: 2ms, seed: 5 }
topology:
  nodes:
    host[1..2]:
      kind: server
      vms: 4
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 }
    tor: { kind: ethernet-switch, ports: { eth: 2, up: 1 }, buffer: 1MB }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"], type: eth-10g }
    - { endpoints: ["tor:up1", "lan:p1"], type: eth-10g }
workloads:
  - { name: web, on: "host1/vm[1..4]", via: nic0/1, to: lan, pattern: poisson, rate: 800Mbps,
      size: { lognormal: { mean: 16KiB, cv: 1.5 } }, transport: tcp }
  - { name: backup, on: host2, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }
sla:
  - { workload: web, metric: lossRatio, target: 0.001 }
`;

describe("a LAN message workload over TCP", () => {
  const loaded = parseTopology(LAN_TCP, "lan-tcp.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const rep = new Replication(loaded.topology, 0);
  const one = rep.result();
  const result = aggregate(loaded.topology, [one], 0);
  const web = result.workloads.find((w) => w.name === "web")!;

  it("sees congestion as retransmissions and delay, not as lost messages", () => {
    expect(web.transport).toBe("tcp");
    expect(web.tcp!.dropped).toBeGreaterThan(0);
    expect(web.tcp!.retransmitted).toBeGreaterThan(0);
    expect(web.dropped).toBe(0);
  });

  it("conserves its segments: every transmission arrived, was dropped, or is still travelling", () => {
    const t = web.tcp!;
    expect(t.segmentsSent + t.retransmitted).toBe(t.arrived + t.dropped + t.inFlight);
    // Every byte of new data sent has arrived or is still owed (waiting to be resent or on its way).
    const owed = [0, 1, 2, 3].flatMap((i) => rep.transport.flowsOf(i)).reduce((a, f) => a + f.unacknowledged, 0);
    expect(t.segmentsSent).toBeGreaterThanOrEqual(t.arrived - t.duplicates);
    expect(t.segmentsSent - (t.arrived - t.duplicates)).toBeLessThanOrEqual(owed);
  });

  it("conserves its messages: sent = delivered + dropped + in flight", () => {
    expect(web.sent).toBe(web.delivered + web.dropped + web.inFlight);
    expect(web.delivered).toBeGreaterThan(100);
  });

  it("reports its loss ratio as the share of its transmissions the network dropped", () => {
    const row = result.sla.find((s) => s.workload === "web")!;
    expect(row.actual).toBeCloseTo(web.tcp!.dropped / (web.tcp!.segmentsSent + web.tcp!.retransmitted), 12);
  });
});
