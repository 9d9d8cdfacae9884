import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { cube, kthSmallest, WorkloadWire } from "../../../src/flow/wire.js";
import type { LinkProtocol } from "../../../src/link/protocol.js";
import { protocolFor } from "../../../src/network/protocols.js";
import { COMMAND_BYTES, STATUS_BYTES } from "../../../src/run/transport.js";

/** The wire table as first written: a {wire, transfers} per leg, `**` for the moments, in draw order. */
function referenceExpected(
  sizes: readonly number[],
  unit: "message" | "io",
  read: number,
  p: LinkProtocol,
  mtu: number,
  dir: 0 | 1,
) {
  const at = (b: number): number => (b <= p.maxPayloadBytes ? p.wireBytes(b) : p.segment(b).wireBytes);
  const leg = (bytes: number) => {
    const n = Math.max(1, Math.ceil(bytes / mtu));
    return { wire: (n - 1) * at(mtu) + at(bytes - (n - 1) * mtu), transfers: n };
  };
  let wire = 0;
  let wire2 = 0;
  let wire3 = 0;
  let transfers = 0;
  for (const s of sizes) {
    if (unit === "message") {
      const l = leg(s);
      wire += l.wire;
      wire2 += l.wire ** 2;
      wire3 += l.wire ** 3;
      transfers += l.transfers;
    } else {
      const extra = dir === 0 ? COMMAND_BYTES : STATUS_BYTES;
      const small = leg(extra);
      const big = leg(s + extra);
      const pBig = dir === 0 ? 1 - read : read;
      wire += pBig * big.wire + (1 - pBig) * small.wire;
      wire2 += pBig * big.wire ** 2 + (1 - pBig) * small.wire ** 2;
      wire3 += pBig * big.wire ** 3 + (1 - pBig) * small.wire ** 3;
      transfers += pBig * big.transfers + (1 - pBig) * small.transfers;
    }
  }
  const n = sizes.length;
  return { wire: wire / n, wire2: wire2 / n, wire3: wire3 / n, transfers: transfers / n };
}

/** Sizes like a lognormal workload's draws: whole bytes, mostly distinct, some repeats. */
function draws(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 1 + Math.round((x / 2 ** 32) ** 3 * 60000);
  });
}

describe("the flow level's wire table", () => {
  const protocols = ["eth-10g", "pcie-gen2-x16", "fc-8g", "ib-qdr-4x"].map((id) => protocolFor(id));

  it("gives, to the last bit, what the per-leg objects and pow gave (messages and I/Os, both directions)", () => {
    for (const [unit, read] of [
      ["message", 0],
      ["io", 0.7],
    ] as const) {
      const sizes = draws(2048, unit === "io" ? 7 : 3);
      const w = new WorkloadWire(sizes, unit, read);
      for (const p of protocols)
        for (const mtu of [1500, 2048])
          for (const dir of [0, 1] as const)
            expect(w.expected(p, mtu, dir)).toEqual(referenceExpected(sizes, unit, read, p, mtu, dir));
    }
  });

  it("answers each (protocol, MTU, direction) the same however the asks interleave (its last four answers are kept)", () => {
    const sizes = draws(2048, 11);
    const asks = protocols.flatMap((p) => [1500, 2048, 9000].flatMap((mtu) => [0, 1].map((dir) => ({ p, mtu, dir }))));
    const fresh = new WorkloadWire(sizes, "io", 0.4);
    const once = asks.map((a) => fresh.expected(a.p, a.mtu, a.dir as 0 | 1));
    // Runs of 1 to 6 asks repeated, so that some hit the last four answers and some do not.
    const w = new WorkloadWire(sizes, "io", 0.4);
    let next = 7;
    for (let round = 0; round < 200; round++) {
      next = (Math.imul(next, 1103515245) + 12345) >>> 0;
      const from = next % asks.length;
      const run = 1 + (next % 6);
      for (let k = 0; k < run; k++) {
        const i = (from + k * 5) % asks.length;
        const a = asks[i]!;
        expect(w.expected(a.p, a.mtu, a.dir as 0 | 1)).toEqual(once[i]);
      }
    }
  });

  it("cubes every whole number up to 2⁵³'s cube root exactly as ** does", () => {
    // The multiplications are exact there; this checks that the engine's pow is too.
    for (let x = 0; x <= 208063; x++)
      if (cube(x) !== x ** 3) expect.fail(`cube(${x}) = ${cube(x)}, ** gives ${x ** 3}`);
    expect(cube(2.5)).toBe(2.5 ** 3);
    expect(cube(208064)).toBe(208064 ** 3);
    expect(cube(-3)).toBe((-3) ** 3);
  });
});

describe("kthSmallest", () => {
  it("takes a fixed size's value without sorting", () => {
    expect(kthSmallest(new Array(2048).fill(4096), 2027)).toBe(4096);
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 300, size: "max" }), fc.nat()])(
    "is the k-th element of the sorted values",
    (values, k0) => {
      const k = k0 % values.length;
      expect(kthSmallest(values, k)).toBe(Float64Array.from(values).sort()[k]);
    },
  );

  it("refuses an index outside the values", () => {
    expect(() => kthSmallest([1, 2], 2)).toThrow(/no element 2 of 2/);
  });
});
