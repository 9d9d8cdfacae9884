/**
 * The exit codes of `iovsim`: a contract a pipeline can gate on (README "Exit
 * codes", `docs/cli.md`). Library code throws typed errors or returns issues;
 * only `src/cli` picks a code.
 */

export const EXIT = {
  /** Success, and every verdict the command gives is met. */
  ok: 0,
  /**
   * The answer is "no": an SLA row missed or undecided (`run`, `compare`), a
   * single-failure verdict missed (`blast`), a design without a configuration
   * that meets every row (`plan`). `--no-fail-on-miss` reports and exits 0.
   */
  missed: 1,
  /** Usage: an unknown command or option, a bad option value, an output path that cannot be used. */
  usage: 2,
  /** Invalid input: a topology, study, catalog or plan file with problems (`file:line:col path: message`). */
  invalidInput: 3,
  /** A budget hit (size, events, wall time): the result is partial and labelled so. */
  budget: 4,
  /** A bug in iovsim (never a user mistake): a short report and where to file it. */
  internal: 70,
  /** Interrupted (Ctrl-C); the output directory holds its previous contents. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table printed by `iovsim --help` and kept equal to the README's by a test. */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCode, string])[] = [
  [EXIT.ok, "success; every verdict met"],
  [EXIT.missed, "a verdict missed or undecided (run, compare: an SLA row; blast: survive; plan: a design)"],
  [EXIT.usage, "usage: unknown option, bad value, --out/--trace unusable or in use by another run"],
  [EXIT.invalidInput, "invalid input file: one line per problem, file:line:col path: message"],
  [EXIT.budget, "a budget hit: partial, labelled result"],
  [EXIT.internal, "internal error (a bug): a short report and where to file it"],
  [EXIT.interrupted, "interrupted (Ctrl-C): temporaries removed, the previous output kept"],
];

/** `--no-fail-on-miss` turns a miss into a report only. */
export function verdictExit(allMet: boolean, failOnMiss: boolean | undefined): ExitCode {
  return allMet || failOnMiss === false ? EXIT.ok : EXIT.missed;
}
