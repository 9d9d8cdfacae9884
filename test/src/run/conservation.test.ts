import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../sim/random.js";
import { Replication } from "../../../src/run/replication.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

// Every topology fixture, and every reference rack (topologies/*-rack.yaml) that exists when the tests run.
const FIXTURES = new URL("../../fixtures/topology/", import.meta.url);
const RACKS = new URL("../../../topologies/", import.meta.url);
const files = [
  ...readdirSync(FIXTURES)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => new URL(f, FIXTURES).pathname),
  ...(existsSync(RACKS) ? readdirSync(RACKS) : [])
    .filter((f) => f.endsWith("-rack.yaml"))
    .sort()
    .map((f) => new URL(f, RACKS).pathname),
];
const short = (path: string) => path.slice(path.lastIndexOf("/", path.lastIndexOf("/") - 1) + 1);

async function load(path: string): Promise<ResolvedTopology> {
  const r = await loadTopologyFile(path);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`).join("\n"));
  return r.topology;
}

/** Per workload: [name, sent, delivered + dropped + in flight walked in the fabric and arrays] mid-run. */
function balanceNow(rep: Replication): Array<[string, number, number]> {
  const inFlight = rep.inFlightByWorkload();
  return rep.stats.map((s) => [s.name, s.sent, s.delivered + s.dropped + (inFlight.get(s) ?? 0)]);
}

describe.each(files.map((f) => [short(f), f]))("%s", (_name, path) => {
  it.each([0, 1])(
    "keeps sent = delivered + dropped + in flight for every workload, at 3 random stops and at the end (replication %i)",
    async (replication) => {
      // Conservation: every message created is delivered, dropped, or found in a queue, on a link or in an array
      // (walked, not a difference). Exact: no tolerance.
      const topo = await load(path);
      const rep = new Replication(topo, replication);
      const rng = new RandomStreams(20240601, replication).stream(`stops:${topo.name}`);
      const stops = [rng.random(), rng.random(), rng.random()]
        .map((u) => Math.floor(u * rep.endTicks))
        .sort((a, b) => a - b);
      let checked = 0;
      for (const t of stops) {
        rep.advanceTo(t);
        for (const [name, sent, accounted] of balanceNow(rep)) {
          expect(accounted, `${name} at ${t} ps`).toBe(sent);
          checked += sent;
        }
      }
      const result = rep.result();
      for (const w of result.workloads) {
        expect(w.delivered + w.dropped + w.inFlight, w.name).toBe(w.sent);
      }
      expect(result.workloads.reduce((a, w) => a + w.sent, 0)).toBeGreaterThan(0);
      expect(checked).toBeGreaterThan(0);
    },
  );
});
