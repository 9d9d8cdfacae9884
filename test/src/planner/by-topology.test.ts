import { describe, expect, it } from "vitest";
import { ByTopology, topologyDigest } from "../../../src/planner/by-topology.js";

const yaml = (comment: string, body: string) => ({ yaml: `# ${comment}\nname: x\n${body}\n` });

describe("ByTopology", () => {
  it("shares an evaluation between candidates whose topologies differ only in comments", () => {
    const m = new ByTopology<string>();
    m.set(yaml("uplinks=2 pin=1", "links: [a]"), "evaluated");
    expect(m.get(yaml("uplinks=2 pin=2", "links: [a]"))).toBe("evaluated");
    expect(m.has(yaml("uplinks=3", "links: [a, b]"))).toBe(false);
  });

  it("never shares across different topologies, even when their digests collide", () => {
    const m = new ByTopology<string>(() => "same");
    m.set(yaml("a", "links: [a]"), "first");
    expect(m.get(yaml("b", "links: [a, b]"))).toBeUndefined();
    // The first evaluation of the digest stays; a colliding one is not stored in its place.
    m.set(yaml("b", "links: [a, b]"), "second");
    expect(m.get(yaml("c", "links: [a]"))).toBe("first");
  });

  it("digests the text without comments, with its length", () => {
    expect(topologyDigest(yaml("one", "links: [a]"))).toBe(topologyDigest(yaml("two", "links: [a]")));
    expect(topologyDigest(yaml("one", "links: [a]"))).not.toBe(topologyDigest(yaml("one", "links: [b]")));
    expect(topologyDigest(yaml("one", "links: [a]"))).toMatch(/^[0-9a-f]+-\d+$/);
  });
});
