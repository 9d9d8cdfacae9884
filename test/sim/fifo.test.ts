import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Fifo } from "../../sim/fifo.js";

type Op =
  | { kind: "push"; value: number }
  | { kind: "shift" }
  | { kind: "remove"; value: number }
  | { kind: "at"; index: number }
  | { kind: "peek" };

// Small values so removes often hit, duplicates included; indexes stray out of range on purpose.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("push" as const), value: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shift" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), value: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("at" as const), index: fc.integer({ min: -2, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("peek" as const) }) },
);

describe("Fifo", () => {
  it("behaves like an array under any sequence of push, shift, remove, at and peek", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(op, { maxLength: 300 }), (capacity, ops) => {
        const fifo = new Fifo<number>(capacity);
        const model: number[] = [];
        for (const o of ops) {
          switch (o.kind) {
            case "push":
              fifo.push(o.value);
              model.push(o.value);
              break;
            case "shift":
              expect(fifo.shift()).toBe(model.shift());
              break;
            case "remove": {
              const i = model.indexOf(o.value);
              if (i >= 0) model.splice(i, 1);
              expect(fifo.remove(o.value)).toBe(i >= 0);
              break;
            }
            case "at":
              expect(fifo.at(o.index)).toBe(o.index >= 0 ? model[o.index] : undefined);
              break;
            case "peek":
              expect(fifo.peek()).toBe(model[0]);
              break;
          }
          expect(fifo.length).toBe(model.length);
        }
        expect([...fifo]).toEqual(model);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps order across growth while the head has wrapped around", () => {
    const fifo = new Fifo<number>(4);
    for (let i = 0; i < 3; i++) fifo.push(i);
    fifo.shift();
    fifo.shift();
    for (let i = 3; i < 10; i++) fifo.push(i);
    expect([...fifo]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
