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
 * `node dist/bench/cache-probe.js DESIGN HOSTS ACTIVE [--window=2.1ms] [--ll=1048576]`: one JSON
 * line with events, instructions, data references, L1d and last-level misses per event. Needs
 * `valgrind` (Debian package) on the PATH.
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

async function parent(design: string, hosts: number, active: number, window: string, ll: number): Promise<void> {
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
      process.execPath,
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
  execFileSync("callgrind_control", ["-i", "on", readFileSync(join(dir, "ready"), "utf8")], { stdio: "ignore" });
  writeFileSync(join(dir, "go"), "");
  await exited;
  const { events, pending } = JSON.parse(readFileSync(join(dir, "done"), "utf8")) as {
    events: number;
    pending: number;
  };
  const t = callgrindTotals(readFileSync(out, "utf8"));
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
  };
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
      process.stderr.write("usage: cache-probe DESIGN HOSTS ACTIVE [--window=2.1ms] [--ll=BYTES]\n");
      process.exit(2);
    }
    await parent(design, hosts, active, opt("window") ?? "2.1ms", Number(opt("ll") ?? 1048576));
  }
}
