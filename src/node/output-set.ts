/**
 * Output directories written as a whole set, and single output files written
 * whole. A reader (or a later run) finds either the complete previous set or
 * the complete new one: never a mix, never a temporary.
 *
 * How a set is written (`openOutputDir` … `commit`):
 * 1. Before any work: the target is checked (its parent exists and is
 *    writable; the target is a directory or absent) and a lock is taken: a file
 *    `.NAME.iovsim-lock` beside the directory, created atomically (written
 *    whole, then hard-linked into place). A second run into the same directory
 *    refuses at once and names the holder, rather than waiting: a plan takes
 *    minutes, a silent wait looks like a hang, and the later run would replace
 *    the earlier one's files anyway. A lock whose process is gone is stale and
 *    taken over.
 * 2. The files go into `.NAME.PID.new.tmp` beside the target.
 * 3. The commit (held against a second Ctrl-C; milliseconds): entries in the
 *    old directory that are not this command's (another command's results, a
 *    `run --out out/run` inside a plan's `out/`, a user's notes) are
 *    hard-linked into the new one, subdirectories as trees of links; files of
 *    this command's set that the new run does not write (a curve from an
 *    earlier plan) are dropped; then the old directory is renamed aside, the
 *    new one into place, and the old one removed. Between the two renames the
 *    directory is absent for an instant: a reader sees no set rather than a
 *    mixed one. A directory of more than `MAX_CARRIED` entries (a home, a
 *    source tree) or one holding the current directory is refused up front.
 * Temporaries and the lock are removed on every exit path (see interrupt.ts).
 * A run killed outright (SIGKILL) between the renames leaves the previous set
 * in `.NAME.PID.old.tmp`; the next run into the directory puts it back.
 */

import type { Dirent } from "node:fs";
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type InterruptScope, releaseTemporary, trackTemporary } from "./interrupt.js";
import { alive, held, holdsLock, readLock, releaseLock, takeLock } from "./output-lock.js";
import { checkParent, errno, OutputError, reason } from "./output-paths.js";

export { OutputError } from "./output-paths.js";

export interface OutputFileContent {
  readonly name: string;
  readonly content: string;
}

export interface OutputDir {
  /** The directory as the user named it. */
  readonly path: string;
  /**
   * Writes `files` as the directory's new set (see the file comment). Ctrl-C
   * before the renames throws `Interrupted` and leaves the old set; after
   * that the commit completes.
   */
  commit(files: readonly OutputFileContent[], scope: InterruptScope): Promise<void>;
  /** Removes the lock and any temporary; call on every path (a `finally`). */
  release(): Promise<void>;
}

/** The pid in a temporary's name `.NAME.PID.(new|old|lock).tmp`, or null when it is not one of ours. */
function temporaryPid(entry: string, base: string): { pid: number; kind: "new" | "old" | "lock" } | null {
  const prefix = `.${base}.`;
  if (!entry.startsWith(prefix)) return null;
  const m = /^(\d+)\.(new|old|lock)\.tmp$/.exec(entry.slice(prefix.length));
  return m === null ? null : { pid: Number(m[1]), kind: m[2] as "new" | "old" | "lock" };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if (errno(e) === "ENOENT") return false;
    throw e;
  }
}

/** Beyond this many entries a directory is not an output directory (a home, a source tree): refused. */
export const MAX_CARRIED = 1000;

/** An iovsim lock or temporary (of this directory or of a run writing into a subdirectory). */
function iovsimDebris(name: string): boolean {
  return name.startsWith(".") && (name.endsWith(".iovsim-lock") || name.endsWith(".tmp"));
}

/**
 * What an existing output directory may hold: at most `MAX_CARRIED` entries (they are
 * carried into the new one), not the current directory, no other run writing inside it.
 */
async function checkContents(flag: string, dir: string, target: string): Promise<void> {
  const cwd = resolve(process.cwd());
  if (cwd.startsWith(`${target}/`))
    throw new OutputError(`${flag} ${dir}: holds the current directory; give a directory of its own, e.g. out/`);
  let count = 0;
  const walk = async (at: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch (e) {
      throw new OutputError(`${flag} ${dir}: cannot read ${at}: ${reason(e)}`);
    }
    for (const e of entries) {
      if (++count > MAX_CARRIED)
        throw new OutputError(
          `${flag} ${dir}: holds more than ${MAX_CARRIED} files; iovsim replaces its output directory as a whole (keeping what else is there), so give a directory of its own, e.g. out/`,
        );
      if (e.name.endsWith(".iovsim-lock")) {
        const holder = await readLock(join(at, e.name));
        if (held(holder))
          throw new OutputError(
            `${flag} ${dir}: another iovsim (\`${holder.command}\`, pid ${holder.pid}) is writing inside it; wait for it to finish`,
          );
      }
      if (e.isDirectory()) await walk(join(at, e.name));
    }
  };
  await walk(target);
}

/** A copy of the tree `from` at `to` made of hard links (a copy where the file system has none). */
async function linkTree(from: string, to: string): Promise<void> {
  const s = await lstat(from);
  if (s.isDirectory()) {
    await mkdir(to);
    for (const name of await readdir(from)) if (!iovsimDebris(name)) await linkTree(join(from, name), join(to, name));
  } else if (s.isSymbolicLink()) await symlink(await readlink(from), to);
  else if (s.isFile()) await link(from, to).catch(() => copyFile(from, to));
  // Sockets, FIFOs and devices are not output: left behind.
}

/**
 * Checks `--out DIR` and takes its lock, before any work. `setNames` are every
 * file the command may write there (its set); `command` names it in the lock.
 */
export async function openOutputDir(
  flag: string,
  dir: string,
  command: string,
  setNames: readonly string[],
): Promise<OutputDir> {
  let target = resolve(dir);
  if (target === resolve(process.cwd()) || target === dirname(target))
    throw new OutputError(
      `${flag} ${dir}: iovsim replaces its output directory as a whole; give a directory of its own, e.g. out/`,
    );
  let existing: Awaited<ReturnType<typeof lstat>> | null = null;
  try {
    existing = await lstat(target);
    if (existing.isSymbolicLink()) {
      // Replace the directory the link points to, not the link.
      target = await realpath(target);
      existing = await lstat(target);
    }
  } catch (e) {
    if (errno(e) !== "ENOENT") throw new OutputError(`${flag} ${dir}: ${reason(e)}`);
    existing = null;
  }
  if (existing !== null && !existing.isDirectory())
    throw new OutputError(`${flag} ${dir}: exists and is not a directory; give a directory (it is created if absent)`);
  const parent = dirname(target);
  const base = basename(target);
  await checkParent(flag, dir, parent);
  if (existing !== null) await checkContents(flag, dir, target);

  const lockPath = await takeLock(flag, dir, parent, base, command);

  // Debris of a run killed outright: put a set renamed aside back, remove the rest.
  for (const entry of await readdir(parent)) {
    const t = temporaryPid(entry, base);
    if (t === null || (t.pid !== process.pid && alive(t.pid))) continue;
    const path = join(parent, entry);
    if (t.kind === "old" && !(await exists(target))) await rename(path, target);
    else await rm(path, { recursive: true, force: true });
  }

  const fresh = join(parent, `.${base}.${process.pid}.new.tmp`);
  const aside = join(parent, `.${base}.${process.pid}.old.tmp`);
  const ours = new Set(setNames);
  let released = false;
  return {
    path: dir,
    async commit(files, scope) {
      trackTemporary(fresh);
      await rm(fresh, { recursive: true, force: true });
      await mkdir(fresh);
      try {
        for (const f of files) {
          scope.check();
          await writeFile(join(fresh, f.name), f.content);
        }
        scope.check();
      } catch (e) {
        await rm(fresh, { recursive: true, force: true });
        releaseTemporary(fresh);
        if (errno(e) !== undefined) throw new OutputError(`${flag} ${dir}: cannot write: ${reason(e)}`);
        throw e;
      }
      await scope.critical(async () => {
        if (!(await holdsLock(lockPath)))
          throw new OutputError(`${flag} ${dir}: lost its lock ${lockPath} to another run; nothing written`);
        try {
          if (await exists(target)) {
            const written = new Set(files.map((f) => f.name));
            for (const entry of await readdir(target)) {
              if (ours.has(entry) || written.has(entry) || iovsimDebris(entry)) continue;
              await linkTree(join(target, entry), join(fresh, entry));
            }
            trackTemporary(aside);
            await rename(target, aside);
            await rename(fresh, target);
            releaseTemporary(fresh);
            await rm(aside, { recursive: true, force: true });
            releaseTemporary(aside);
          } else {
            await rename(fresh, target);
            releaseTemporary(fresh);
          }
        } catch (e) {
          // Put the old set back if it was moved aside; drop the new one.
          if ((await exists(aside)) && !(await exists(target))) await rename(aside, target);
          await rm(fresh, { recursive: true, force: true });
          releaseTemporary(fresh);
          releaseTemporary(aside);
          throw new OutputError(`${flag} ${dir}: cannot replace it: ${reason(e)}; the previous contents are kept`);
        }
      });
    },
    async release() {
      if (released) return;
      released = true;
      await rm(fresh, { recursive: true, force: true });
      releaseTemporary(fresh);
      await releaseLock(lockPath);
    },
  };
}
