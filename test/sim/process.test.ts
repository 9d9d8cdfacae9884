import { describe, expect, it } from "vitest";
import { SimEvent, timeout } from "../../sim/event.js";
import type { ProcessBody } from "../../sim/process.js";
import { Interrupt, Process } from "../../sim/process.js";
import { Resource } from "../../sim/resources/resource.js";
import { NORMAL, Simulation } from "../../sim/simulation.js";

describe("a process", () => {
  it("that yields delays ends at their sum, with its return value", () => {
    const sim = new Simulation();
    const p = new Process(
      sim,
      (function* () {
        yield 10;
        yield 0;
        yield 25;
        return "done";
      })(),
    );
    sim.run();
    expect(sim.now).toBe(35);
    expect(p.isAlive).toBe(false);
    expect(p.ok).toBe(true);
    expect(p.value).toBe("done");
  });

  it("starts at the time it is created, not at zero", () => {
    const sim = new Simulation();
    const started: number[] = [];
    sim.schedule(
      7,
      sim.handler(() => {
        new Process(
          sim,
          (function* () {
            started.push(sim.now);
            yield 3;
            started.push(sim.now);
          })(),
        );
      }),
    );
    sim.run();
    expect(started).toEqual([7, 10]);
  });

  it("that yields an already processed event continues in the same instant, with no kernel event", () => {
    const sim = new Simulation();
    const ready = new SimEvent<number>(sim).resolveNow(42);
    const seen: [number, unknown, number][] = [];
    new Process(
      sim,
      (function* () {
        yield 5;
        const before = sim.events;
        const v = yield ready;
        seen.push([sim.now, v, sim.events - before]);
      })(),
    );
    sim.run();
    expect(seen).toEqual([[5, 42, 0]]);
  });

  it("that yields a pending event resumes when it is processed, with its value", () => {
    const sim = new Simulation();
    let got: unknown;
    new Process(
      sim,
      (function* () {
        got = yield timeout(sim, 12, "tick");
      })(),
    );
    sim.run();
    expect([sim.now, got]).toEqual([12, "tick"]);
  });

  it("that waits on another process gets its return value when it ends", () => {
    const sim = new Simulation();
    const child = new Process(
      sim,
      (function* () {
        yield 30;
        return 7;
      })(),
      "child",
    );
    let got: [number, unknown] | undefined;
    new Process(
      sim,
      (function* () {
        const v = yield child;
        got = [sim.now, v];
      })(),
      "parent",
    );
    sim.run();
    expect(got).toEqual([30, 7]);
  });

  it("that waits on a process that throws receives the exception", () => {
    const sim = new Simulation();
    const child = new Process(
      sim,
      (function* (): ProcessBody<never> {
        yield 4;
        throw new Error("child broke");
      })(),
    );
    let caught: unknown;
    const parent = new Process(
      sim,
      (function* () {
        try {
          yield child;
        } catch (error) {
          caught = error;
        }
        return "recovered";
      })(),
    );
    sim.run();
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toBe("child broke");
    expect(child.ok).toBe(false);
    expect(parent.value).toBe("recovered");
  });

  it("that throws with nobody waiting makes run() throw", () => {
    const sim = new Simulation();
    new Process(
      sim,
      (function* (): ProcessBody<never> {
        yield 4;
        throw new Error("nobody listens");
      })(),
    );
    expect(() => sim.run()).toThrow("nobody listens");
    expect(sim.now).toBe(4);
  });

  it("that yields something other than a delay or an event gets a TypeError thrown into it", () => {
    const sim = new Simulation();
    let caught: unknown;
    new Process(
      sim,
      (function* () {
        try {
          yield "soon" as unknown as number;
        } catch (error) {
          caught = error;
        }
      })(),
      "confused",
    );
    sim.run();
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toMatch(/^confused yielded soon/);
  });
});

describe("interrupt", () => {
  it("during a delay throws Interrupt with the cause, and the delay never fires", () => {
    const sim = new Simulation();
    const log: string[] = [];
    const sleeper = new Process(
      sim,
      (function* () {
        try {
          yield 100;
          log.push(`woke at ${sim.now}`);
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          log.push(`interrupted at ${sim.now} by ${String(error.cause)}`);
        }
        yield 200;
        log.push(`slept again until ${sim.now}`);
      })(),
    );
    new Process(
      sim,
      (function* () {
        yield 40;
        sleeper.interrupt("alarm");
      })(),
    );
    sim.run();
    expect(log).toEqual(["interrupted at 40 by alarm", "slept again until 240"]);
  });

  it("during a resource wait throws Interrupt; releasing the request withdraws it", () => {
    const sim = new Simulation();
    const res = new Resource(sim);
    const log: string[] = [];
    new Process(
      sim,
      (function* () {
        const req = res.request();
        yield req;
        yield 50;
        res.release(req);
      })(),
      "holder",
    );
    const waiter = new Process(
      sim,
      (function* () {
        yield 1;
        const req = res.request();
        try {
          yield req;
          log.push("granted");
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          res.release(req);
          log.push(`gave up at ${sim.now}: ${String(error.cause)}`);
        }
      })(),
      "waiter",
    );
    sim.schedule(
      10,
      sim.handler(() => waiter.interrupt("too slow")),
    );
    sim.run();
    expect(log).toEqual(["gave up at 10: too slow"]);
    expect(res.queueLength).toBe(0);
    expect(res.count).toBe(0);
    expect(sim.now).toBe(50);
  });

  it("of a finished process throws", () => {
    const sim = new Simulation();
    const p = new Process(
      sim,
      (function* () {
        yield 1;
      })(),
      "brief",
    );
    sim.run();
    expect(() => p.interrupt("late")).toThrow("interrupt: brief has already finished");
  });
});

describe("same-time ordering", () => {
  it("starts a new process (URGENT) before NORMAL events scheduled earlier for the same time", () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(
      0,
      sim.handler(() => order.push("normal event"), "normal"),
      undefined,
      NORMAL,
    );
    new Process(
      sim,
      (function* () {
        order.push("process start");
        yield 0;
      })(),
    );
    sim.run();
    expect(order).toEqual(["process start", "normal event"]);
  });

  it("resumes processes woken at the same time in the order they went to sleep", () => {
    const sim = new Simulation();
    const order: string[] = [];
    for (const name of ["a", "b", "c"]) {
      new Process(
        sim,
        (function* () {
          yield 10;
          order.push(name);
        })(),
      );
    }
    sim.run();
    expect(order).toEqual(["a", "b", "c"]);
  });
});

describe("Process delays", () => {
  it("throws a bad delay into the process instead of out of run()", () => {
    const sim = new Simulation();
    const caught: string[] = [];
    new Process(
      sim,
      (function* () {
        try {
          yield -1;
        } catch (e) {
          caught.push((e as Error).name);
        }
        yield 5;
      })(),
    );
    sim.run();
    expect(caught).toEqual(["RangeError"]);
    expect(sim.now).toBe(5);
  });
});
