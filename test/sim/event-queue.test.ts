import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../sim/event-queue.js";
import { Process } from "../../sim/process.js";
import { Simulation } from "../../sim/simulation.js";

/** The reference model: a plain array, minimum found by scanning. */
interface RefEvent {
  time: number;
  priority: number;
  seq: number;
  id: number;
  live: boolean;
}

type Op =
  | { kind: "schedule"; delay: number; priority: number }
  | { kind: "cancel"; pick: number }
  | { kind: "step" }
  | { kind: "scheduleFromHandler"; delay: number; priority: number }
  | { kind: "spawn"; fromHandler: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // Small delays and few priorities make ties common: ties are where heaps break.
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("schedule" as const),
      delay: fc.integer({ min: 0, max: 6 }),
      priority: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("step" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("scheduleFromHandler" as const),
      delay: fc.integer({ min: 0, max: 3 }),
      priority: fc.integer({ min: 0, max: 3 }),
    }),
  },
  // A process start is an URGENT event due now that skips the heap (the wake lane).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("spawn" as const), fromHandler: fc.boolean() }) },
);

function refPop(model: RefEvent[]): RefEvent | undefined {
  let best: RefEvent | undefined;
  for (const e of model) {
    if (!e.live) continue;
    if (
      best === undefined ||
      e.time < best.time ||
      (e.time === best.time && (e.priority < best.priority || (e.priority === best.priority && e.seq < best.seq)))
    )
      best = e;
  }
  if (best) best.live = false;
  return best;
}

describe("EventQueue", () => {
  it("fires any interleaving of schedules, cancels and process starts in (time, priority, FIFO) order", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300, size: "medium" }), (ops) => {
        const sim = new Simulation({ initialCapacity: 16 }); // small: exercise growth
        const fired: number[] = [];
        const expected: number[] = [];
        const model: RefEvent[] = [];
        const handles: (number | null)[] = [];
        let seq = 0;
        let pendingChild: { delay: number; priority: number } | null = null;
        let pendingSpawn = false;
        const spawn = (): void => {
          const id = model.length;
          new Process(
            sim,
            // biome-ignore lint/correctness/useYield: a process that only starts
            (function* () {
              fired.push(id);
            })(),
          );
          handles.push(null);
          model.push({ time: sim.now, priority: 0, seq: seq++, id, live: true });
        };
        const onFire = sim.handler((id: number) => {
          fired.push(id);
          if (pendingSpawn) {
            pendingSpawn = false;
            spawn();
          }
          // A handler scheduling during its own firing exercises the replace-top path.
          if (pendingChild !== null) {
            const { delay, priority } = pendingChild;
            pendingChild = null;
            const id2 = model.length;
            handles.push(sim.schedule(delay, onFire, id2, priority));
            model.push({ time: sim.now + delay, priority, seq: seq++, id: id2, live: true });
          }
        });
        for (const op of ops) {
          if (op.kind === "schedule") {
            const id = model.length;
            handles.push(sim.schedule(op.delay, onFire, id, op.priority));
            model.push({ time: sim.now + op.delay, priority: op.priority, seq: seq++, id, live: true });
          } else if (op.kind === "cancel") {
            if (model.length === 0) continue;
            const i = op.pick % model.length;
            const handle = handles[i];
            if (handle === null || handle === undefined) continue; // a process start has no handle
            const wasLive = model[i]!.live;
            expect(sim.cancel(handle)).toBe(wasLive);
            model[i]!.live = false;
          } else if (op.kind === "scheduleFromHandler") {
            pendingChild = { delay: op.delay, priority: op.priority };
          } else if (op.kind === "spawn") {
            if (op.fromHandler) pendingSpawn = true;
            else spawn();
          } else {
            const next = refPop(model);
            // The child is scheduled while the handler runs, after the pop: mirror that order.
            const stepped = sim.step();
            expect(stepped).toBe(next !== undefined);
            if (next) expected.push(next.id);
            if (!stepped) {
              pendingChild = null;
              pendingSpawn = false;
            }
          }
          expect(sim.pending).toBe(model.filter((e) => e.live).length);
        }
        // Drain what is left.
        pendingChild = null;
        pendingSpawn = false;
        sim.run();
        for (let e = refPop(model); e; e = refPop(model)) expected.push(e.id);
        expect(fired).toEqual(expected);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it("refuses a stale handle: cancelling a fired event's handle never cancels the event now in its slot", () => {
    const q = new EventQueue(16);
    const a = q.push(5, 0, 1, "a");
    q.fireTop();
    q.settle();
    const b = q.push(6, 0, 1, "b"); // reuses a's slot
    expect(q.cancel(a)).toBe(false);
    expect(q.isPending(b)).toBe(true);
    expect(q.cancel(b)).toBe(true);
    expect(q.cancel(b)).toBe(false);
  });

  it("grows past its initial capacity and keeps order", () => {
    const q = new EventQueue(16);
    const times = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5003);
    for (const t of times) q.push(t, 1, 0, t);
    const out: number[] = [];
    while (q.peekTime() !== Number.POSITIVE_INFINITY) {
      out.push(q.topTime());
      q.removeTop();
    }
    expect(out).toEqual([...times].sort((x, y) => x - y));
  });

  // Big heaps take the branch-free sift (with grandchild prefetch past 8 Ki
  // entries) and, past 256 Ki, the branchy one; ties must still go by tie key.
  for (const size of [20_000, 300_000]) {
    it(`keeps (time, priority, FIFO) order with many ties at ${size} pending`, () => {
      const sim = new Simulation({ initialCapacity: 16 });
      let x = 12345;
      const rand = (m: number): number => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return (x >>> 8) % m;
      };
      const total = size + size / 2;
      const time = new Float64Array(total);
      const prio = new Int32Array(total);
      const seen = new Uint8Array(total);
      let added = 0;
      let fired = 0;
      let last = -1;
      let outOfOrder = 0;
      const add = (delay: number, p: number): number => {
        const i = added++;
        time[i] = sim.now + delay;
        prio[i] = p;
        return sim.schedule(delay, h, i, p);
      };
      const h = sim.handler((i: number) => {
        // Indexes follow insertion order, so (time, priority, index) is the key.
        if (
          last >= 0 &&
          (time[last]! > time[i]! ||
            (time[last] === time[i] && (prio[last]! > prio[i]! || (prio[last] === prio[i] && last > i))))
        )
          outOfOrder++;
        last = i;
        seen[i]!++;
        fired++;
        // A strictly later follow-up keeps the sorted order well defined; it
        // exercises the replace-top path on a big heap.
        if (added < total) add(1 + rand(50), rand(3));
      });
      const handles: number[] = [];
      for (let i = 0; i < size; i++) handles.push(add(rand(size >> 4), rand(3))); // ~16 events per time
      let cancelled = 0;
      for (let k = 0; k < size / 10; k++) if (sim.cancel(handles[rand(size)]!)) cancelled++;
      sim.run();
      expect(outOfOrder).toBe(0);
      expect(fired).toBe(total - cancelled);
      expect(seen.every((c) => c <= 1)).toBe(true);
    });
  }
});
