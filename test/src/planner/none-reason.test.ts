import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { FlowEntry } from "../../../src/planner/evaluations.js";
import { nearestMiss, refusalReason, rowText, shortfall } from "../../../src/planner/none-reason.js";
import { siteSizeCurve } from "../../../src/planner/sizes.js";
import { NO_STEADY_STATE, type PlanSlaRow } from "../../../src/planner/sla.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text = STUDY): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

const row = (workload: string, metric: PlanSlaRow["metric"], target: number, actual: number | null): PlanSlaRow => {
  const good = actual !== null && (metric === "deliveredBps" ? actual >= target : actual <= target);
  return {
    workload,
    metric,
    target,
    actual,
    status: actual === null ? "undecided" : good ? "met" : "missed",
    ...NO_STEADY_STATE,
  };
};

const entry = (sla: PlanSlaRow[], surviveReason?: string): FlowEntry =>
  ({
    flow: {} as FlowEntry["flow"],
    summary: { sla, flagged: [], needsPacketConfirmation: false },
    survive:
      surviveReason === undefined
        ? null
        : { fidelity: "flow", status: "missed", components: 3, confirmed: [], reasons: [surviveReason] },
    margins: [],
    surviveMissed: [],
  }) as FlowEntry;

describe("shortfall", () => {
  it("is actual / target for a ceiling and target / actual for a floor; no estimate is infinitely short", () => {
    expect(shortfall(row("db-io", "latency.p99", 0.002, 0.003))).toBeCloseTo(1.5, 12);
    expect(shortfall(row("backup", "deliveredBps", 2e9, 1e9))).toBeCloseTo(2, 12);
    expect(shortfall(row("db-io", "latency.p99", 0.002, null))).toBe(Number.POSITIVE_INFINITY);
    expect(shortfall(row("db-io", "latency.p99", 0.002, 0.001))).toBe(1);
  });
});

describe("nearestMiss", () => {
  const params = (r: number) => ({ rank: r });

  it("prefers a candidate that only a single failure defeats, and says which", () => {
    const near = nearestMiss(
      [
        [0, entry([row("db-io", "latency.p99", 0.002, 0.0021)])],
        [1, entry([row("db-io", "latency.p99", 0.002, 0.001)], "san-a failed: db-io latency.p99 undecided")],
      ],
      params,
    );
    expect(near).toEqual({
      rank: 1,
      parameters: { rank: 1 },
      binding: "meets without a failure, misses after one: san-a failed: db-io latency.p99 undecided",
    });
  });

  it("else the fewest rows missed, then the smallest worst shortfall, with the binding rows' figures", () => {
    const near = nearestMiss(
      [
        [0, entry([row("db-io", "latency.p99", 0.002, 0.003), row("backup", "deliveredBps", 2e9, 1.9e9)])],
        [1, entry([row("db-io", "latency.p99", 0.002, 0.01)])],
        [2, entry([row("db-io", "latency.p99", 0.002, 0.0025)])],
      ],
      params,
    );
    expect(near?.rank).toBe(2);
    expect(near?.binding).toBe("db-io latency.p99 2.50 ms > 2.00 ms");
  });

  it("is null when nothing was evaluated", () => {
    expect(nearestMiss([], params)).toBeNull();
  });

  it("writes rates in Gb/s and a missing estimate as an unstable queue", () => {
    expect(rowText(row("backup", "deliveredBps", 2e9, 1.5e9))).toBe("backup deliveredBps 1.50 Gb/s < 2.00 Gb/s");
    expect(rowText(row("db-io", "latency.p99", 0.002, null))).toBe("db-io latency.p99: no estimate (unstable queue)");
  });
});

describe("refusalReason", () => {
  it("names the generator's limit when the largest combination is refused", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    // 8 Ethernet + 8 FC shared adapters exceed the box's 8 slots.
    const s = study(
      STUDY.replace(
        "ethAdaptersPerBox: { value: 2, range: [1, 4] }",
        "ethAdaptersPerBox: { value: 8, range: [7, 8] }",
      ).replace("fcAdaptersPerBox: { value: 1, range: [1, 4] }", "fcAdaptersPerBox: { value: 8, range: [7, 8] }"),
    );
    expect(refusalReason(s, "mriov", c.catalog)).toMatch(
      /^the generator refuses the largest combination \(.*\): mriov: 16 shared adapters exceed a box's 8 slots$/,
    );
  });
});

describe("a site size with no configuration that meets", () => {
  it("records why: the nearest candidate's binding row, and that the search's budget ran out", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    // db-io's p99 asked below 1 us, which no fabric gives; a budget of two flow-level evaluations.
    const strict = study(
      STUDY.replace(
        "{ workload: db-io, metric: latency.p99, target: 2ms }",
        "{ workload: db-io, metric: latency.p99, target: 1us }",
      ),
    );
    const r = await siteSizeCurve(strict, c.catalog, [20], { designs: ["mriov"], flowBudget: 2 });
    const x = r.rows[0]!;
    expect(x.status).toBe("none");
    expect(x.reason).toMatch(
      /budget of 2 flow-level evaluations ran out.*nearest #\d \(hostsPerBox=.*\): db-io latency\.p99 [\d.]+ (us|ms) > 1\.00 us/,
    );
  }, 300_000);
});
