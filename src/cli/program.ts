/**
 * The CLI's commands with their options, help and examples (commander). Each action
 * leaves its command's exit code for `main` (src/cli/main.ts), which maps every other
 * outcome (usage errors, interrupts, file-system refusals, bugs) to the documented codes.
 */
import { Command } from "@commander-js/extra-typings";
import { VERSION } from "../version.js";
import { blastCommand } from "./blast.js";
import { bomCommand } from "./bom.js";
import { compareCommand } from "./compare.js";
import { demo } from "./demo.js";
import { EXIT } from "./exit-codes.js";
import { expandCommand } from "./expand.js";
import { mergeCommand } from "./merge.js";
import {
  ALLOW_LARGE,
  AT_ONCE,
  count,
  EXIT_HELP,
  examples,
  FAIL_ON_MISS,
  integer,
  MAX_EVENTS,
  MAX_HEAP,
  MAX_WALL,
  MAX_WALL_WHOLE,
  mebibytes,
  seconds,
} from "./options.js";
import { declarePlan } from "./program-plan.js";
import { runCommand } from "./run.js";
import { sweepCommand } from "./sweep.js";
import { terminalSafe } from "./terminal.js";
import { validateCommand } from "./validate.js";
import { workerCommand } from "./worker.js";

/** The exit code each program's last action left (read by `main` after parsing). */
const exitCodes = new WeakMap<Command, number>();

/** The exit code `program`'s action left (ok when no action ran, e.g. help). */
export function actionExitCode(program: Command): number {
  return exitCodes.get(program) ?? EXIT.ok;
}

/** Forgets the last action's exit code (before `program` parses again). */
export function clearExitCode(program: Command): void {
  exitCodes.delete(program);
}

export function buildProgram(): Command {
  const done = (code: number) => {
    exitCodes.set(program, code);
  };
  const program = new Command()
    .name("iovsim")
    .description(
      "Discrete-event simulator of I/O virtualization fabrics (traditional, I/O director, UCS-style, MR-IOV).",
    )
    .version(VERSION)
    .showHelpAfterError("(iovsim --help lists the commands; iovsim COMMAND --help its options and examples)")
    .configureOutput({ writeErr: (s) => process.stderr.write(terminalSafe(s)) })
    // Throw instead of exiting: main() maps every outcome to the documented codes.
    .exitOverride()
    .addHelpText(
      "after",
      `${EXIT_HELP}\nStart with: iovsim plan topologies/studies/last-mile.yaml (what npm start runs). Commands and formats: docs/cli.md\n`,
    );

  program
    .command("validate")
    .description("check a topology, study, catalog or plan file: one line per problem (file:line:col path: message)")
    .argument("<file>", "topology, study, catalog or plan.json (YAML or JSON)")
    .addHelpText(
      "after",
      examples(
        ["iovsim validate topologies/ucs-rack.yaml", "iovsim validate topologies/studies/last-mile.yaml"],
        "docs/cli.md#validate",
      ),
    )
    .option("--allow-large", ALLOW_LARGE)
    .action(async (file, opts) => {
      done(await validateCommand(file, opts));
    });

  program
    .command("run")
    .description("simulate a topology: per-workload throughput, latency and loss, busiest links, SLA verdicts")
    .argument("<file>", "topology file (YAML or JSON)")
    .option("--seed <n>", "random seed (default: the file's experiment.seed)", integer("--seed", 0))
    .option(
      "--replications <n>",
      "a fixed number of independent replications (default: as many as the file's precision needs)",
      integer("--replications", 1),
    )
    .option(
      "--precision <fraction>",
      'wanted 95 % half-width of every SLA row as a fraction of its target or estimate, or "off" (default: the file\'s precision, 0.1)',
    )
    .option("--duration <time>", 'measurement window after warm-up, e.g. "50ms" (default: the file\'s)')
    .option("--json", "print the result as JSON (docs/cli.md#result-json) instead of the summary")
    .option("--out <dir>", "also write result.json into this directory (written whole; see docs/cli.md)")
    .option("--trace <file>", "write sampled message events as JSON lines")
    .option(
      "--trace-every <n>",
      "with --trace: sample every n-th message per workload (default 100)",
      integer("--trace-every", 1),
    )
    .option(
      "--failover <time>",
      'one detection + failover time for every mechanism: a time ("300ms"), "off", or "design" (default: per mechanism, docs/failover.md)',
    )
    .option("--no-fail-on-miss", FAIL_ON_MISS)
    .addHelpText(
      "after",
      examples(
        [
          "iovsim run topologies/ucs-rack.yaml",
          "iovsim run topologies/ucs-rack.yaml --replications 5 --json --out out/run",
        ],
        "docs/cli.md#run, docs/topology-format.md",
      ),
    )
    .option("--allow-large", ALLOW_LARGE)
    .option("--max-events <n>", MAX_EVENTS, count("--max-events"))
    .option("--max-wall <seconds>", MAX_WALL, seconds("--max-wall"))
    .action(async (file, opts) => {
      done(await runCommand(file, opts));
    });

  program
    .command("bom")
    .description(
      "bill of materials: adapters, cables, optics, switch ports, rack units, power and cost, from the catalog",
    )
    .argument("<file>", "topology file (YAML or JSON)")
    .option("--catalog <files...>", "extra catalog files; their entries replace built-in ones with the same id")
    .option("--json", "print the BOM as JSON")
    .option("--kwh-price <usd>", "electricity price per kWh (default: today's, catalog/cost-model.yaml)", Number)
    .option("--pue <n>", "power usage effectiveness (default: today's, catalog/cost-model.yaml)", Number)
    .option("--baseline <file>", "also show the reduction against this topology")
    .addHelpText(
      "after",
      examples(
        [
          "iovsim bom topologies/ucs-rack.yaml --baseline topologies/traditional-rack.yaml",
          "iovsim bom topologies/mriov-rack.yaml --catalog my-prices.yaml --json",
        ],
        "docs/cli.md#bom, catalog/README.md",
      ),
    )
    .action(async (file, opts) => {
      done(await bomCommand(file, opts));
    });

  program
    .command("expand")
    .description("print the explicit topology a design generator makes from a study (YAML on stdout)")
    .argument("<study>", "study file (YAML or JSON), e.g. topologies/studies/last-mile.yaml")
    .requiredOption("--design <design>", "traditional | director | ucs | mriov")
    .option("--set <param=value...>", "override a design parameter's current value, e.g. --set iomUplinks=2")
    .addHelpText(
      "after",
      examples(
        [
          "iovsim expand topologies/studies/last-mile.yaml --design ucs",
          "iovsim expand topologies/studies/last-mile.yaml --design ucs --set iomUplinks=2 > ucs-2.yaml",
        ],
        "docs/cli.md#expand, docs/study-format.md",
      ),
    )
    .action(async (study, opts) => {
      done(await expandCommand(study, opts));
    });

  declarePlan(program, done);

  program
    .command("sweep")
    .description(
      "plan a study at every point of a grid of values (OMNeT++-style iteration variables): one table and sweep.csv",
    )
    .argument("<study>", "study file (e.g. topologies/studies/last-mile.yaml)")
    .option(
      "--set <path=v1,v2...>",
      "an iteration variable: a dotted path into the study and its values, e.g. objective=tco,capex",
    )
    .option(
      "--sizes <list>",
      "site sizes n1,n2,…: the study's site scaled to n servers (every group keeps its share; as plan --sizes scales it), at most 4,096 (more with --allow-large)",
    )
    .option("--out <dir>", "directory for sweep.csv and sweep.json, written whole (default out/)")
    .option(
      "--replications <n>",
      "packet-level replications per confirmation (default 3)",
      integer("--replications", 1),
    )
    .option("--workers <n>", "worker threads (default one per core; 0: none)", integer("--workers", 0))
    .option("--force-workers", "allow more --workers than cores")
    .option("--queue <url>", "send every evaluation to a Redis job queue that `iovsim worker` processes answer")
    .option("--curve", "also plan each point's last-mile curve (off by default in a sweep)")
    .option("--allow-large", "raise the size limits a hundredfold: the study's topologies and its site sizes")
    .option("--at-once <n>", `grid points ${AT_ONCE}`, integer("--at-once", 1))
    .option("--catalog <files...>", "extra catalog files; their entries replace built-in ones with the same id")
    .option("--max-wall <seconds>", MAX_WALL_WHOLE, seconds("--max-wall"))
    .option("--max-heap <MiB>", MAX_HEAP, mebibytes("--max-heap"))
    .addHelpText(
      "after",
      examples(
        [
          "iovsim sweep topologies/studies/last-mile.yaml --set objective=tco,capex,hardware --sizes 8,16,32",
          "iovsim sweep topologies/studies/last-mile.yaml --set cost.years=3,5 --queue redis://localhost:6379",
        ],
        "docs/distributed.md#sweeps",
      ),
    )
    .action(async (study, opts) => {
      done(await sweepCommand(study, opts));
    });

  program
    .command("merge")
    .description(
      "join the shard files of `iovsim plan --shard i/n` into the plan one run writes (plan.json, reports), or those of `plan --sizes … --shard i/n` into the site-size curve",
    )
    .argument("<study>", "the study the shards planned")
    .argument("<shards...>", "every shard's shard.json, in any order")
    .option("--out <dir>", "directory for plan.json and the reports, written whole (default out/)")
    .option("--catalog <files...>", "the extra catalog files the shards were given")
    .option("--json", "print plan.json on stdout instead of the table")
    .option("--no-fail-on-miss", FAIL_ON_MISS)
    .addHelpText(
      "after",
      examples(
        [
          "for i in 1 2 3; do iovsim plan topologies/studies/last-mile.yaml --shard $i/3 --out shards/$i; done",
          "iovsim merge topologies/studies/last-mile.yaml shards/*/shard.json --out out/",
        ],
        "docs/distributed.md",
      ),
    )
    .action(async (study, shards, opts) => {
      done(await mergeCommand(study, shards, opts));
    });

  program
    .command("worker")
    .description("answer the evaluations of `iovsim plan --queue` from a Redis job queue, until Ctrl-C or SIGTERM")
    .requiredOption("--queue <url>", "the Redis server the planner enqueues on, e.g. redis://localhost:6379")
    .option("--workers <n>", "worker threads, and jobs taken at once (default: one per core)", integer("--workers", 1))
    .option(
      "--lock-seconds <s>",
      "how long a job stays locked without a renewal; after a worker dies its jobs are retried within about twice this (default 30)",
      Number,
    )
    .addHelpText(
      "after",
      examples(
        [
          "redis-server --port 6379 &",
          "iovsim worker --queue redis://localhost:6379 &   # on each machine",
          "iovsim plan topologies/studies/last-mile.yaml --queue redis://localhost:6379",
        ],
        "docs/distributed.md",
      ),
    )
    .action(async (opts) => {
      done(await workerCommand(opts));
    });

  program
    .command("compare")
    .description("run several topologies (e.g. the four reference racks) and compare hardware and SLA verdicts")
    .argument("<files...>", "topology files; the first is the baseline")
    .option("--json", "print the results as a JSON array")
    .option("--no-fail-on-miss", FAIL_ON_MISS)
    .addHelpText(
      "after",
      examples(
        [
          "iovsim compare topologies/traditional-rack.yaml topologies/ucs-rack.yaml",
          "iovsim compare topologies/*-rack.yaml --json",
        ],
        "docs/cli.md#compare",
      ),
    )
    .option("--allow-large", ALLOW_LARGE)
    .option(
      "--max-events <n>",
      "stop after about n simulated events in all: partial results, exit 4 (default 1e9)",
      count("--max-events"),
    )
    .option(
      "--max-wall <seconds>",
      "stop after this many seconds of wall time: partial results, exit 4",
      seconds("--max-wall"),
    )
    .action(async (files, opts) => {
      done(await compareCommand(files, opts));
    });

  program
    .command("blast")
    .description("fail each shared component once and rank them by blast radius and SLA impact")
    .argument("<file>", "topology file (YAML or JSON)")
    .option(
      "--failover <time>",
      'one detection + failover time for every mechanism: a time ("300ms"), "off", or "design" (default: per mechanism, docs/failover.md)',
    )
    .option("--json", "print the ranking as JSON")
    .option("--no-fail-on-miss", FAIL_ON_MISS)
    .addHelpText(
      "after",
      examples(
        ["iovsim blast topologies/mriov-rack.yaml", "iovsim blast topologies/ucs-rack.yaml --failover off --json"],
        "docs/cli.md#blast, docs/topology-format.md#faults",
      ),
    )
    .option("--allow-large", ALLOW_LARGE)
    .option(
      "--max-events <n>",
      "refuse when the runs would take more than about n events in all (default 1e9)",
      count("--max-events"),
    )
    .option(
      "--max-wall <seconds>",
      "stop between runs after this many seconds of wall time, exit 4",
      seconds("--max-wall"),
    )
    .action(async (file, opts) => {
      done(await blastCommand(file, opts));
    });

  program
    .command("demo")
    .description("kernel demonstration: M/M/1, M/D/1, M/M/4, M/G/1 and a tandem queue next to their closed forms")
    .option("--seed <n>", "random seed", integer("--seed", 0), 1)
    .option("--customers <n>", "customers per system", integer("--customers", 1000), 500_000)
    .addHelpText("after", examples(["iovsim demo", "iovsim demo --seed 7 --customers 100000"], "docs/cli.md#demo"))
    .action((opts) => {
      const progress = (line: string): void => {
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
      };
      const text = demo({ seed: opts.seed, customers: opts.customers }, progress);
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      process.stdout.write(text);
    });

  return program;
}
