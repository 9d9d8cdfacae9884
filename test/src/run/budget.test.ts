import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { aggregate } from "../../../src/run/aggregate.js";
import {
  advanceWithin,
  BudgetClock,
  BudgetedReplications,
  describePartial,
  partialInfo,
  ranTopology,
  runProblem,
} from "../../../src/run/budget.js";
import { Replication } from "../../../src/run/replication.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

function rack(name: string): ResolvedTopology {
  const r = parseTopology(
    readFileSync(new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url), "utf8"),
    name,
  );
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** A clock whose wall time is read from `t` (seconds), so no test depends on the machine's speed. */
function fakeClock(maxEvents: number, maxWallSeconds = Number.POSITIVE_INFINITY, t = { now: 0 }): BudgetClock {
  return new BudgetClock({ maxEvents, maxWallSeconds }, () => t.now * 1000);
}

describe("the run budget", () => {
  const topo = rack("ucs");

  it("changes nothing when the budget is not reached: slicing fires the same events (same fingerprint)", () => {
    const whole = new Replication(topo, 0).result();
    const rep = new Replication(topo, 0);
    expect(advanceWithin(rep, rep.endTicks, fakeClock(Number.POSITIVE_INFINITY))).toBeNull();
    const sliced = rep.result();
    expect(sliced.fingerprint).toBe(whole.fingerprint);
    expect(sliced.events).toBe(whole.events);
  });

  it("stops within one slice of the event budget, and the partial result conserves every message", () => {
    const rep = new Replication(topo, 0);
    const hit = advanceWithin(rep, rep.endTicks, fakeClock(100_000));
    expect(hit).toMatchObject({ reason: "events", limit: 100_000 });
    expect(rep.sim.events).toBeGreaterThan(100_000);
    expect(rep.sim.events).toBeLessThan(100_000 + 2 * 200_000);
    expect(rep.done).toBe(false);
    const stoppedAt = rep.sim.now;
    rep.stopHere();
    const result = rep.result();
    expect(result.simulatedSeconds).toBe(stoppedAt / 1e12);
    for (const w of result.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
    const label = partialInfo(hit!, topo, stoppedAt, 1);
    expect(label).toMatchObject({
      reason: "event budget",
      replications: 1,
      plannedReplications: 1,
      plannedSeconds: 0.022,
    });
    expect(describePartial(label)).toMatch(
      /^partial result: stopped by the event budget \(1\.0e5 events\); it covers [\d.]+ of 0\.0220 simulated seconds; raise it with --max-events N$/,
    );
    // Aggregated like any result; the window ends where the run stopped.
    const agg = aggregate(topo, [result], 0);
    expect(agg.events).toBe(result.events);
  });

  it("measures from t = 0 when it stops during warm-up (nothing was reset yet)", () => {
    const rep = new Replication(topo, 0);
    advanceWithin(rep, rep.endTicks, fakeClock(1000));
    expect(rep.sim.now).toBeLessThan(topo.experiment.warmupTicks);
    rep.stopHere();
    expect(rep.windowTicks).toEqual({ start: 0, end: rep.sim.now });
    const agg = aggregate(ranTopology(topo, rep), [rep.result()], 0);
    expect(agg.window).toEqual({ start: 0, end: rep.sim.now / 1e12 });
    for (const w of agg.workloads) expect(Number.isFinite(w.offeredBps) && Number.isFinite(w.deliveredBps)).toBe(true);
  });

  it("stops at the same event for the same budget: where it stops does not depend on the machine", () => {
    const stops = [0, 1].map(() => {
      const rep = new Replication(topo, 0);
      advanceWithin(rep, rep.endTicks, fakeClock(150_000));
      return [rep.sim.now, rep.sim.events];
    });
    expect(stops[1]).toEqual(stops[0]);
  });

  it("stops on the wall-clock budget as read from its clock", () => {
    const t = { now: 0 };
    const clock = fakeClock(Number.POSITIVE_INFINITY, 5, t);
    t.now = 6;
    const rep = new Replication(topo, 0);
    expect(advanceWithin(rep, rep.endTicks, clock)).toMatchObject({ reason: "wall", limit: 5 });
  });

  it("finds the budget spent before the next replication, once a finished one's events are added", () => {
    const short = { ...topo, experiment: { ...topo.experiment, durationTicks: 1e8, warmupTicks: 0 } };
    const rep = new Replication(short, 0);
    const events = rep.result().events;
    const clock = fakeClock(events - 1);
    expect(clock.check()).toBeNull();
    clock.addEvents(events);
    expect(clock.check()).toEqual({ reason: "events", limit: events - 1, used: events });
  });

  it("keeps the replications that finished when the budget runs out in a later one, and says so", () => {
    const three = { ...topo, experiment: { ...topo.experiment, replications: 3 } };
    const runs = new BudgetedReplications(three, fakeClock(1_000_000));
    for (let i = 0; runs.next(i); i++) {
      const rep = new Replication(three, i);
      for (let s = 1; s <= 10 && runs.advance(rep, s, 10); s++);
      runs.finish(rep);
    }
    expect(runs.results).toHaveLength(1);
    expect(runs.measured).toBe(three);
    expect(runs.partial).toMatchObject({ replications: 1, plannedReplications: 3, stoppedAtSeconds: 0.022 });
    expect(describePartial(runs.partial!)).toBe(
      "partial result: stopped by the event budget (1.0e6 events); it covers 1 of 3 replications; raise it with --max-events N",
    );
  });

  it("re-checks the estimate when the command line lengthens the run", () => {
    expect(runProblem(topo)).toBeUndefined();
    const long = { ...topo, experiment: { ...topo.experiment, durationTicks: 3600e12 } };
    expect(runProblem(long)).toMatch(/^a run of 3600 s × 1 replication would take about [\d.]+e\d+ events/);
  });
});
