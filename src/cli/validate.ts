import { DEFAULT_LIMITS, LARGE_LIMITS } from "../topology/size.js";
import { loadOrExit } from "./load.js";

/** `iovsim validate FILE`: exit 0 and a one-line summary, or 3 (4: past a size limit) and one line per problem. */
export async function validateCommand(file: string, opts: { allowLarge?: boolean } = {}): Promise<number> {
  const topo = await loadOrExit(file, opts.allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS);
  if (typeof topo === "number") return topo;
  const instances = topo.workloads.reduce((a, w) => a + w.instances.length, 0);
  process.stdout.write(
    `${file}: ok — ${topo.name} (${topo.design}): ${topo.nodes.length} nodes, ${topo.links.length} links, ` +
      `${topo.workloads.length} workloads (${instances} instances), ${topo.sla.length} SLA rows\n`,
  );
  return 0;
}
