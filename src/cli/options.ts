/** Option parsers and help texts shared by the CLI's commands (src/cli/program.ts). */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { EXIT_CODE_TABLE } from "./exit-codes.js";

export function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

/** A positive count written as an integer or in exponent form (`1e9`). */
export function count(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, e.g. 1e9`);
    return n;
  };
}

/** Seconds above 0 (`90`, `1.5`). */
export function seconds(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number of seconds above 0`);
    return n;
  };
}

export function mebibytes(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a whole number of MiB above 0`);
    return n;
  };
}

/** Budget options (src/run/budget.ts; docs/topology-format.md#size-limits-and-run-budgets). */
export const ALLOW_LARGE = "raise the size limits (nodes, ports, VMs, links, instances, events) a hundredfold";
export const MAX_EVENTS = "stop after about n simulated events: a partial, labelled result, exit 4 (default 1e9)";
export const MAX_WALL = "stop after this many seconds of wall time: a partial, labelled result, exit 4 (default: none)";
/** `--at-once`'s help, after what is planned side by side (sweep points, site-size searches). */
export const AT_ONCE =
  "planned side by side (default: the worker threads + 1; on a queue, the threads of the workers listening + 1, counted again every 2 s): each holds its candidates until it ends, so fewer use less memory and more keep more workers busy; the answer is the same";
/** `plan` and `sweep`: a budget that stops the whole answer, which is then not written. */
export const MAX_WALL_WHOLE = "stop after this many seconds of wall time: nothing written, exit 4";
export const MAX_HEAP =
  "stop when the planner thread's live heap passes this many MiB: nothing written, exit 4 (default: 80 % of its heap limit)";

/** "Examples:" and the doc to read, under a command's --help. */
export function examples(lines: readonly string[], doc: string): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n\nMore: ${doc}\n`;
}

export const EXIT_HELP = `\nExit codes:\n${EXIT_CODE_TABLE.map(([code, what]) => `  ${String(code).padStart(3)}  ${what}`).join("\n")}\n`;

export const FAIL_ON_MISS = "exit 0 even when a verdict is missed (report only; default: exit 1)";
