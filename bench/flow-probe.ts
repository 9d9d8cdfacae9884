/**
 * One flow-level evaluation of a site (MR-IOV unless a design is given): CPU per phase (network build, flows and
 * routes, solve), peak RSS and a hash of the result, to compare an engine change's
 * answers and cost. With `--fail`, also the hashes of a fresh evaluation with the site's
 * busiest shared node failed (its ports `routingDown`) and of `FlowModel.withDown` for it.
 * The network is the flow-only build (`buildFlowNetwork`) unless `--full` asks for the
 * packet-level one (`buildNetwork`), to compare the two.
 * `--site-cache=DIR` keeps the generated site in DIR (v8-serialized, `site-<hosts>-<design>.bin`)
 * and reads it from there next time: the evaluation then runs in a process whose heap holds
 * the topology only, and paired runs of two builds skip the 20–30 CPU s of generating the site.
 * The CPU is the process's (every thread); `threads` splits it, on Linux, between the main
 * thread and the others (V8's optimizing compiler and garbage-collector helpers): thread-cpu.ts.
 * `--repeat=N` evaluates the site N − 1 more times in the same process (a fresh network and model
 * each time) and gives their CPU, the main thread's apart: the planner's later evaluations, with
 * the code already compiled and the wire tables cached.
 * `--as-planner` evaluates in a worker thread with the planner pool's young generation
 * (`POOL_YOUNG_GENERATION_MB`, src/node/pool-evaluator.ts), where the planner's flow-level
 * evaluations run; without it, on the main thread with V8's default (16 MiB semi-spaces).
 * `threads.main` is then the evaluating worker thread's CPU, `others` the rest of the process.
 * `--study` evaluates what `plan --sizes` meets instead of the tiled site: the built-in study scaled to
 * the size (`scaleStudy`, its workloads spanning the site) and the design's first candidate the generator
 * builds (cached as `study-<servers>-<design>.bin`).
 * `node dist/bench/flow-probe.js [hosts] [design] [--fail] [--full] [--site-cache=DIR] [--repeat=N] [--as-planner] [--study]`.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import { isMainThread, Worker } from "node:worker_threads";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { loadCatalog } from "../src/catalog/read-files.js";
import { FlowModel } from "../src/flow/index.js";
import { buildNetwork, type RoutedNetwork } from "../src/network/build.js";
import { buildFlowNetwork } from "../src/network/flow-network.js";
import type { AnyPort } from "../src/network/port-view.js";
import { POOL_YOUNG_GENERATION_MB } from "../src/node/pool-evaluator.js";
import { faultPorts } from "../src/run/fault-targets.js";
import type { Design, ResolvedTopology } from "../src/topology/types.js";
import { firstCandidate, scaledStudy, sharedNode, siteTopology } from "./site.js";
import { processCpuSeconds as cpu, threadCpuSeconds } from "./thread-cpu.js";

if (isMainThread && process.argv.includes("--as-planner")) {
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2).filter((a) => a !== "--as-planner"),
    resourceLimits: { maxYoungGenerationSizeMb: POOL_YOUNG_GENERATION_MB },
  });
  worker.on("exit", (code) => {
    process.exitCode = code;
  });
} else await probe();

async function probe(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const n = Number(args[0] ?? 128);
  const design = (args[1] ?? "mriov") as Design;
  const fail = process.argv.includes("--fail");
  const full = process.argv.includes("--full");
  const cacheDir = process.argv.find((a) => a.startsWith("--site-cache="))?.slice("--site-cache=".length);
  const study = process.argv.includes("--study");
  const cached = cacheDir === undefined ? null : `${cacheDir}/${study ? "study" : "site"}-${n}-${design}.bin`;
  const repeat = Number(process.argv.find((a) => a.startsWith("--repeat="))?.slice("--repeat=".length) ?? 1);
  let topology: ResolvedTopology;
  if (cached !== null && existsSync(cached)) topology = deserialize(readFileSync(cached)) as ResolvedTopology;
  else {
    topology = study ? await studySite(n, design) : siteTopology(design, { servers: n }).topology;
    if (cached !== null) writeFileSync(cached, serialize(topology));
  }
  const rssTopology = Math.round(process.memoryUsage().rss / 2 ** 20);
  const hash = (x: unknown): string =>
    createHash("sha256")
      .update(JSON.stringify(x, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)))
      .digest("hex")
      .slice(0, 16);
  const build = (): RoutedNetwork<AnyPort> =>
    full
      ? buildNetwork(topology, new Simulation(), new RandomStreams(topology.experiment.seed, 0), () => {})
      : buildFlowNetwork(topology);
  /** CPU seconds of the main thread and of the process's other threads (Linux; null elsewhere). */
  function threadCpu(): { main: number; others: number } | null {
    const main = threadCpuSeconds();
    return main === null ? null : { main, others: cpu() - main };
  }
  // PROF=file: a CPU profile of the evaluation alone (not the site's generation).
  const session = process.env.PROF ? new (await import("node:inspector/promises")).Session() : null;
  if (session !== null) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: Number(process.env.PROF_US ?? 1000) });
    await session.post("Profiler.start");
  }
  const t0 = threadCpu();
  const c0 = cpu();
  const net = build();
  const c1 = cpu();
  const m = new FlowModel(topology, { network: net });
  const c2 = cpu();
  const r = m.result();
  const c3 = cpu();
  const t1 = threadCpu();
  const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  if (session !== null) {
    const { profile } = await session.post("Profiler.stop");
    (await import("node:fs")).writeFileSync(process.env.PROF!, JSON.stringify(profile));
  }
  if (process.env.DUMP)
    (await import("node:fs")).writeFileSync(
      process.env.DUMP,
      JSON.stringify({ ...r, wallSeconds: 0, phases: null }, null, 1),
    );

  /** CPU of each later evaluation (`--repeat`), and whether it gave the same answer. */
  const later: Array<{ total: number; main: number | null; same: boolean }> = [];
  for (let k = 1; k < repeat; k++) {
    const ta = threadCpu();
    const a = cpu();
    const again = new FlowModel(topology, { network: build() }).result();
    const tb = threadCpu();
    later.push({
      total: +(cpu() - a).toFixed(3),
      main: ta === null || tb === null ? null : +(tb.main - ta.main).toFixed(2),
      same: hash({ ...again, wallSeconds: 0, phases: null }) === hash({ ...r, wallSeconds: 0, phases: null }),
    });
  }

  let failed: { node: string; fresh: string; withDown: string } | null = null;
  if (fail) {
    const node = sharedNode(topology);
    const target = { kind: "node" as const, node };
    const down = build();
    for (const p of faultPorts(topology, down.fabric, target)) p.routingDown = true;
    down.invalidateRoutes();
    const fresh = new FlowModel(topology, { network: down }).result();
    const inc = m.withDown(faultPorts(topology, net.fabric, target));
    failed = { node, fresh: hash(fresh.workloads), withDown: hash(inc.workloads) };
  }
  console.log(
    JSON.stringify({
      n,
      design,
      build: full ? "full" : "flow-only",
      cpu: {
        build: +(c1 - c0).toFixed(3),
        flows: +(c2 - c1).toFixed(3),
        solve: +(c3 - c2).toFixed(3),
        total: +(c3 - c0).toFixed(3),
      },
      threads:
        t0 === null || t1 === null
          ? null
          : { main: +(t1.main - t0.main).toFixed(2), others: +(t1.others - t0.others).toFixed(2) },
      ...(later.length > 0 ? { later } : {}),
      flows: r.flows,
      ports: net.fabric.ports.length,
      hash: hash({ ...r, wallSeconds: 0, phases: null }),
      failed,
      rssTopologyMiB: rssTopology,
      rssMiB,
    }),
  );
}

/** The built-in study scaled to `n` servers and `design`'s first candidate (as `plan --sizes` meets it). */
async function studySite(n: number, design: Design): Promise<ResolvedTopology> {
  const catalog = await loadCatalog();
  if (!catalog.ok) throw new Error("the built-in catalog does not load");
  return firstCandidate(scaledStudy(n), design, catalog.catalog).topo;
}
