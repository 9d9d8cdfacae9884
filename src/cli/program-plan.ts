/** The `plan` command's declaration: its options, help and examples (src/cli/program.ts declares the others). */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "./load.js";
import {
  AT_ONCE,
  count,
  examples,
  FAIL_ON_MISS,
  integer,
  MAX_HEAP,
  MAX_WALL_WHOLE,
  mebibytes,
  seconds,
} from "./options.js";
import { planCommand } from "./plan.js";
import { sizesCommand } from "./sizes.js";

/** Adds `plan` to `program`; its action hands its exit code to `done`. */
export function declarePlan(program: Command, done: (code: number) => void): void {
  program
    .command("plan")
    .description(
      "per design, the least hardware that meets every SLA row (flow-level search, packet-level confirmation); writes plan.json and its reports",
    )
    .argument("<study>", "study file (e.g. topologies/studies/last-mile.yaml)")
    .option("--out <dir>", "directory for plan.json and the reports, written whole (default out/)")
    .option(
      "--replications <n>",
      "a fixed number of packet-level replications per confirmation (default: the study's precision, from 3)",
      integer("--replications", 1),
    )
    .option(
      "--precision <fraction>",
      'wanted 95 % half-width of every SLA row at packet level, as a fraction of its target or estimate, or "off" (default: the study\'s, 0.1)',
    )
    .option(
      "--workers <n>",
      "worker threads for evaluations (default and most: one per core; 0: none)",
      integer("--workers", 0),
    )
    .option("--force-workers", "allow more --workers than cores (each takes its own memory; usually slower)")
    .option(
      "--queue <url>",
      "send every evaluation to a Redis job queue (redis://host:port) that `iovsim worker` processes answer",
    )
    .option(
      "--shard <i/n>",
      "run only shard i of n of the plan's searches (with --sizes: of the site-size curve's) and write shard.json into --out (join them with iovsim merge)",
    )
    .option("--no-curve", "skip the last-mile curve (virtualized share 60 … 100 %)")
    .option("--catalog <files...>", "extra catalog files; their entries replace built-in ones with the same id")
    .option("--json", "print plan.json on stdout instead of the table")
    .option(
      "--sizes [list]",
      "only the site-size curve: the plan at these site sizes (servers, e.g. 32,64,128,256,512; default the study's sizes) and the crossovers; writes site-size.json and site-size.csv",
    )
    .option("--sizes-confirm", "with --sizes: confirm every size's choice at packet level (whole site; slow)")
    .option(
      "--sizes-budget <n>",
      "with --sizes: flow-level evaluations per size and design before a search gives up (default 300; a 512-server site needs more)",
      count("--sizes-budget"),
    )
    .option("--at-once <n>", `with --sizes: (size, design) searches ${AT_ONCE}`, integer("--at-once", 1))
    .option("--no-fail-on-miss", FAIL_ON_MISS)
    .addHelpText(
      "after",
      examples(
        [
          "iovsim plan topologies/studies/last-mile.yaml --out out/",
          "iovsim plan topologies/studies/last-mile.yaml --no-curve --replications 5 --workers 1",
          "iovsim plan topologies/studies/last-mile.yaml --queue redis://localhost:6379   # with iovsim worker running",
          "iovsim plan topologies/studies/last-mile.yaml --sizes 32,64,128 --out out/sizes",
        ],
        "docs/cli.md#plan, docs/study-format.md, docs/plan-format.md",
      ),
    )
    .option(
      "--allow-large",
      "raise the size limits a hundredfold: the study's topologies and its site sizes (4,096 servers without it)",
    )
    .option("--max-wall <seconds>", MAX_WALL_WHOLE, seconds("--max-wall"))
    .option("--max-heap <MiB>", MAX_HEAP, mebibytes("--max-heap"))
    .action(async (study, opts) => {
      // An option the chosen command does not read would change nothing, silently: refused instead.
      const given = (options: [string, unknown][]) => options.filter(([, v]) => v !== undefined).map(([name]) => name);
      const sizesOnly = given([
        ["--sizes-confirm", opts.sizesConfirm],
        ["--sizes-budget", opts.sizesBudget],
        ["--at-once", opts.atOnce],
      ]);
      if (opts.sizes === undefined && sizesOnly.length > 0)
        throw new UsageError(`${sizesOnly.join(", ")}: only with --sizes (the site-size curve)`);
      const planOnly = given([
        ["--precision", opts.precision],
        ["--replications", opts.sizesConfirm === true ? undefined : opts.replications],
      ]);
      if (opts.sizes !== undefined && planOnly.length > 0)
        throw new UsageError(
          `${planOnly.join(", ")}: not with --sizes (the curve is flow level; --sizes-confirm confirms each size at packet level with --replications and the study's precision)`,
        );
      done(
        opts.sizes === undefined
          ? await planCommand(study, opts)
          : await sizesCommand(study, {
              ...opts,
              sizes: opts.sizes,
              confirm: opts.sizesConfirm,
              flowBudget: opts.sizesBudget,
              replications: opts.replications,
            }),
      );
    });
}
