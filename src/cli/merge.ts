/**
 * `iovsim merge STUDY SHARD.json… [--out DIR] [--catalog …] [--json]`: joins the
 * shard files of `iovsim plan --shard i/n` (one per shard, any order) into the
 * plan a single `iovsim plan` writes (plan.json and its reports; timing fields
 * aside), or those of `iovsim plan --sizes … --shard i/n` into the site-size curve
 * (site-size.json, site-size.csv). Exit codes as `plan`'s; 3 when the shards do not make one plan
 * (missing or repeated shards, another study, catalog, version or settings).
 */
import { readFile } from "node:fs/promises";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { withInterrupts } from "../node/interrupt.js";
import { openOutputDir } from "../node/output-set.js";
import { MergeError, mergeShards, type ShardFile } from "../planner/shard.js";
import { mergeSizesShards, type SizesShardFile } from "../planner/sizes-shard.js";
import { parseYaml } from "../topology/document.js";
import { LARGE_LIMITS } from "../topology/size.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { loadStudyOrCode } from "./load.js";
import { PLAN_FILES, writePlanSet } from "./plan.js";
import { SIZES_FILES, writeSizesSet } from "./sizes.js";
import { printErr } from "./terminal.js";

export interface MergeCommandOptions {
  out?: string | undefined;
  catalog?: string[] | undefined;
  json?: boolean | undefined;
  failOnMiss?: boolean | undefined;
}

type AnyShard = ShardFile | SizesShardFile;
const KINDS = ["iovsim-plan-shard", "iovsim-sizes-shard"];

/** Every shard file parsed, or a message naming the first that is not one (`file:1:1 …`). */
async function readShards(shards: readonly string[]): Promise<AnyShard[] | string> {
  const files: AnyShard[] = [];
  for (const file of shards) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      return `${file}:1:1 (top): not a readable shard file (${(e as Error).message}); nothing written\n`;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      // JSON.parse names no place; the YAML parser (JSON is YAML) finds where the text breaks, when it does.
      const yaml = parseYaml(text, file);
      const at = yaml.ok ? "1:1" : `${yaml.issues[0]!.line}:${yaml.issues[0]!.col}`;
      return `${file}:${at} (syntax): not a shard file, not JSON (${(e as Error).message}); nothing written\n`;
    }
    const kind = parsed === null || typeof parsed !== "object" ? undefined : (parsed as AnyShard).kind;
    if (kind === undefined || !KINDS.includes(kind))
      return `${file}:1:1 kind: expected "iovsim-plan-shard" or "iovsim-sizes-shard" (a file of iovsim plan --shard); nothing written\n`;
    if (files.length > 0 && kind !== files[0]!.kind)
      return `${file}:1:1 kind: expected "${files[0]!.kind}" like ${shards[0]}, got "${kind}" (plan and site-size shards do not merge); nothing written\n`;
    files.push(parsed as AnyShard);
  }
  return files;
}

export async function mergeCommand(study: string, shards: string[], opts: MergeCommandOptions): Promise<ExitCode> {
  return withInterrupts(async (scope) => {
    // The shards' kind says which set is written (a plan's, or a site-size curve's).
    const files = await readShards(shards);
    if (typeof files === "string") {
      printErr(files);
      return EXIT.invalidInput;
    }
    const sizes = files[0]?.kind === "iovsim-sizes-shard";
    const outDir = await openOutputDir("--out", opts.out ?? "out", "iovsim merge", sizes ? SIZES_FILES : PLAN_FILES);
    try {
      // The shards' own limits were checked when they ran (a shard of an 8,192-server curve ran with
      // --allow-large); joining them builds nothing, so the study is read under the raised limits.
      const loaded = await loadStudyOrCode(study, LARGE_LIMITS);
      if (typeof loaded === "number") return loaded;
      const catalog = await loadCatalog(opts.catalog ?? []);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
        return EXIT.invalidInput;
      }
      try {
        if (sizes) {
          const curve = mergeSizesShards(loaded, catalog.catalog, files as SizesShardFile[]);
          scope.check();
          return await writeSizesSet(curve, outDir, scope, opts);
        }
        const result = mergeShards(loaded, catalog.catalog, files as ShardFile[]);
        scope.check();
        return await writePlanSet(result, outDir, scope, opts, null);
      } catch (e) {
        if (!(e instanceof MergeError)) throw e;
        printErr(`iovsim merge: ${e.message}; nothing written\n`);
        return EXIT.invalidInput;
      }
    } finally {
      await outDir.release();
    }
  });
}
