import { VERSION } from "../version.js";
import { clip, escapeControls } from "./terminal.js";

/** Where a bug in iovsim is reported (README.md, "Reporting a bug": the repository's issue tracker). */
export const ISSUES_URL = 'the issue tracker of the repository you got iovsim from (README.md, "Reporting a bug")';

/**
 * The short report of a bug in iovsim (exit 70): what failed, the version and
 * platform, how to get the stack, where to file it. Only for errors that are
 * not the user's doing: bad input and unusable paths have their own messages.
 */
export function internalErrorReport(err: unknown, argv: readonly string[], debug: boolean): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const command = ["iovsim", ...argv.slice(2)].map((a) => clip(a, 80)).join(" ");
  const lines = [
    `iovsim: internal error — a bug in iovsim, not a problem with your input: ${clip(message, 300)}`,
    `  command: ${command}`,
    `  iovsim ${VERSION}, Node ${process.version}, ${process.platform} ${process.arch}`,
    debug && err instanceof Error && err.stack !== undefined
      ? err.stack
      : "  for the stack trace run it again with IOVSIM_DEBUG=1 in the environment",
    `  please report it (the command, the input files, and this text) to ${ISSUES_URL}`,
  ];
  return `${escapeControls(lines.join("\n"))}\n`;
}
