import { describe, expect, it } from "vitest";
import { spareScheduler } from "../../../src/node/spare-jobs.js";

/** Jobs that answer when the test says so, with the order they started in. */
function handRun() {
  const started: string[] = [];
  const finish = new Map<string, (answer: string) => void>();
  const run = (task: string) =>
    new Promise<string>((resolve) => {
      started.push(task);
      finish.set(task, resolve);
    });
  const answer = async (task: string) => {
    finish.get(task)!(`${task} done`);
    // Let the scheduler's bookkeeping (its finally) run.
    await new Promise((r) => setImmediate(r));
  };
  return { run, started, answer };
}

describe("the pool's queue", () => {
  it("starts jobs asked for as workers free up, and a spare job only when none waits", async () => {
    const hand = handRun();
    const s = spareScheduler(1, hand.run);
    const first = s.run("first");
    const spare = s.runIfIdle("spare");
    const second = s.run("second");
    // One job runs and the next waits behind it on the worker, so the worker never waits for this thread.
    expect(hand.started).toEqual(["first", "second"]);
    expect(s.spareWaiting()).toBe(1);
    await hand.answer("first");
    expect(await first).toBe("first done");
    // The second job asked for is still in flight: the spare one waits behind it.
    expect(hand.started).toEqual(["first", "second"]);
    expect(s.spareWaiting()).toBe(1);
    await hand.answer("second");
    expect(await second).toBe("second done");
    expect(hand.started).toEqual(["first", "second", "spare"]);
    expect(s.spareWaiting()).toBe(0);
    const answer = spare.take();
    await hand.answer("spare");
    expect(await answer).toBe("spare done");
  });

  it("starts a spare job at once on a free worker", () => {
    const hand = handRun();
    const s = spareScheduler(2, hand.run);
    void s.run("asked");
    s.runIfIdle("spare");
    expect(hand.started).toEqual(["asked", "spare"]);
    expect(s.spareWaiting()).toBe(0);
  });

  it("hands a spare job taken before it started on like a job asked for, and never starts one dropped", async () => {
    const hand = handRun();
    const s = spareScheduler(1, hand.run);
    void s.run("busy");
    const taken = s.runIfIdle("taken");
    const dropped = s.runIfIdle("dropped");
    expect(s.spareWaiting()).toBe(2);
    const answer = taken.take();
    dropped.drop();
    expect(s.spareWaiting()).toBe(0);
    expect(hand.started).toEqual(["busy", "taken"]);
    await hand.answer("busy");
    await hand.answer("taken");
    expect(await answer).toBe("taken done");
    expect(hand.started).toEqual(["busy", "taken"]);
  });

  it("lets a failed spare job fail only where it is taken", async () => {
    const s = spareScheduler(1, (task: string) => Promise.reject(new Error(`${task} failed`)));
    const spare = s.runIfIdle("spare");
    await new Promise((r) => setImmediate(r));
    await expect(spare.take()).rejects.toThrow("spare failed");
  });

  it("fails a job asked for where it was asked, and goes on with the next", async () => {
    const started: string[] = [];
    const s = spareScheduler(1, (task: string) => {
      started.push(task);
      return task === "bad" ? Promise.reject(new Error("bad failed")) : Promise.resolve(`${task} done`);
    });
    const bad = s.run("bad");
    const good = s.run("good");
    await expect(bad).rejects.toThrow("bad failed");
    expect(await good).toBe("good done");
    expect(started).toEqual(["bad", "good"]);
  });

  it("serves searches in turn: a search's next job waits for one job of each other, not for a burst", async () => {
    const hand = handRun();
    const s = spareScheduler(1, hand.run);
    const burst = s.newStream();
    const walk = s.newStream();
    expect(walk).not.toBe(burst);
    // A search asks for a score group's builds at once; another for its one next evaluation.
    const builds = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"];
    for (const b of builds) void s.run(b, burst);
    const step = s.run("step", walk);
    // b1 runs and b2 waits on the worker; then the two searches take turns.
    for (const b of ["b1", "b2", "b3", "step", ...builds.slice(3)]) await hand.answer(b);
    expect(hand.started).toEqual(["b1", "b2", "b3", "step", "b4", "b5", "b6", "b7", "b8"]);
    expect(await step).toBe("step done");
  });

  it("starts jobs of one search in the order asked", async () => {
    const hand = handRun();
    const s = spareScheduler(2, hand.run);
    const one = s.newStream();
    for (const j of ["j1", "j2", "j3", "j4", "j5", "j6"]) void s.run(j, one);
    expect(hand.started).toEqual(["j1", "j2", "j3", "j4"]);
    await hand.answer("j2");
    await hand.answer("j1");
    expect(hand.started).toEqual(["j1", "j2", "j3", "j4", "j5", "j6"]);
  });
});
