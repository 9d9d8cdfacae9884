import { describe, expect, it } from "vitest";
import { refusedCode } from "../../../src/cli/load.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";
import { billionLaughs } from "../../helpers/yaml-bomb.js";

/**
 * The inputs issue 15 found crashing, hanging or accepted as nonsense, each with the
 * message it now gets and the exit code the CLI gives it (3: invalid input, 4: past a
 * size limit). One small rack; each case changes one thing.
 */
const BASE = `name: t
design: traditional
experiment: { duration: 1ms, warmup: 100us }
topology:
  nodes:
    host1: { kind: server, adapters: [ { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 } ] }
    sw: { kind: ethernet-switch, ports: { eth: 4 } }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "sw:eth1"], type: eth-10g }
    - { endpoints: ["sw:eth2", "lan:p1"], type: eth-10g }
workloads:
  - { name: w, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 100Mbps, size: 1500B }
`;

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`BASE has no ${from}`);
  return BASE.replace(from, to);
}

/** The printed issues and the exit code of a refused file. */
function refused(text: string): { text: string; code: number } {
  const r = parseTopology(text, "t.yaml");
  if (r.ok) throw new Error("expected the file to be refused");
  return { text: formatIssues(r.issues), code: refusedCode(r.issues) };
}

describe("files that validated, then crashed run", () => {
  it("a host with a workload and no links", () => {
    expect(refused(edit(`    - { endpoints: ["host1:nic0/1", "sw:eth1"], type: eth-10g }\n`, ""))).toEqual({
      text: "t.yaml:12:32 workloads[0].via: w leaves host1 through nic0/1, which has no link",
      code: 3,
    });
  });

  it("no path to the LAN", () => {
    expect(refused(edit(`    - { endpoints: ["sw:eth2", "lan:p1"], type: eth-10g }\n`, ""))).toEqual({
      text: "t.yaml:12:44 workloads[0].to: w has no path from host1 (via nic0/1) to lan",
      code: 3,
    });
  });

  it("no path to the array, named with the workload, the host, the port and the target", () => {
    const text = edit(
      "    lan: { kind: lan, ports: { p: 1 } }",
      "    lan: { kind: lan, ports: { p: 1 } }\n    array1: { kind: storage-array, ports: { fc: 1 } }",
    ).replace(
      "workloads:\n",
      "workloads:\n  - { name: io, on: host1, via: nic0/1, to: array1, pattern: iops, iops: 100, read: 0.5, size: 8KiB }\n",
    );
    expect(refused(text)).toEqual({
      text: "t.yaml:14:45 workloads[0].to: io has no path from host1 (via nic0/1) to array1",
      code: 3,
    });
  });

  it("rates of 1e-300bps and 1e-9bps, and 1e12Tbps and 1e300Tbps (Infinity)", () => {
    for (const rate of ["1e-300bps", "1e-9bps"]) {
      expect(refused(edit("rate: 100Mbps", `rate: ${rate}`))).toEqual({
        text: `t.yaml:13:73 workloads[0].rate: rate "${rate}" is below 1 Kb/s: below 1 kb/s a single frame takes seconds`,
        code: 3,
      });
    }
    for (const rate of ["1e12Tbps", "1e300Tbps"]) {
      expect(refused(edit("rate: 100Mbps", `rate: ${rate}`))).toEqual({
        text: `t.yaml:13:73 workloads[0].rate: rate "${rate}" is above 1.6 Tb/s: the fastest link there is, 1.6 Tb/s Ethernet`,
        code: 3,
      });
    }
  });

  it("sizes like 1e15B", () => {
    expect(refused(edit("size: 1500B", "size: 1e15B")).text).toBe(
      't.yaml:13:88 workloads[0].size: size "1e15B" is above 1 GiB: a message is cut into frames, each one simulated; model a longer transfer as a bulk flow (pattern: bulk)',
    );
  });

  it("burst: 0s", () => {
    const text = edit("pattern: poisson, rate: 100Mbps", "pattern: onoff, rate: 100Mbps, burst: { on: 0s, off: 1ms }");
    expect(refused(text)).toEqual({
      text: 't.yaml:13:93 workloads[0].burst.on: time "0s" is below 1 ns: a period under 1 ns holds no frame at any rate',
      code: 3,
    });
  });

  it("a cable length written with hundreds of digits", () => {
    const text = edit('"sw:eth1"], type: eth-10g }', `"sw:eth1"], type: eth-10g, length: ${"9".repeat(300)}m }`);
    expect(refused(text).text).toBe(
      't.yaml:10:72 topology.links[0].length: expected a length like "3m", got a string of 301 characters',
    );
    expect(refused(edit('"sw:eth1"], type: eth-10g }', '"sw:eth1"], type: eth-10g, length: 200000m }')).text).toBe(
      't.yaml:10:72 topology.links[0].length: length "200000m" is above 100 km: the longest standard optics reach 80 km (Ethernet ZR), Fibre Channel 10 km',
    );
  });

  it("a LAN with 1e15 ports", () => {
    expect(refused(edit("ports: { p: 1 }", "ports: { p: 1000000000000000 }"))).toEqual({
      text: "t.yaml:8:35 topology.nodes.lan.ports.p: 1000000000000000 is above 65,536: the largest switches have hundreds of ports, with breakouts a few thousand",
      code: 3,
    });
  });
});

describe("files that hung or exhausted memory", () => {
  it("host[1..1000000]: refused by its size before a single name is made (exit 4)", () => {
    const r = refused(edit("    host1:", "    host[1..1000000]:").replaceAll('"host1:', '"host[1..1000000]:'));
    expect(r.code).toBe(4);
    expect(r.text).toContain(
      't.yaml:6:5 topology.nodes["host[1..1000000]"]: the file describes 1,000,002 nodes (host[1..1000000]: 1,000,000), more than the limit of 10,000; raise the limits with --allow-large',
    );
  });

  it("a link endpoint range past the expansion limit is refused, not paired with nothing (found by the fuzz, case 52,049)", () => {
    const r = refused(edit('"host1:nic0/1", "sw:eth1"', '"host[1..100000000000]:nic0/1", "sw:eth1"'));
    expect(r.text).toMatch(
      /^t\.yaml:\d+:\d+ topology\.links\[0\]\.endpoints\[0\]: range \[1\.\.100000000000\] has numbers of more than 9 digits$/m,
    );
    expect(r.text).not.toMatch(/TypeError|undefined/);
  });

  it("1e8 VMs", () => {
    expect(refused(edit("kind: server,", "kind: server, vms: 100000000,"))).toEqual({
      text: "t.yaml:6:33 topology.nodes.host1.vms: 100000000 is above 1,024: 1024 VMs per host is the hypervisor's own maximum",
      code: 3,
    });
  });

  it("replications: 1e6 and outstanding: 1e9", () => {
    expect(refused(edit("warmup: 100us }", "warmup: 100us, replications: 1000000 }")).text).toBe(
      "t.yaml:3:59 experiment.replications: 1000000 is above 10,000: confidence intervals shrink as 1/sqrt(n): 10,000 replications already narrow them a hundredfold",
    );
    expect(refused(edit("pattern: poisson, rate: 100Mbps", "pattern: bulk, outstanding: 1000000000")).text).toBe(
      "t.yaml:13:77 workloads[0].outstanding: 1000000000 is above 65,536: an NVMe queue holds at most 64 Ki commands, the deepest queue in storage",
    );
  });

  it("random failures with a tiny MTBF, against the run's length", () => {
    const failures = (mtbf: string) => `${BASE}failures:\n  - { kind: ethernet-switch, mtbf: ${mtbf}, mttr: 1ns }\n`;
    expect(refused(failures("1ps")).text).toBe(
      't.yaml:15:36 failures[0].mtbf: time "1ps" is below 1 ns: a device that fails or is repaired within a nanosecond is not a failure model',
    );
    expect(refused(failures("1us"))).toEqual({
      text: "t.yaml:15:36 failures[0].mtbf: each ethernet-switch would fail about 1,099 times in a run of 1.1 ms; mtbf + mttr must be at least 11 us (the run / 100)",
      code: 3,
    });
    expect(parseTopology(failures("11us"), "t.yaml").ok).toBe(true);
  });

  it("bulk workloads that would keep millions of messages in flight, and load a host cannot send: refused (exit 4)", () => {
    const bulk = refused(
      edit("    host1:", "    host[1..4]:")
        .replace("pattern: poisson, rate: 100Mbps", "pattern: bulk, outstanding: 65536")
        .replace("on: host1", 'on: "host[1..4]"')
        .replace('"host1:nic0/1", "sw:eth1"', '"host[1..4]:nic0/1", "sw:eth[1..4]"')
        .replace("{ eth: 4 }", "{ eth: 8 }")
        .replace('"sw:eth2", "lan:p1"', '"sw:eth5", "lan:p1"'),
    );
    expect(bulk).toEqual({
      text: "t.yaml:12:1 workloads: the run would hold about 262,144 messages queued or in flight at once (most at bulk workloads' outstanding messages), more than the limit of 200,000: each is memory; lower the load or shorten the run, or raise the limits with --allow-large",
      code: 4,
    });
    const flood = refused(edit("duration: 1ms", "duration: 10s").replace("rate: 100Mbps", "rate: 1.6Tbps"));
    expect(flood.code).toBe(4);
    expect(flood.text).toContain("(most at host1:nic0/1: 1.6 Tb/s offered to a 10 Gb/s port)");
  });

  it("a run whose estimated events pass the limit: refused with the override (exit 4)", () => {
    const r = refused(edit("duration: 1ms", "duration: 3000s").replace("rate: 100Mbps", "rate: 1Gbps"));
    // Positioned at the workload that costs the most.
    expect(r.code).toBe(4);
    expect(r.text).toMatch(
      /^t\.yaml:13:5 workloads\[0\]: a run of 3000 s × 1 replication would take about [\d.]+e\d+ events \(w: [\d.]+e\d+ per replication\), more than the limit of 5\.0e8; shorten experiment\.duration or lower the load, or raise the limits with --allow-large$/,
    );
  });

  it("a billion laughs: refused at parse time", () => {
    expect(refused(billionLaughs())).toEqual({
      text: "t.yaml:1:1 (syntax): Excessive alias count indicates a resource exhaustion attack",
      code: 3,
    });
  });
});

describe("nonsense that was accepted", () => {
  it("a link from a port to itself, and from a switch to itself", () => {
    expect(refused(edit('["sw:eth2", "lan:p1"]', '["sw:eth2", "sw:eth2"]')).text).toContain(
      "t.yaml:11:9 topology.links[1].endpoints: a link cannot join sw:eth2 to itself",
    );
    expect(refused(edit('["sw:eth2", "lan:p1"]', '["sw:eth2", "sw:eth3"]')).text).toContain(
      "t.yaml:11:9 topology.links[1].endpoints: a link cannot join sw to itself (sw:eth2 to sw:eth3): a cable looped back into one device carries no traffic here",
    );
  });

  it("__proto__, constructor and prototype as keys, anywhere", () => {
    expect(refused(edit("{ eth: 4 }", "{ eth: 4, __proto__: 2 }"))).toEqual({
      text: `t.yaml:7:51 topology.nodes.sw.ports.__proto__: "__proto__" is a reserved name (it would reach JavaScript's object prototype); rename the key`,
      code: 3,
    });
    expect(refused(edit("    sw:", "    constructor:")).text).toMatch(
      /^t\.yaml:7:5 topology\.nodes\.constructor: "constructor" is a reserved name/,
    );
    expect(refused(`${BASE}prototype: 1\n`).text).toMatch(/^t\.yaml:14:1 prototype: "prototype" is a reserved name/);
  });

  it("names and references of more than 128 and 1024 characters (they would be copied into every port id and message)", () => {
    expect(refused(edit("    sw:", `    ${"s".repeat(200)}:`)).text).toMatch(
      /^t\.yaml:7:5 topology\.nodes\["s+… \(200 characters\)"\]: the node name of 200 characters is longer than 128$/m,
    );
    expect(refused(edit("name: nic0", `name: ${"n".repeat(150_000)}`)).text).toContain(
      "t.yaml:6:48 topology.nodes.host1.adapters[0].name: the adapter name of 150000 characters is longer than 128",
    );
    expect(refused(edit("to: lan", `to: ${"l".repeat(2000)}`)).text).toBe(
      "t.yaml:13:44 workloads[0].to: the reference of 2000 characters is longer than 1024",
    );
  });

  it("fractional port counts and .inf", () => {
    expect(refused(edit("{ eth: 4 }", "{ eth: 4.5 }")).text).toBe(
      "t.yaml:7:48 topology.nodes.sw.ports.eth: expected a whole number ≥ 1, got the number 4.5",
    );
    expect(refused(edit("{ eth: 4 }", "{ eth: .inf }")).text).toBe(
      "t.yaml:7:48 topology.nodes.sw.ports.eth: expected a whole number ≥ 1, got the number Infinity",
    );
  });
});

describe("other holes", () => {
  it("a fault at 1.2 ms in a run of 500 us warm-up + 1 ms: duration is the window after warm-up", () => {
    const text = `${edit("warmup: 100us", "warmup: 500us")}faults:\n  - { at: 1.2ms, action: fail, target: sw }\n`;
    const r = parseTopology(text, "t.yaml");
    expect(r.ok).toBe(true);
  });

  it("40,000 node keys: duplicates found in one linear pass, each with its first line", () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `    n${i}: { kind: lan, ports: { p: 1 } }`);
    keys.push("    n7: { kind: lan, ports: { p: 1 } }");
    const text = `name: t\ndesign: traditional\ntopology:\n  nodes:\n${keys.join("\n")}\n`;
    expect(refused(text)).toEqual({
      text: 't.yaml:40005:5 topology.nodes.n7: duplicate key "n7" (first at line 12)',
      code: 3,
    });
  });

  it("terminal escape codes and a huge scalar are echoed escaped and cut to 120 characters", () => {
    const evil = `\u001b]0;owned\u0007\u001b[2J${"x".repeat(2_000_000)}`;
    const r = refused(edit("pattern: poisson", `pattern: ${JSON.stringify(evil)}`));
    expect([...r.text].filter((c) => c !== "\n" && (c < " " || (c >= "\u007f" && c <= "\u009f")))).toEqual([]);
    expect(r.text.length).toBeLessThan(400);
    expect(r.text).toBe(
      `t.yaml:13:58 workloads[0].pattern: unknown pattern "\\u001b]0;owned\\u0007\\u001b[2J${"x".repeat(106)}… (2,000,014 characters)"; expected one of: poisson, onoff, bulk, iops`,
    );
  });
});
