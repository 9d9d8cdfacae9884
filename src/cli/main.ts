/**
 * `iovsim`: a thin facade over the library. Results go to stdout, progress and
 * errors to stderr. Exit codes: 0 ok, 1 runtime failure, 2 usage, 3 invalid input.
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { VERSION } from "../version.js";
import { demo } from "./demo.js";

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name("iovsim")
    .description(
      "Discrete-event simulator of I/O virtualization fabrics (traditional, I/O director, UCS-style, MR-IOV).",
    )
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

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

await buildProgram().parseAsync(process.argv);
