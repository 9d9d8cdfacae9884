/**
 * A second worker for work that runs to the end without a picture: the what-if
 * panel's two runs (as loaded, and changed) and a study's flow-level plan (lesson 6).
 * Kept apart from the simulation worker so the run on screen keeps going meanwhile.
 * The built-in catalog is bundled (its YAML files, `?raw`), as the CLI reads it.
 */
import { buildCatalog } from "../../src/catalog/parse.js";
import type { Catalog } from "../../src/catalog/types.js";
import { parseStudy } from "../../src/study/index.js";
import { formatIssues } from "../../src/topology/issues.js";
import type { BatchRequest, BatchResponse } from "./batch.js";
import { planAtFlowLevel, runToEnd } from "./lessons/evaluate.js";

declare const self: DedicatedWorkerGlobalScope;

const catalogFiles = import.meta.glob("../../catalog/*.yaml", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

let catalog: Catalog | null = null;
function builtinCatalog(): Catalog {
  if (catalog !== null) return catalog;
  const sources = Object.entries(catalogFiles)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, text]) => ({ file: `catalog/${path.split("/").at(-1)}`, text }));
  const r = buildCatalog(sources);
  if (!r.ok) throw new Error(`the built-in catalog does not load: ${r.issues.map((i) => i.message).join("; ")}`);
  catalog = r.catalog;
  return catalog;
}

const post = (m: BatchResponse): void => self.postMessage(m);

self.onmessage = async (e: MessageEvent<BatchRequest>) => {
  const m = e.data;
  const t0 = performance.now();
  try {
    if (m.type === "run") {
      const result = runToEnd(m.topo, m.failoverTicks, m.seed);
      post({ type: "run", id: m.id, result, wallSeconds: (performance.now() - t0) / 1000 });
    } else {
      const s = parseStudy(m.text, m.file);
      if (!s.ok) throw new Error(formatIssues(s.issues));
      const plan = await planAtFlowLevel(s.study, builtinCatalog());
      post({ type: "plan", id: m.id, plan, wallSeconds: (performance.now() - t0) / 1000 });
    }
  } catch (err) {
    post({ type: "error", id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
};
