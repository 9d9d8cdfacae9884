import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Replication } from "../../src/run/replication.js";
import { parseTopology } from "../../src/topology/load.js";
import { RouteBook } from "../../web/src/paths.js";
import { binTicksFor, type RunMeta } from "../../web/src/protocol.js";
import { instanceMeta, portMeta, Snapshotter } from "../../web/src/snapshot.js";

const r = parseTopology(
  readFileSync(new URL("../../topologies/ucs-rack.yaml", import.meta.url), "utf8"),
  "ucs-rack.yaml",
);
if (!r.ok) throw new Error("ucs-rack.yaml does not load");
const topo = r.topology;
const rep = new Replication(topo, 0);
const snap = new Snapshotter(rep, binTicksFor(rep.endTicks));
rep.advanceTo(3e9);
const meta: RunMeta = {
  type: "meta",
  topology: topo.name,
  seed: 1,
  endTicks: rep.endTicks,
  warmupTicks: topo.experiment.warmupTicks,
  binTicks: snap.tracer.binTicks,
  ports: portMeta(rep),
  workloads: rep.stats.map((s) => ({ name: s.name, unit: s.unit })),
  instances: instanceMeta(topo),
};
const book = new RouteBook(topo, meta);
book.add(snap.take(false, 0).routes);
const linkName = (i: number): string => `${topo.links[i]!.a.node}:${topo.links[i]!.a.port}`;

describe("the paths a host uses", () => {
  it("are its own links plus the routes its traffic took: host29's VM traffic through its pinned IOM uplink to fi-a and the LAN", () => {
    const h = book.highlight("host29");
    const links = [...h.links].map(linkName);
    expect(links).toContain("host29:vic0/1");
    expect(links).toContain("host29:vic0/2");
    // Static pinning: host port 5 of iom4a uses uplink (5 - 1) mod 2 + 1 = 1 (2 IOM uplinks).
    expect(links).toContain("iom4a:fabric1");
    expect(links.some((l) => l.startsWith("fi-a:eth1/"))).toBe(true);
    expect([...h.nodes]).toEqual(expect.arrayContaining(["host29", "iom4a", "fi-a", "lan"]));
    expect(links.filter((l) => l.startsWith("iom4a:fabric"))).toEqual(["iom4a:fabric1"]);
  });

  it("of one interface are only that interface's: vhba2 (of the team vhba1 + vhba2) rides fabric B to the array", () => {
    const h = book.highlight("host25", "vhba2");
    const nodes = [...h.nodes];
    expect(nodes).toContain("fi-b");
    expect(nodes).toContain("array1");
    expect(nodes).not.toContain("fi-a");
    expect([...h.interfaces]).toEqual(["host25|vhba2"]);
  });

  it("crossing a link name the hosts that used it", () => {
    const i = topo.links.findIndex((l) => l.a.node === "iom4a" && l.a.port === "fabric1");
    expect([...book.hostsOn(i)].sort()).toEqual(expect.arrayContaining(["host25", "host29"]));
    expect(book.linkHighlight(i).nodes.has("host29")).toBe(true);
  });

  it("read as text hop by hop", () => {
    const lines = book.routeLines("host39");
    // The backup's streams are hashed over its team, vnic1 (fabric A) and vnic2 (fabric B): each line names its member.
    expect(
      lines.some(
        (l) => ["vnic1", "vnic2"].includes(l.via) && l.workloads.includes("backup") && l.text.endsWith("→ lan"),
      ),
    ).toBe(true);
  });
});
