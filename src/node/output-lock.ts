/**
 * The lock on an output directory: `.NAME.iovsim-lock` beside it, written whole
 * into a temporary and hard-linked into place (the link fails when a lock
 * exists). A second run refuses at once and names the holder; a lock whose
 * process has ended is taken over.
 */

import { link, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { releaseTemporary, trackTemporary } from "./interrupt.js";
import { errno, OutputError, reason } from "./output-paths.js";

export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started: string;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === "EPERM";
  }
}

export async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, "utf8")) as Partial<LockInfo>;
    if (typeof info.pid !== "number" || typeof info.host !== "string") return null;
    return {
      pid: info.pid,
      host: info.host,
      command: String(info.command ?? "iovsim"),
      started: String(info.started ?? "?"),
    };
  } catch {
    return null;
  }
}

/** Another process on this machine holds it (a lock from another host counts as held: its pid means nothing here). */
export function held(info: LockInfo | null): info is LockInfo {
  return info !== null && (info.host !== hostname() || (info.pid !== process.pid && alive(info.pid)));
}

/** Takes the lock of `parent/base` for `command`; returns its path. Throws `OutputError` when another run holds it. */
export async function takeLock(
  flag: string,
  dir: string,
  parent: string,
  base: string,
  command: string,
): Promise<string> {
  const lockPath = join(parent, `.${base}.iovsim-lock`);
  const info: LockInfo = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  const lockTmp = join(parent, `.${base}.${process.pid}.lock.tmp`);
  trackTemporary(lockTmp);
  await writeFile(lockTmp, JSON.stringify(info));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(lockTmp, lockPath);
        trackTemporary(lockPath);
        break;
      } catch (e) {
        if (errno(e) !== "EEXIST")
          throw new OutputError(`${flag} ${dir}: cannot take its lock ${lockPath}: ${reason(e)}`);
        const holder = await readLock(lockPath);
        if (held(holder) || attempt > 0) {
          const who =
            holder === null
              ? "another iovsim"
              : `another iovsim (\`${holder.command}\`, pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}, since ${holder.started})`;
          throw new OutputError(
            `${flag} ${dir}: in use by ${who}; wait for it to finish or choose another directory (if no iovsim is running, remove ${lockPath})`,
          );
        }
        // Stale: its process is gone (or the file is unreadable). Take it over once.
        await rm(lockPath, { force: true });
      }
    }
  } finally {
    await rm(lockTmp, { force: true });
    releaseTemporary(lockTmp);
  }

  return lockPath;
}

/** True when this process holds the lock at `lockPath`. */
export async function holdsLock(lockPath: string): Promise<boolean> {
  const mine = await readLock(lockPath);
  return mine !== null && mine.pid === process.pid && mine.host === hostname();
}

/** Removes the lock if this process holds it. */
export async function releaseLock(lockPath: string): Promise<void> {
  if (await holdsLock(lockPath)) await unlink(lockPath).catch(() => {});
  releaseTemporary(lockPath);
}
