import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/metrics/result.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/**
 * test/fixtures/fabric/converged-link.yaml: a backup (TCP) behind one access switch and a 6 Gb/s
 * migration stream behind another send to the LAN through one 10GbE port; FCoE storage I/O and
 * latency-sensitive RPCs share the first access switch's 10G converged uplink with the backup.
 * Every link is lossless (FCoE needs it); the RPCs go east-west to host5, across the converged
 * uplink only. With 802.1Qaz/Qbb classes the backup is in a drop class,
 * FCoE in a no-drop class (ETS 50/50) and the RPCs in a strict-priority class; without
 * classes the same links run link-level PFC.
 */
const FILE = new URL("../../fixtures/fabric/converged-link.yaml", import.meta.url);
const TEXT = readFileSync(FILE, "utf8");
const WITHOUT_CLASSES = TEXT.replace(/qos:\n( {2}.*\n)+/, "");
const WITHOUT_BACKUP = (text: string) => {
  const out = text.replace(/ {2}- \{ name: backup.*\n/, "");
  if (out === text) throw new Error("the fixture has no backup workload line");
  return out;
};

function run(text: string): RunResult {
  const loaded = parseTopology(text, "converged-link.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return aggregate(loaded.topology, [new Replication(loaded.topology, 0).result()], 0);
}
const p99 = (r: RunResult, name: string) => r.workloads.find((w) => w.name === name)!.latency.p99!;
const link = (r: RunResult, id: string) => r.links.find((l) => l.id === id)!;
const windowSeconds = (r: RunResult) => r.window.end - r.window.start;

describe("a converged 10G link with DCB classes", () => {
  const loaded = run(TEXT);
  const unloaded = run(WITHOUT_BACKUP(TEXT));

  it("never pauses the FC (no-drop) class while the backup fills the port behind it: the backup's class drops instead", () => {
    for (const l of loaded.links) {
      for (const c of l.classes ?? []) if (c.name === "fcoe") expect(c.pausedSeconds).toBe(0);
    }
    expect(link(loaded, "sw1:up1").pausedSeconds).toBe(0);
    // The backup and the migration fill the 10G LAN port behind the converged uplink; the
    // backup takes what is left (measured 40 % of the converged uplink).
    expect(link(loaded, "sw2:lan1").utilization).toBeGreaterThan(0.95);
    expect(link(loaded, "sw1:up1").classes!.find((c) => c.name === "lan")!.utilization).toBeGreaterThan(0.3);
    // The backup's TCP meets drops (its class is drop-tail) and sends the segments again.
    const backup = loaded.workloads.find((w) => w.name === "backup")!;
    expect(backup.tcp!.dropped).toBeGreaterThan(0);
    expect(backup.tcp!.retransmitted).toBeGreaterThan(0);
  });

  it("pauses no drop class anywhere (PFC acts on no-drop priorities only)", () => {
    for (const l of loaded.links) for (const c of l.classes ?? []) if (!c.noDrop) expect(c.pausedSeconds).toBe(0);
  });

  it("keeps the latency class's p99 within 10 % of its unloaded value", () => {
    // Strict priority: at most the backup frame in transmission ahead of an RPC frame at the
    // one hop they share (1.23 µs at 10 Gb/s) against a 16 KiB RPC's ~29 µs p99. Measured:
    // RPC 28.6 → 29.8 µs (+4 %), storage 350.2 µs both ways.
    expect(p99(loaded, "rpc") / p99(unloaded, "rpc")).toBeLessThan(1.1);
    expect(p99(loaded, "storage") / p99(unloaded, "storage")).toBeLessThan(1.1);
  });
});

describe("the same fabric with link-level PFC only (no classes)", () => {
  const loaded = run(WITHOUT_CLASSES);
  const unloaded = run(WITHOUT_BACKUP(WITHOUT_CLASSES));

  it("pauses the converged uplink, FCoE and RPCs included, for a large part of the window", () => {
    // Measured: 14.6 ms of the 38 ms window.
    expect(link(loaded, "sw1:up1").pausedSeconds / windowSeconds(loaded)).toBeGreaterThan(0.3);
  });

  it("lets the backup push the RPCs' p99 far above unloaded (measured 241 vs 29.5 µs; storage 531 vs 350 µs)", () => {
    expect(p99(loaded, "rpc") / p99(unloaded, "rpc")).toBeGreaterThan(5);
    expect(p99(loaded, "storage") / p99(unloaded, "storage")).toBeGreaterThan(1.3);
  });
});
