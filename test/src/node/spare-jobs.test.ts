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

describe("spare jobs", () => {
  it("start only when fewer jobs asked for are in flight than workers", async () => {
    const hand = handRun();
    const s = spareScheduler(1, hand.run);
    const first = s.run("first");
    const spare = s.runIfIdle("spare");
    const second = s.run("second");
    expect(hand.started).toEqual(["first", "second"]);
    expect(s.spareWaiting()).toBe(1);
    await hand.answer("first");
    // The second job asked for is still in flight: the spare one waits behind it.
    expect(await first).toBe("first done");
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

  it("start at once on a free worker", () => {
    const hand = handRun();
    const s = spareScheduler(2, hand.run);
    void s.run("asked");
    s.runIfIdle("spare");
    expect(hand.started).toEqual(["asked", "spare"]);
    expect(s.spareWaiting()).toBe(0);
  });

  it("start at once when taken, and never when dropped", async () => {
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

  it("let a failed spare job fail only where it is taken", async () => {
    const s = spareScheduler(1, (task: string) => Promise.reject(new Error(`${task} failed`)));
    const spare = s.runIfIdle("spare");
    await new Promise((r) => setImmediate(r));
    await expect(spare.take()).rejects.toThrow("spare failed");
  });
});
