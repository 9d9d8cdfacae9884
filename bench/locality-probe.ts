/**
 * Does the packet level's cost per event grow with the site, or with the work in flight?
 * One packet-level window (as the scaling bench measures it, `packetRow`) of a site of `hosts`
 * servers of which only the first `active` run workloads (bench/site.ts, `active`): the idle
 * hosts keep their adapters, cables and switch ports, so the network, its routing tables and the
 * heap are the large site's, while the events, the ports they touch and the pending-event set
 * are the small site's. Equal costs per event at (4,096, 128) and (128, 128) put the growth on
 * the working set, not on anything sized by the site (docs/scaling.md, "Site or working set").
 *
 * Beside the row, `holdNsPerEvent`: the kernel's hold model (bench/kernel-models.ts) with as many
 * events pending as the window ended with, ns of CPU per event on the main thread: what the event queue
 * alone costs at that size, with nothing else competing for the caches.
 *
 * `node --expose-gc dist/bench/locality-probe.js DESIGN HOSTS ACTIVE [WINDOW] [WARMUP]`: the
 * window defaults to the scaling bench's for `ACTIVE` hosts (`windowAt(8, ACTIVE)`), the warm-up
 * to 2 ms. Prints one JSON row.
 */
import { fileURLToPath } from "node:url";
import type { Design } from "../src/topology/types.js";
import { holdKernel } from "./kernel-models.js";
import { packetRow, windowAt } from "./scaling.js";
import { elapsed, threadCpuSeconds } from "./thread-cpu.js";

/** ns of this thread's CPU per event of the hold model with `pending` events pending (null off Linux). */
export function holdNsPerEvent(pending: number, events = 10_000_000): number | null {
  const model = holdKernel(pending);
  model.run(Math.min(events, 2_000_000)); // compiled, and the queue's times spread as they will stay
  const c0 = threadCpuSeconds();
  model.run(events);
  const cpu = elapsed(c0, threadCpuSeconds());
  return cpu === null ? null : (cpu / events) * 1e9;
}

function main(): void {
  const [design, hostsArg, activeArg, window, warmup] = process.argv.slice(2);
  const hosts = Number(hostsArg);
  const active = Number(activeArg ?? hostsArg);
  if (design === undefined || !Number.isInteger(hosts) || !Number.isInteger(active)) {
    process.stderr.write("usage: locality-probe DESIGN HOSTS ACTIVE [WINDOW] [WARMUP]\n");
    process.exit(2);
  }
  const row = packetRow(design as Design, hosts, warmup ?? "2ms", window ?? windowAt(8, active), active);
  const hold = row.pendingEvents === null ? null : holdNsPerEvent(row.pendingEvents);
  process.stdout.write(`${JSON.stringify({ active, ...row, holdNsPerEvent: hold })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
