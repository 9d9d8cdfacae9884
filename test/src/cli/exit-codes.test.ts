import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, EXIT_CODE_TABLE } from "../../../src/cli/exit-codes.js";
import { buildProgram } from "../../../src/cli/main.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, FIXTURES, ROOT, removeTempDirs, SMALL_STUDY, TINY, tempDir, tempFile, tinyWith } from "./helpers.js";

// Each command once per exit code it can return (README "Exit codes"), through main(): the
// same function bin/iovsim.js calls. 130 (Ctrl-C) needs a real signal: plan-interrupt.test.ts.
// 4 (a budget hit) comes with the budgets of the input side.
const io = captureOutput();
afterAll(removeTempDirs);

const missedSla = () => tinyWith((t) => t.replace("target: 1ms", "target: 1ns"));
const singleFailure = () => tinyWith((t) => `${t}survive: single-failure\n`);
const invalidTopology = () => tinyWith((t) => t.replace("kind: lan", "kind: lan-party"));
const STUDY = join(ROOT, "topologies/studies/last-mile.yaml");
const PLAN_JSON = join(FIXTURES, "plan/plan.json");

describe("the README's exit codes", () => {
  it("are the table iovsim --help prints", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| (\d+) +\| (.+?) +\|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(EXIT_CODE_TABLE.map(([code, what]) => [code, what]));
    expect(await cli(["--help"])).toBe(0);
    for (const [code, what] of EXIT_CODE_TABLE) expect(io.out).toContain(`${String(code).padStart(3)}  ${what}`);
  });
});

describe("iovsim validate", () => {
  it("0: a topology, a study, a catalog and a plan that are fine", async () => {
    for (const file of [TINY, STUDY, join(ROOT, "catalog/pcie.yaml"), PLAN_JSON]) {
      io.out = "";
      expect(await cli(["validate", file])).toBe(EXIT.ok);
      expect(io.out).toMatch(/: ok — (topology|study|catalog|plan)/);
    }
  });

  it("2: no file given", async () => {
    expect(await cli(["validate"])).toBe(EXIT.usage);
    expect(io.err).toContain("missing required argument 'file'");
  });

  it("3: a topology with a problem", async () => {
    const file = invalidTopology();
    expect(await cli(["validate", file])).toBe(EXIT.invalidInput);
    expect(io.err).toMatch(new RegExp(`^${file}:\\d+:\\d+ topology\\.nodes\\.lan\\.kind: `));
    expect(io.out).toBe("");
  });
});

describe("iovsim run", () => {
  it("0: every SLA row met", async () => {
    expect(await cli(["run", TINY])).toBe(EXIT.ok);
    expect(io.out).toMatch(/web\s+latency\.p99\s+1\.00 ms\s+\S+ us\s+\S+ [nu]s\s+MET/);
  });

  it("1: an SLA row missed, and 0 with --no-fail-on-miss", async () => {
    const file = missedSla();
    expect(await cli(["run", file])).toBe(EXIT.missed);
    expect(io.out).toContain("1 SLA row not met (web latency.p99 missed): exit 1 (--no-fail-on-miss to report only)");
    io.out = "";
    expect(await cli(["run", file, "--no-fail-on-miss"])).toBe(EXIT.ok);
    expect(io.out).toContain("1 SLA row not met (web latency.p99 missed)");
    expect(io.out).not.toContain("exit 1");
  });

  it("1 with --json: stdout is the JSON document alone, the reason goes to stderr", async () => {
    expect(await cli(["run", missedSla(), "--json"])).toBe(EXIT.missed);
    expect(JSON.parse(io.out).sla[0].status).toBe("missed");
    expect(io.err).toBe("1 SLA row not met (web latency.p99 missed): exit 1 (--no-fail-on-miss to report only)\n");
  });

  it("2: a bad option value, or an output path it cannot use — before any run", async () => {
    expect(await cli(["run", TINY, "--duration", "soon"])).toBe(EXIT.usage);
    expect(io.err).toMatch(/^iovsim: --duration: /);
    const dir = tempDir();
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    expect(await cli(["run", TINY, "--out", file])).toBe(EXIT.usage);
    expect(io.err).toContain(`--out ${file}: exists and is not a directory`);
    expect(await cli(["run", TINY, "--trace", "/no/such/dir/t.jsonl"])).toBe(EXIT.usage);
    expect(io.err).toContain("--trace /no/such/dir/t.jsonl: the directory /no/such/dir does not exist");
    expect(await cli(["run", TINY, "--trace", dir])).toBe(EXIT.usage);
    expect(io.err).toContain(`--trace ${dir}: is a directory; give a file name, e.g. ${join(dir, "trace.jsonl")}`);
    expect(io.out).toBe("");
    expect(io.err).not.toMatch(/^\s+at /m);
  });

  it("3: an invalid topology, or a study where a topology belongs", async () => {
    expect(await cli(["run", invalidTopology()])).toBe(EXIT.invalidInput);
    expect(io.err).toContain("1 problem; nothing written");
    io.err = "";
    expect(await cli(["run", STUDY])).toBe(EXIT.invalidInput);
    expect(io.err).toBe(
      `${STUDY}:1:1 (file): this is a study, not a topology; use \`iovsim plan ${STUDY}\` (or \`iovsim expand ${STUDY} --design D\` for one design's topology)\n`,
    );
  });
});

describe("iovsim bom", () => {
  it("0, 2 and 3", async () => {
    expect(await cli(["bom", TINY])).toBe(EXIT.ok);
    expect(await cli(["bom", TINY, "--kwh-price", "-1"])).toBe(EXIT.usage);
    expect(io.err).toContain("iovsim: --kwh-price must be a number ≥ 0, got -1");
    expect(await cli(["bom", invalidTopology()])).toBe(EXIT.invalidInput);
  });
});

describe("iovsim expand", () => {
  it("0, 2 and 3", async () => {
    expect(await cli(["expand", SMALL_STUDY, "--design", "ucs"])).toBe(EXIT.ok);
    expect(io.out).toContain("topology:");
    expect(await cli(["expand", SMALL_STUDY, "--design", "token-ring"])).toBe(EXIT.usage);
    expect(await cli(["expand", TINY, "--design", "ucs"])).toBe(EXIT.invalidInput);
    expect(io.err).toContain(`${TINY}:1:1 (file): this is a topology, not a study; use \`iovsim run ${TINY}\``);
  });
});

describe("iovsim plan", () => {
  it("0: every design has a configuration that meets every SLA row", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--out", out, "--workers", "0", "--no-curve"])).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(join(out, "plan.json"), "utf8")).designs).toHaveLength(4);
  }, 120_000);

  it("1: a design without one, and 0 with --no-fail-on-miss", async () => {
    const study = tempFile(
      "study.yaml",
      readFileSync(SMALL_STUDY, "utf8")
        .replace("target: 2ms", "target: 1ns")
        .replace(/^ {2}(traditional|director|ucs):\n(?: {4,}.*\n)+/gm, ""),
    );
    const out = join(tempDir(), "out");
    const args = ["plan", study, "--out", out, "--workers", "0", "--no-curve"];
    expect(await cli(args)).toBe(EXIT.missed);
    expect(io.out).toMatch(/1 design without a configuration that meets every SLA row \(mriov none meets\): exit 1/);
    expect(existsSync(join(out, "plan.json"))).toBe(true);
    expect(await cli([...args, "--no-fail-on-miss"])).toBe(EXIT.ok);
  }, 120_000);

  it("2: --out names a file, or a bad --workers — before any work", async () => {
    const file = tempFile("out", "not a directory");
    expect(await cli(["plan", SMALL_STUDY, "--out", file])).toBe(EXIT.usage);
    expect(io.err).toBe(
      `iovsim: --out ${file}: exists and is not a directory; give a directory (it is created if absent)\n`,
    );
    expect(await cli(["plan", SMALL_STUDY, "--workers", "-1"])).toBe(EXIT.usage);
  });

  it("3: a topology or a directory where a study belongs", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", TINY, "--out", out])).toBe(EXIT.invalidInput);
    expect(io.err).toContain(`${TINY}:1:1 (file): this is a topology, not a study; use \`iovsim run ${TINY}\``);
    io.err = "";
    const dir = tempDir();
    expect(await cli(["plan", dir, "--out", out])).toBe(EXIT.invalidInput);
    expect(io.err).toBe(
      `${dir}:1:1 (file): is a directory; give a study file, e.g. topologies/studies/last-mile.yaml\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe("iovsim compare", () => {
  it("0: every row of every file met; 1: one missed", async () => {
    expect(await cli(["compare", TINY, TINY])).toBe(EXIT.ok);
    expect(await cli(["compare", TINY, missedSla()])).toBe(EXIT.missed);
    expect(await cli(["compare", TINY, missedSla(), "--no-fail-on-miss"])).toBe(EXIT.ok);
  });

  it("2: no file", async () => {
    expect(await cli(["compare"])).toBe(EXIT.usage);
  });

  it("3: checks every file before running any", async () => {
    const bad = invalidTopology();
    expect(await cli(["compare", TINY, bad, STUDY])).toBe(EXIT.invalidInput);
    expect(io.err).toContain(`${bad}:`);
    expect(io.err).toContain(`${STUDY}:1:1 (file): this is a study, not a topology`);
    expect(io.err).toContain("iovsim compare: 2 of 3 files invalid; nothing run");
    expect(io.err).not.toContain("events in");
  });
});

describe("iovsim blast", () => {
  it("0: the SLA holds and the file does not ask to survive; 1: it asks and a single failure breaks it", async () => {
    expect(await cli(["blast", TINY])).toBe(EXIT.ok);
    expect(await cli(["blast", singleFailure()])).toBe(EXIT.missed);
    expect(io.out).toContain("survive: single-failure missed: exit 1");
    expect(await cli(["blast", singleFailure(), "--no-fail-on-miss"])).toBe(EXIT.ok);
  });

  it("2 and 3", async () => {
    expect(await cli(["blast", TINY, "--failover", "later"])).toBe(EXIT.usage);
    expect(io.err).toMatch(/^iovsim: --failover: .*\(or "off", "design"\)/);
    expect(await cli(["blast", invalidTopology()])).toBe(EXIT.invalidInput);
  });
});

describe("iovsim merge", () => {
  it("2: no shard given; 3: a shard file that is missing, not JSON (placed where it breaks) or not a shard", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["merge", SMALL_STUDY, "--out", out])).toBe(EXIT.usage);
    const missing = join(tempDir(), "shard.json");
    expect(await cli(["merge", SMALL_STUDY, missing, "--out", out])).toBe(EXIT.invalidInput);
    expect(io.err).toContain(`${missing}:1:1 (top): not a readable shard file (ENOENT`);
    io.err = "";
    const broken = tempFile("shard.json", '{\n  "kind": "iovsim-plan-shard",\n  "searches": [1, 2\n}\n');
    expect(await cli(["merge", SMALL_STUDY, broken, "--out", out])).toBe(EXIT.invalidInput);
    expect(io.err).toMatch(
      new RegExp(
        `^${broken.replaceAll(".", "\\.")}:4:1 \\(syntax\\): not a shard file, not JSON \\(.+\\); nothing written$`,
        "m",
      ),
    );
    io.err = "";
    const other = tempFile("shard.json", '{ "kind": "iovsim-plan" }\n');
    expect(await cli(["merge", SMALL_STUDY, other, "--out", out])).toBe(EXIT.invalidInput);
    expect(io.err).toContain(`${other}:1:1 kind: expected "iovsim-plan-shard" or "iovsim-sizes-shard"`);
    expect(existsSync(out)).toBe(false);
  });
});

describe("iovsim worker, plan and sweep on a queue", () => {
  /** A port nothing listens on: bound and closed again. */
  const closedPort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });

  it("2: a Redis queue they cannot reach at the start, saying so without the URL's password", async () => {
    const url = `redis://planner:secret@127.0.0.1:${await closedPort()}`;
    const said =
      /^iovsim: cannot reach the Redis queue at redis:\/\/planner:\*\*\*@127\.0\.0\.1:\d+\/? \(.+\): is redis-server running there and reachable\?$/m;
    expect(await cli(["worker", "--queue", url, "--workers", "1"])).toBe(EXIT.usage);
    expect(io.err).toMatch(said);
    expect(io.err).not.toContain("secret");
    io.err = "";
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--queue", url, "--out", out])).toBe(EXIT.usage);
    expect(io.err).toMatch(said);
    expect(await cli(["sweep", SMALL_STUDY, "--set", "objective=tco", "--queue", url, "--out", out])).toBe(EXIT.usage);
    expect(existsSync(out)).toBe(false);
  });
});

describe("iovsim demo", () => {
  it("0 and 2", async () => {
    expect(await cli(["demo", "--customers", "1000"])).toBe(EXIT.ok);
    expect(io.out).toContain("M/M/1");
    expect(io.out).not.toMatch(/arrives with/);
    expect(await cli(["demo", "--customers", "5"])).toBe(EXIT.usage);
  });
});

describe("an internal error", () => {
  it("70: a short report with the version, how to get the stack and where to file it", async () => {
    const program = buildProgram();
    program.addCommand(
      new Command("crash").action(() => {
        throw new TypeError("cannot read properties of undefined (reading 'ports')");
      }),
    );
    expect(await cli(["crash"], program)).toBe(EXIT.internal);
    const lines = io.err.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "iovsim: internal error — a bug in iovsim, not a problem with your input: TypeError: cannot read properties of undefined (reading 'ports')",
    );
    expect(io.err).toContain("  command: iovsim crash");
    expect(io.err).toMatch(/ {2}iovsim \d+\.\d+\.\d+, Node v\d+/);
    expect(io.err).toContain("IOVSIM_DEBUG=1");
    expect(io.err).toMatch(/please report it .* to the issue tracker .*README.md, "Reporting a bug"/);
    expect(io.err).not.toMatch(/^\s+at /m);
  });

  it("is never a user's file-system mistake: those exit 2 with one line", async () => {
    const program = buildProgram();
    program.addCommand(
      new Command("eexist").action(() => {
        throw Object.assign(new Error("EEXIST: file already exists, mkdir 'out'"), { code: "EEXIST", path: "out" });
      }),
    );
    expect(await cli(["eexist"], program)).toBe(EXIT.usage);
    expect(io.err).toBe("iovsim: out: already exists\n");
  });
});
