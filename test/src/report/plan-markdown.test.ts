import { describe, expect, it } from "vitest";
import { escapeMarkdown, planMarkdown } from "../../../src/report/plan-markdown.js";
import { fixturePlan, withWorkloadName } from "./helpers.js";

/** Runs of `| … |` lines, each a table. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) current.push(line);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  return out;
}

/** Cells of a table line: split on `|` that no backslash escapes. */
const cells = (line: string): string[] => line.slice(1, -1).split(/(?<!\\)\|/);

describe("plan.md", () => {
  const plan = fixturePlan();
  const md = planMarkdown(plan);

  it("starts with the study's title and ends with a newline", () => {
    expect(md.startsWith("# iovsim plan: last-mile\n")).toBe(true);
    expect(md.endsWith("\n")).toBe(true);
  });

  it("has tables whose every row has as many cells as its header, and a delimiter row under it", () => {
    const ts = tables(md);
    // cost, rank robustness, TCO by term, what it rests on, hardware, an SLA table per design, curve and knees, study size
    expect(ts.length).toBe(4 + 1 + 4 + 2 + 1);
    for (const t of ts) {
      const n = cells(t[0]!).length;
      for (const line of t) expect(cells(line)).toHaveLength(n);
      expect(t[1]).toMatch(/^\|( ---:? \|)+$/);
    }
  });

  it("has a row per design in the cost table: TCO, capex and power as ranges, the share of draws it is cheapest", () => {
    const t = tables(md)[0]!;
    expect(t).toHaveLength(2 + plan.designs.length);
    expect(cells(t[0]!).map((c) => c.trim())).toEqual([
      "design",
      "TCO, 3 years",
      "capex",
      "typical power",
      "lowest in, of 1000 draws",
      "verdict",
    ]);
    const director = plan.designs[0]!.chosen!;
    expect(cells(t[2]!).map((c) => c.trim())).toEqual([
      "director",
      `≥ \\$${Math.round(director.tco.total.typical).toLocaleString("en-US")} (\\$${Math.round(director.tco.total.min).toLocaleString("en-US")}–\\$${Math.round(director.tco.total.max).toLocaleString("en-US")})`,
      expect.stringMatching(/^≥ \\\$[\d,]+ \(\\\$[\d,]+–\\\$[\d,]+\)$/),
      expect.stringMatching(/^≥ 446 W \(\d+–\d+\)$/),
      `${Math.round(100 * plan.robustness!.designs.find((d) => d.design === "director")!.cheapest)} %`,
      "met",
    ]);
    expect(md).toContain(`Rank stability: ${plan.robustness!.summary}.`);
    expect(md).toContain("Minimized per design: the 3-year cost of ownership (objective: tco)");
  });

  it("has a row per design in the hardware table, backplane and upstream ports apart, the count's definition beside it", () => {
    const t = tables(md)[4]!;
    expect(t).toHaveLength(2 + plan.designs.length);
    expect(cells(t[2]!).map((c) => c.trim())).toEqual([
      "director",
      "32",
      "114",
      "24",
      "116/184",
      "0",
      "8 + 4",
      "4",
      "11",
      "366 (−54 %)",
      "latency-sensitive 138.2 us ± 41.0 us / 200.0 us",
      "met (confirmed), packet ×3",
    ]);
    // MR-IOV's PCIe box has no known port count: its count is a lower bound and its change unknown.
    expect(cells(t[3]!)[9]!.trim()).toBe("≥ 186 (?)");
    // UCS: the IOMs' host ports are midplane ports, apart from switch ports.
    expect(cells(t[5]!)[5]!.trim()).toBe("64/128");
    expect(md).toContain("hardware count = adapters + cables + optics + front-panel switch ports installed");
  });

  it("gives each design its parameters, evidence, SLA rows with ± CI, and notes", () => {
    expect(md).toContain("### traditional");
    expect(md).toContain(
      "Parameters: ibUplinks=1, ethModules=1, fcModules=1 (rank 0 in the objective's order; hardware count 366; 64 of 64 combinations built).",
    );
    expect(md).toContain(
      "Evidence: packet ×3, 22.00 ms simulated each; not confirmed at packet level; 6 packet-level attempts (budget ran out).",
    );
    expect(md).toContain("| db-io | latency.p99 | 2.00 ms | 525.3 us ± 37.4 us | met | 426.5 us (met) |");
    expect(md).toContain("- packet-level budget (6 confirmations) ran out; candidate #64 is the next to try");
    expect(md).toMatch(
      /Smaller neighbour \(the one before it in the objective's order: ≥ [\d,]+, hardware count 802; packet level\): missed: vm-lan lossRatio missed\./,
    );
  });

  it("tabulates the last-mile curve by share and design, the verdict where none is met, the knees and the flattest", () => {
    expect(md).toContain("| virtualized share | director | mriov | traditional | ucs |");
    expect(md).toMatch(
      /\| 100 % \| 366 \/ 366 \(≥ \\\$[\d,]+\) \| ≥ 186 \/ ≥ 186 \(≥ \\\$[\d,]+\) \| 802 \/ 802 \(≥ \\\$[\d,]+\) \| missed \|/,
    );
    expect(md).toContain("| director | — | 4.00 | 4.00 | 52 |");
    expect(md).toContain("| ucs | 70 % | 3.50 | 2.43 | — |");
    expect(md).toContain("Physical servers: their share of the traditional site the plan chose (nicLink=eth-1g");
    expect(md).toContain("Flattest: mriov.");
  });

  it("says when the plan has no curve", () => {
    const p = fixturePlan();
    p.lastMileCurve = null;
    expect(planMarkdown(p)).toContain("Not computed (the plan has no last-mile curve).");
  });

  it("states the study's size", () => {
    expect(md).toContain("| plan | packet | 13 | 3 | 0.858 (22.00 ms per replication) | 16,223,199 | 5.9 |");
    expect(md).toMatch(/\| curve \| packet \| 21 \| 3 \| 1\.386 /);
    expect(md).toContain("1,008 candidates in all");
  });

  it("escapes a workload name so it can neither split a cell nor open HTML or a link", () => {
    const out = planMarkdown(withWorkloadName("<script>a|b</script> [x](y)"));
    expect(out).not.toContain("<script>");
    expect(out).toContain("\\<script\\>a\\|b\\</script\\> \\[x\\](y)");
    for (const t of tables(out)) for (const line of t) expect(cells(line)).toHaveLength(cells(t[0]!).length);
  });
});

describe("escapeMarkdown", () => {
  it("escapes what opens a block at the start of a line", () => {
    expect(escapeMarkdown("# x")).toBe("\\# x");
    expect(escapeMarkdown("- x")).toBe("\\- x");
    expect(escapeMarkdown("12. x")).toBe("12\\. x");
  });

  it("keeps hyphens and dots inside names and turns line breaks into spaces", () => {
    expect(escapeMarkdown("db-io v1.2\r\nnext")).toBe("db-io v1.2 next");
  });

  it("escapes emphasis, code, math and entity characters", () => {
    expect(escapeMarkdown("*a_b`c$d&e~f")).toBe("\\*a\\_b\\`c\\$d\\&e\\~f");
  });
});
