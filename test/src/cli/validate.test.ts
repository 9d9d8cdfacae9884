import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { captureOutput } from "../../helpers/output.js";
import { cli, FIXTURES, removeTempDirs, SMALL_STUDY, tempFile } from "./helpers.js";

// validate recognizes the four kinds of input and checks each as the command that takes it would.
const io = captureOutput();
afterAll(removeTempDirs);

describe("iovsim validate", () => {
  it("checks a study and every design's generated topology", async () => {
    expect(await cli(["validate", SMALL_STUDY])).toBe(0);
    expect(io.out).toBe(
      `${SMALL_STUDY}: ok — study small: 8 servers in 3 groups, 2 SLA rows; designs traditional, director, ucs, mriov each generate a valid topology\n`,
    );
  });

  it("reports a study's problems as file:line:col lines", async () => {
    const file = tempFile("s.yaml", readFileSync(SMALL_STUDY, "utf8").replace("servers: 8", "servers: eight"));
    expect(await cli(["validate", file])).toBe(3);
    expect(io.err).toMatch(new RegExp(`^${file}:7:10 servers: expected a whole number ≥ 1, got "eight"\\n`));
  });

  it("checks a catalog merged over the built-in one, as --catalog would", async () => {
    const good = tempFile(
      "c.yaml",
      "catalog: 1\nentries:\n  - id: my-cable\n    class: cable\n    name: My cable\n    confidence: rough\n    source: my price list\n    listPriceUsd: 10\n    watts: 0\n    links: eth-10g\n    medium: twinax\n    reachM: 5\n",
    );
    const code = await cli(["validate", good]);
    expect(io.err).toBe("");
    expect(code).toBe(0);
    expect(io.out).toMatch(
      new RegExp(`^${good}: ok — catalog: 1 entry from this file, \\d+ with the built-in catalog\\n$`),
    );
    const bad = tempFile("c.yaml", "catalog: 1\nentries:\n  - id: x\n    class: nic\n");
    expect(await cli(["validate", bad])).toBe(3);
    expect(io.err).toMatch(new RegExp(`${bad}:3:\\d+ entries\\[0\\]\\.name: `));
  });

  it("checks a plan.json against the published schema, with positions", async () => {
    const plan = JSON.parse(readFileSync(join(FIXTURES, "plan/plan.json"), "utf8"));
    plan.designs[1].verdict = "great";
    delete plan.rules.maxAttempts;
    const file = tempFile("plan.json", JSON.stringify(plan, null, 2));
    expect(await cli(["validate", file])).toBe(3);
    const lines = io.err.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(`${file}: 2 problems against schema/plan.schema.json`);
    expect(lines).toContainEqual(`${file}:4:12 rules.maxAttempts: Invalid input: expected number, received undefined`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${file}:\\d+:\\d+ designs\\[1\\]\\.verdict: `)));
  });

  it("says what a run result is instead of checking it as a topology", async () => {
    const file = tempFile(
      "result.json",
      '{"iovsim":"0.1.0","topology":"t","fingerprint":"f","workloads":[],"links":[]}',
    );
    expect(await cli(["validate", file])).toBe(3);
    expect(io.err).toBe(
      `${file}:1:1 (file): this is a run result (what \`iovsim run --json\` writes); it is an output; no command reads it back — validate checks topologies, studies, catalogs and plans\n`,
    );
  });
});
