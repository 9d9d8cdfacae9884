/**
 * `iovsim`: a thin facade over the library. Results go to stdout, progress and
 * errors to stderr. Exit codes: `exit-codes.ts` (README "Exit codes"). The
 * commands are declared in `program.ts`.
 */
import { type Command, CommanderError } from "@commander-js/extra-typings";
import { Interrupted } from "../node/interrupt.js";
import { OutputError } from "../node/output-set.js";
import { EXIT } from "./exit-codes.js";
import { internalErrorReport } from "./internal-error.js";
import { UsageError } from "./load.js";
import { actionExitCode, buildProgram, clearExitCode } from "./program.js";
import { printErr } from "./terminal.js";

export { buildProgram } from "./program.js";

function errnoOf(err: unknown): { code: string; path: string | null } | null {
  const e = err as { code?: unknown; path?: unknown } | null;
  if (typeof e?.code !== "string" || !/^E[A-Z]+$/.test(e.code)) return null;
  return { code: e.code, path: typeof e.path === "string" ? e.path : null };
}

/** File-system refusals that are about the user's paths or machine, not a bug. */
const USER_ERRNO: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EEXIST: "already exists",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EMFILE: "too many open files",
};

/**
 * Runs the CLI on `argv` (`process.argv` shape) and returns the exit code
 * (README "Exit codes"); never throws.
 */
export async function main(argv: readonly string[], program: Command = buildProgram()): Promise<number> {
  clearExitCode(program);
  try {
    await program.parseAsync([...argv]);
    return actionExitCode(program);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with code 0; every parse error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof OutputError) {
      printErr(`iovsim: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof Interrupted) {
      printErr("iovsim: interrupted; nothing written (temporaries removed, previous output kept)\n");
      return EXIT.interrupted;
    }
    const fsError = errnoOf(err);
    if (fsError !== null && USER_ERRNO[fsError.code] !== undefined) {
      printErr(`iovsim: ${fsError.path ?? "a file"}: ${USER_ERRNO[fsError.code]}\n`);
      return EXIT.usage;
    }
    // Anything else is a bug: say so plainly; the stack only on request.
    process.stderr.write(internalErrorReport(err, argv, process.env.IOVSIM_DEBUG !== undefined));
    return EXIT.internal;
  }
}
