/**
 * `iovsim merge STUDY SHARD.json… [--out DIR] [--catalog …] [--json]`: joins the
 * shard files of `iovsim plan --shard i/n` (one per shard, any order) into the
 * plan a single `iovsim plan` writes (plan.json and its reports; timing fields
 * aside). Exit codes as `plan`'s; 3 when the shards do not make one plan
 * (missing or repeated shards, another study, catalog, version or settings).
 */
import { readFile } from "node:fs/promises";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { withInterrupts } from "../node/interrupt.js";
import { openOutputDir } from "../node/output-set.js";
import { MergeError, mergeShards, type ShardFile } from "../planner/shard.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { loadStudyOrExit } from "./load.js";
import { PLAN_FILES, writePlanSet } from "./plan.js";
import { printErr } from "./terminal.js";

export interface MergeCommandOptions {
  out?: string | undefined;
  catalog?: string[] | undefined;
  json?: boolean | undefined;
  failOnMiss?: boolean | undefined;
}

export async function mergeCommand(study: string, shards: string[], opts: MergeCommandOptions): Promise<ExitCode> {
  return withInterrupts(async (scope) => {
    const outDir = await openOutputDir("--out", opts.out ?? "out", "iovsim merge", PLAN_FILES);
    try {
      const loaded = await loadStudyOrExit(study);
      if (loaded === null) return EXIT.invalidInput;
      const catalog = await loadCatalog(opts.catalog ?? []);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
        return EXIT.invalidInput;
      }
      const files: ShardFile[] = [];
      for (const file of shards) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readFile(file, "utf8"));
        } catch (e) {
          printErr(`${file}:1:1 (top): not a readable shard file (${(e as Error).message}); nothing written\n`);
          return EXIT.invalidInput;
        }
        if (parsed === null || typeof parsed !== "object" || (parsed as ShardFile).kind !== "iovsim-plan-shard") {
          printErr(`${file}:1:1 kind: expected "iovsim-plan-shard" (a file of iovsim plan --shard); nothing written\n`);
          return EXIT.invalidInput;
        }
        files.push(parsed as ShardFile);
      }
      let result: ReturnType<typeof mergeShards>;
      try {
        result = mergeShards(loaded, catalog.catalog, files);
      } catch (e) {
        if (!(e instanceof MergeError)) throw e;
        printErr(`iovsim merge: ${e.message}; nothing written\n`);
        return EXIT.invalidInput;
      }
      scope.check();
      return await writePlanSet(result, outDir, scope, opts, null);
    } finally {
      await outDir.release();
    }
  });
}
