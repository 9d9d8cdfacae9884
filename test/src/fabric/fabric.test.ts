import { describe, expect, it } from "vitest";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, newFabric } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");

describe("Fabric.route", () => {
  it("gives routes with the same queue indices one frozen list (a site has few lists for many flows)", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b", "c"]);
    aSwitch(fabric, "sw");
    const [a] = fabric.connect("a:p", "sw:1", { protocol: eth10 });
    const [b] = fabric.connect("b:p", "sw:2", { protocol: eth10 });
    const [, toC] = fabric.connect("c:p", "sw:3", { protocol: eth10 });
    const fromA = fabric.route([a, toC], [0, 0]);
    const fromB = fabric.route([b, toC], [0, 0]);
    const plain = fabric.route([a, toC]);
    expect(fromA.queues).toEqual([0, 0]);
    expect(fromB.queues).toBe(fromA.queues);
    expect(plain.queues).toBe(fromA.queues);
    expect(Object.isFrozen(fromA.queues)).toBe(true);
    expect(fromA.ports).not.toBe(fromB.ports);
  });

  it("keeps a caller's queue list out of the route (a later change to it changes no route)", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [a] = fabric.connect("a:p", "b:p", { protocol: eth10 });
    const q = [0];
    const r = fabric.route([a], q);
    q[0] = 5;
    expect(r.queues).toEqual([0]);
  });
});
