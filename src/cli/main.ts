/**
 * `iovsim`: a thin facade over the library. Results go to stdout, progress and
 * errors to stderr. Exit codes: 0 ok, 1 runtime failure, 2 usage, 3 invalid input,
 * 130 interrupted.
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { VERSION } from "../version.js";
import { blastCommand } from "./blast.js";
import { bomCommand } from "./bom.js";
import { compareCommand } from "./compare.js";
import { demo } from "./demo.js";
import { expandCommand } from "./expand.js";
import { UsageError } from "./load.js";
import { planCommand } from "./plan.js";
import { runCommand } from "./run.js";
import { sizesCommand } from "./sizes.js";
import { validateCommand } from "./validate.js";

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

let exitCode = 0;

export function buildProgram(): Command {
  const program = new Command()
    .name("iovsim")
    .description(
      "Discrete-event simulator of I/O virtualization fabrics (traditional, I/O director, UCS-style, MR-IOV).",
    )
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride((err) => {
      process.exit(err.exitCode === 1 ? 2 : err.exitCode);
    });

  program
    .command("validate")
    .description("check a topology file: one line per problem (file:line:col path: message)")
    .argument("<file>", "topology file (YAML or JSON)")
    .action(async (file) => {
      exitCode = await validateCommand(file);
    });

  program
    .command("run")
    .description("simulate a topology: per-workload throughput, latency and loss, busiest links, SLA verdicts")
    .argument("<file>", "topology file (YAML or JSON)")
    .option("--seed <n>", "random seed (default: the file's experiment.seed)", integer("--seed", 0))
    .option("--replications <n>", "independent replications (default: the file's)", integer("--replications", 1))
    .option("--duration <time>", 'measurement window after warm-up, e.g. "50ms" (default: the file\'s)')
    .option("--json", "print the result as JSON (DESIGN.md §5) instead of the summary")
    .option("--out <dir>", "also write result.json into this directory")
    .option("--trace <file>", "write sampled message events as JSON lines")
    .option("--trace-every <n>", "sample every n-th message per workload", integer("--trace-every", 1), 100)
    .option(
      "--failover <time>",
      'one detection + failover time for every mechanism: a time ("300ms"), "off", or "design" (default: per mechanism, docs/failover.md)',
    )
    .action(async (file, opts) => {
      exitCode = await runCommand(file, opts);
    });

  program
    .command("bom")
    .description(
      "bill of materials: adapters, cables, optics, switch ports, rack units, power and cost, from the catalog",
    )
    .argument("<file>", "topology file (YAML or JSON)")
    .option("--catalog <files...>", "extra catalog files; their entries replace built-in ones with the same id")
    .option("--json", "print the BOM as JSON")
    .option("--kwh-price <usd>", "electricity price per kWh (default 0.12)", Number)
    .option("--pue <n>", "power usage effectiveness (default 1.0)", Number)
    .option("--baseline <file>", "also show the reduction against this topology")
    .action(async (file, opts) => {
      exitCode = await bomCommand(file, opts);
    });

  program
    .command("expand")
    .description("print the explicit topology a design generator makes from a study (YAML on stdout)")
    .argument("<study>", "study file (YAML or JSON), e.g. topologies/studies/last-mile.yaml")
    .requiredOption("--design <design>", "traditional | director | ucs | mriov")
    .option("--set <param=value...>", "override a design parameter's current value, e.g. --set iomUplinks=2")
    .action(async (study, opts) => {
      exitCode = await expandCommand(study, opts);
    });

  program
    .command("plan")
    .description(
      "per design, the least hardware that meets every SLA row (flow-level search, packet-level confirmation); writes plan.json",
    )
    .argument("<study>", "study file (e.g. topologies/studies/last-mile.yaml)")
    .option("--out <dir>", "directory for plan.json (default out/)")
    .option(
      "--replications <n>",
      "packet-level replications per confirmation (default 3)",
      integer("--replications", 1),
    )
    .option("--workers <n>", "worker threads for evaluations (default: one per core; 0: none)", integer("--workers", 0))
    .option("--no-curve", "skip the last-mile curve (virtualized share 60 … 100 %)")
    .option("--catalog <files...>", "extra catalog files; their entries replace built-in ones with the same id")
    .option("--json", "print plan.json on stdout instead of the table")
    .option(
      "--sizes [list]",
      "only the site-size curve: the plan at these site sizes (servers, e.g. 32,64,128,256,512; default the study's sizes) and the crossovers; writes site-size.json",
    )
    .option("--sizes-confirm", "with --sizes: confirm every size's choice at packet level (whole site; slow)")
    .action(async (study, opts) => {
      exitCode =
        opts.sizes === undefined
          ? await planCommand(study, opts)
          : await sizesCommand(study, { ...opts, sizes: opts.sizes, confirm: opts.sizesConfirm });
    });

  program
    .command("compare")
    .description("run several topologies (e.g. the four reference racks) and compare hardware and SLA verdicts")
    .argument("<files...>", "topology files; the first is the baseline")
    .option("--json", "print the results as a JSON array")
    .action(async (files, opts) => {
      exitCode = await compareCommand(files, opts);
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
    .action(async (file, opts) => {
      exitCode = await blastCommand(file, opts);
    });

  program
    .command("demo")
    .description("kernel demonstration: M/M/1, M/D/1, M/M/4, M/G/1 and a tandem queue next to their closed forms")
    .option("--seed <n>", "random seed", integer("--seed", 0), 1)
    .option("--customers <n>", "customers per system", integer("--customers", 1000), 500_000)
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

try {
  await buildProgram().parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`iovsim: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    // A failure inside the simulator is a bug: say so plainly; the stack only on request.
    process.stderr.write(`iovsim: internal error: ${(err as Error).message}\n`);
    if (process.env.IOVSIM_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    else process.stderr.write("(set IOVSIM_DEBUG=1 for the stack trace)\n");
    process.exitCode = 1;
  }
}
