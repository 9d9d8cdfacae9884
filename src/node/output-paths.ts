/**
 * Output paths: the one-line refusal a command exits 2 with, and the checks
 * every output target gets before any work (`output-file.ts`, `output-set.ts`).
 */

import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";

/** An output path that cannot be used: a usage error (exit 2), said in one line. */
export class OutputError extends Error {}

export function errno(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function reason(e: unknown): string {
  switch (errno(e)) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "ENOENT":
      return "no such file or directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EISDIR":
      return "is a directory";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** The parent directory of `target` exists, is a directory, and this process may create entries in it. */
export async function checkParent(flag: string, target: string, parent: string): Promise<void> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(parent);
  } catch (e) {
    throw new OutputError(
      errno(e) === "ENOENT" || errno(e) === "ENOTDIR"
        ? `${flag} ${target}: the directory ${parent} does not exist`
        : `${flag} ${target}: cannot use ${parent}: ${reason(e)}`,
    );
  }
  if (!s.isDirectory()) throw new OutputError(`${flag} ${target}: ${parent} is not a directory`);
  try {
    await access(parent, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new OutputError(`${flag} ${target}: cannot write in ${parent}: ${reason(e)}`);
  }
}
