/**
 * Cache misses per event of one packet-level window, counted by a simulated cache: Valgrind's
 * callgrind (`--cache-sim=yes`) runs a child that builds the site (`bench/site.ts` with the
 * scaling bench's `PACKET_SITE`, `active` of its hosts running workloads), runs a throwaway small
 * site and the warm-up, then waits; the parent switches callgrind's instrumentation on
 * (`callgrind_control -i on`) and lets the window run. The counts cover the window alone (and
 * whatever V8's compiler threads do in it), so they do not depend on the machine's load or on
 * its hardware counters, which this virtual machine does not expose (docs/scaling.md).
 *
 * Callgrind simulates a first-level data cache and one last level: `--ll` sets its size (1 MiB,
 * one core's L2 here; 32 MiB, the L3). Under Valgrind a run is about a hundred times slower: a
 * 4,096-host site takes minutes to build, a 2 ms window at 1,024 hosts about a minute.
 *
 * `--by-function` also puts the misses on JavaScript functions: callgrind records costs per
 * instruction address (`--dump-instr=yes`) and Node writes each compiled function's address range to
 * `/tmp/perf-<pid>.map` (`--perf-basic-prof`; where code was replaced at an address, the later entry
 * counts). Under Valgrind V8's compiler threads run slowly, so part of a window may run in baseline
 * code (`^` in the names) that a real run has long optimized (`*`).
 *
 * `node dist/bench/cache-probe.js DESIGN HOSTS ACTIVE [--window=2.1ms] [--ll=1048576] [--by-function]`:
 * one JSON line with events, instructions, data references, L1d and last-level misses per event
 * (and the 20 functions with the most last-level misses). Needs `valgrind` (Debian package) on the PATH.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Replication } from "../src/run/replication.js";
import type { Design } from "../src/topology/types.js";
import { PACKET_SITE } from "./scaling.js";
import { siteTopology } from "./site.js";

/** The child, under Valgrind: build, warm up, wait for `go`, run the window, write `done`. */
async function child(design: Design, hosts: number, active: number, window: string, dir: string): Promise<void> {
  const warm = siteTopology(design, { ...PACKET_SITE, servers: 64, warmup: "0.2ms", duration: "0.5ms" }).topology;
  const w = new Replication(warm, 0);
  w.advanceTo(w.endTicks);
  const { topology } = siteTopology(design, {
    ...PACKET_SITE,
    servers: hosts,
    active,
    warmup: "2ms",
    duration: window,
  });
  const rep = new Replication(topology, 0);
  rep.advanceTo(topology.experiment.warmupTicks);
  writeFileSync(join(dir, "ready"), String(process.pid));
  // Keep running (callgrind reads its commands while the program runs) until the parent says go.
  while (!existsSync(join(dir, "go"))) await new Promise((r) => setTimeout(r, 20));
  const e0 = rep.sim.events;
  rep.advanceTo(rep.endTicks);
  writeFileSync(join(dir, "done"), JSON.stringify({ events: rep.sim.events - e0, pending: rep.sim.pending }));
  process.exit(0);
}

/** The `totals:` line of a callgrind output with `--cache-sim=yes`, by event name. */
export function callgrindTotals(text: string): Record<string, number> {
  const names = /^events: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/);
  const totals = /^totals: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (names === undefined || totals === undefined) throw new Error("callgrind output without events and totals");
  return Object.fromEntries(names.map((n, i) => [n, totals[i] ?? 0]));
}

/** A perf map's entries (`start size name`, hex), sorted by start; `order` is the line, later lines replace earlier code. */
interface CodeRange {
  readonly start: number;
  readonly end: number;
  readonly order: number;
  readonly name: string;
}

export function perfMap(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  text.split("\n").forEach((line, order) => {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line);
    if (m === null) return;
    const start = Number.parseInt(m[1]!, 16);
    ranges.push({ start, end: start + Number.parseInt(m[2]!, 16), order, name: m[3]! });
  });
  return ranges.sort((a, b) => a.start - b.start || a.order - b.order);
}

/** The function whose code held `address` last (searching back over at most 400 ranges), or null. */
export function functionAt(ranges: readonly CodeRange[], address: number): string | null {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.start <= address) lo = mid + 1;
    else hi = mid;
  }
  let best: CodeRange | null = null;
  for (let j = lo - 1, k = 0; j >= 0 && k < 400; j--, k++) {
    const r = ranges[j]!;
    if (address < r.end && (best === null || r.order > best.order)) best = r;
  }
  return best?.name ?? null;
}

/**
 * Last-level misses by function from a callgrind output with `positions: instr line`: code with a
 * symbol keeps callgrind's name, code without (V8's) is named by the perf map. Call lines' inclusive
 * costs are skipped (they would count a callee's misses again).
 */
export function missesByFunction(text: string, ranges: readonly CodeRange[]): Map<string, number> {
  const names = new Map<string, string>();
  const byAddress = new Map<number, number>();
  const out = new Map<string, number>();
  let fn = "?";
  let address = 0;
  let skip = false;
  let ll: number[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("events:")) {
      const ev = line.slice(7).trim().split(/\s+/);
      ll = [ev.indexOf("DLmr"), ev.indexOf("DLmw")];
      continue;
    }
    const f = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
    if (f !== null) {
      if (f[2] !== undefined) names.set(f[1]!, f[2]);
      if (line.startsWith("fn=")) fn = names.get(f[1]!) ?? "?";
      continue;
    }
    if (line.startsWith("calls=")) {
      skip = true;
      continue;
    }
    if (!/^[0-9+\-*]/.test(line)) continue;
    const parts = line.trim().split(/\s+/);
    const p = parts[0]!;
    if (p.startsWith("0x")) address = Number.parseInt(p, 16);
    else if (p[0] === "+" || p[0] === "-") {
      const d = p.slice(1).startsWith("0x") ? Number.parseInt(p.slice(1), 16) : Number(p.slice(1));
      address += p[0] === "+" ? d : -d;
    } else if (p !== "*") address = Number(p);
    if (skip) {
      skip = false;
      continue;
    }
    const misses = ll.reduce((a, i) => a + (i >= 0 ? Number(parts[2 + i] ?? 0) : 0), 0);
    if (misses === 0) continue;
    if (fn === "?" || fn === "???" || fn.startsWith("0x"))
      byAddress.set(address, (byAddress.get(address) ?? 0) + misses);
    else out.set(fn, (out.get(fn) ?? 0) + misses);
  }
  for (const [a, m] of byAddress) {
    const name = functionAt(ranges, a) ?? "(unknown code)";
    out.set(name, (out.get(name) ?? 0) + m);
  }
  return out;
}

async function parent(
  design: string,
  hosts: number,
  active: number,
  window: string,
  ll: number,
  byFunction: boolean,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "iovsim-cache-"));
  const out = join(dir, "callgrind.out");
  const vg = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--instr-atstart=no",
      "--cache-sim=yes",
      "--smc-check=all-non-file", // V8 writes the code it runs
      "--I1=32768,8,64",
      "--D1=32768,8,64",
      `--LL=${ll},16,64`,
      `--callgrind-out-file=${out}`,
      ...(byFunction ? ["--dump-instr=yes"] : []),
      process.execPath,
      ...(byFunction ? ["--perf-basic-prof"] : []),
      fileURLToPath(import.meta.url),
      "--child",
      design,
      String(hosts),
      String(active),
      window,
      dir,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  vg.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => vg.on("close", resolve));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!existsSync(join(dir, "ready"))) {
    if (gone) throw new Error(`the child under valgrind ended before its window:\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const pid = readFileSync(join(dir, "ready"), "utf8");
  execFileSync("callgrind_control", ["-i", "on", pid], { stdio: "ignore" });
  writeFileSync(join(dir, "go"), "");
  await exited;
  if (!existsSync(join(dir, "done")))
    throw new Error(`the child under valgrind ended in its window:\n${stderr.slice(-2000)}`);
  const { events, pending } = JSON.parse(readFileSync(join(dir, "done"), "utf8")) as {
    events: number;
    pending: number;
  };
  const text = readFileSync(out, "utf8");
  const t = callgrindTotals(text);
  const per = (x: number) => +(x / events).toFixed(2);
  const row = {
    design,
    hosts,
    active,
    window,
    lastLevelBytes: ll,
    events,
    pending,
    instructionsPerEvent: per(t.Ir ?? 0),
    dataRefsPerEvent: per((t.Dr ?? 0) + (t.Dw ?? 0)),
    l1dMissesPerEvent: per((t.D1mr ?? 0) + (t.D1mw ?? 0)),
    lastLevelMissesPerEvent: per((t.DLmr ?? 0) + (t.DLmw ?? 0)),
    byFunction: null as Record<string, number> | null,
  };
  if (byFunction) {
    const map = `/tmp/perf-${pid}.map`;
    const misses = missesByFunction(text, perfMap(readFileSync(map, "utf8")));
    rmSync(map, { force: true });
    row.byFunction = Object.fromEntries(
      [...misses]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([name, m]) => [name, per(m)]),
    );
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    const [, design, hosts, active, window, dir] = args;
    await child(design as Design, Number(hosts), Number(active), window!, dir!);
  } else {
    const [design, hostsArg, activeArg] = args.filter((a) => !a.startsWith("--"));
    const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    const hosts = Number(hostsArg);
    const active = Number(activeArg ?? hostsArg);
    if (design === undefined || !Number.isInteger(hosts) || !Number.isInteger(active)) {
      process.stderr.write("usage: cache-probe DESIGN HOSTS ACTIVE [--window=2.1ms] [--ll=BYTES] [--by-function]\n");
      process.exit(2);
    }
    await parent(
      design,
      hosts,
      active,
      opt("window") ?? "2.1ms",
      Number(opt("ll") ?? 1048576),
      args.includes("--by-function"),
    );
  }
}
