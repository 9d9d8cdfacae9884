/** Runs design fixtures (test/fixtures/designs) through one replication and reads rates off them. */
import { readFileSync } from "node:fs";
import { linkProtocol } from "../../../src/link/catalog.js";
import { Replication, type ReplicationResult } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

export const ETH10 = linkProtocol("eth-10g");
/** 10GbE goodput with 1500-B payloads: 10 Gb/s · 1500 / (1500 + 38) = 9.753 Gb/s. */
export const GOODPUT_10G_1500 = ETH10.goodputBps(1500);
/** Payload share of the wire bytes of a full 1500-B frame at 10GbE: 1500 / 1538. */
export const PAYLOAD_PER_WIRE = 1500 / ETH10.wireBytes(1500);

/** A design fixture's resolved topology; `edit` may rewrite the text first. */
export function design(file: string, edit: (text: string) => string = (t) => t): ResolvedTopology {
  const text = edit(readFileSync(new URL(`../../fixtures/designs/${file}`, import.meta.url), "utf8"));
  const loaded = parseTopology(text, file);
  if (!loaded.ok)
    throw new Error(loaded.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`).join("\n"));
  return loaded.topology;
}

/** The same topology running only the workloads `keep` accepts. */
export function only(topo: ResolvedTopology, keep: (name: string) => boolean): ResolvedTopology {
  return { ...topo, workloads: topo.workloads.filter((w) => keep(w.name)) };
}

export interface Run {
  readonly rep: Replication;
  readonly result: ReplicationResult;
  /** Delivered payload bits per second in the window, per workload name. */
  readonly goodput: ReadonlyMap<string, number>;
  /** Wire bytes a port's scheduler queue sent in the window, as bits per second. */
  queueBps(port: string, queue: number): number;
  /** A port's transmitter busy fraction over the window. */
  utilization(port: string): number;
}

export function run(topo: ResolvedTopology, replication = 0): Run {
  const rep = new Replication(topo, replication);
  const result = rep.result();
  const window = result.windowSeconds;
  const goodput = new Map(result.workloads.map((w) => [w.name, (w.deliveredBytes * 8) / window]));
  return {
    rep,
    result,
    goodput,
    queueBps: (port, queue) => (rep.net.fabric.port(port).scheduler.queueTxBytes(queue) * 8) / window,
    utilization: (port) => rep.net.fabric.port(port).stats().utilization ?? 0,
  };
}

/** |measured − expected| / expected. */
export function relErr(measured: number, expected: number): number {
  return Math.abs(measured - expected) / expected;
}

/** `f`'s value, computed on first use (so a run happens inside the first test that needs it). */
export function once<T>(f: () => T): () => T {
  let value: { v: T } | null = null;
  return () => {
    value ??= { v: f() };
    return value.v;
  };
}
