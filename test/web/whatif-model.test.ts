import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTopology } from "../../src/topology/load.js";
import { LESSONS } from "../../web/src/lessons/lessons.js";
import {
  applyYamlKnobs,
  failoverKnob,
  failoverTicks,
  paramKnobs,
  paramOverrides,
  range,
} from "../../web/src/whatif-model.js";

const read = (f: string): string => readFileSync(new URL(`../../topologies/${f}`, import.meta.url), "utf8");

describe("what-if knobs", () => {
  it("leave the text alone when nothing changed", () => {
    const l = LESSONS.find((x) => x.id === "sr-iov")!;
    const text = read(l.file);
    expect(applyYamlKnobs(text, l.knobs, { "vf-limit": "2Gbps" })).toBe(text);
  });

  it("edit the topology file, keeping it valid: one uplink per IOM", () => {
    const l = LESSONS.find((x) => x.id === "vnic-vhba")!;
    const text = applyYamlKnobs(read(l.file), l.knobs, { "iom-uplinks": "1" });
    const r = parseTopology(text, "x.yaml");
    if (!r.ok) throw new Error("does not load");
    const iom = r.topology.nodes.find((n) => n.name === "iom-a")!;
    expect(iom.ports.filter((p) => p.group === "fabric").map((p) => p.name)).toEqual(["fabric1"]);
    expect(r.topology.links.filter((l2) => l2.a.node === "iom-a" && l2.a.port.startsWith("fabric"))).toHaveLength(1);
  });

  it("split a shared adapter's hosts: 2 per Ethernet adapter", () => {
    const l = LESSONS.find((x) => x.id === "blast-radius")!;
    const r = parseTopology(applyYamlKnobs(read(l.file), l.knobs, { "hosts-per-adapter": "2" }), "x.yaml");
    if (!r.ok) throw new Error("does not load");
    const hosts = (n: string) => (r.topology.nodes.find((x) => x.name === n) as { hosts: readonly string[] }).hosts;
    expect(hosts("sa-eth1")).toEqual(["server1", "server2"]);
    expect(hosts("sa-eth2")).toEqual(["server3", "server4"]);
  });

  it("read failover times: the defaults per mechanism, off, or a time in ticks", () => {
    expect(failoverTicks("design")).toBeUndefined();
    expect(failoverTicks("off")).toBeNull();
    expect(failoverTicks("1ms")).toBe(1e9);
    expect(failoverKnob().choices[0]!.label).toContain("multipath 5 s, teaming 100 ms");
  });

  it("offer a design's parameters at the study's values and pass only the changed ones on", () => {
    const knobs = paramKnobs("ucs", { iomUplinks: 4 });
    const k = knobs.find((x) => x.id === "param-iomUplinks")!;
    expect(k.initial).toBe("4");
    expect(k.choices.map((c) => c.value)).toEqual(["1", "2", "4", "8"]);
    expect(paramOverrides(knobs, { "param-iomUplinks": "2", "param-fiLanUplinks": knobs[1]!.initial })).toEqual({
      iomUplinks: 2,
    });
  });

  it("write a name range, or one name", () => {
    expect(range("fi-a:p", 1)).toBe("fi-a:p1");
    expect(range("fi-a:p", 4)).toBe("fi-a:p[1..4]");
  });
});
