/**
 * A single output file written whole (`run --trace FILE`): into a temporary
 * beside it, renamed into place at the end, removed on any other exit path.
 */

import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { releaseTemporary, trackTemporary } from "./interrupt.js";
import { checkParent, errno, OutputError, reason } from "./output-paths.js";

/** A file written whole: into a temporary beside it, renamed into place by `finish`. */
export interface OutputFile {
  readonly path: string;
  /** Appends text (buffered; errors surface in `finish`). */
  write(text: string): void;
  /** Closes the temporary and renames it into place; throws `OutputError` when writing failed. */
  finish(): Promise<void>;
  /** Closes and removes the temporary (an error or Ctrl-C): the previous file stays. */
  abort(): Promise<void>;
}

/** Checks a file target (`--trace FILE`) before any work: no directory, an existing writable parent. */
export async function checkOutputFile(flag: string, path: string): Promise<void> {
  let existing: Awaited<ReturnType<typeof stat>> | null = null;
  try {
    existing = await stat(path);
  } catch (e) {
    if (errno(e) !== "ENOENT") throw new OutputError(`${flag} ${path}: ${reason(e)}`);
  }
  if (existing?.isDirectory())
    throw new OutputError(`${flag} ${path}: is a directory; give a file name, e.g. ${join(path, "trace.jsonl")}`);
  if (existing !== null && !existing.isFile())
    throw new OutputError(`${flag} ${path}: not a regular file; give a file name`);
  await checkParent(flag, path, dirname(resolve(path)));
}

/** Opens a file target written whole (call `checkOutputFile` first, before any work). */
export function openOutputFile(flag: string, path: string): OutputFile {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  trackTemporary(tmp);
  const stream: WriteStream = createWriteStream(tmp);
  let failure: unknown = null;
  // Without a listener, a stream error is an uncaught exception with a Node stack trace.
  stream.on("error", (e) => {
    failure ??= e;
  });
  const close = () =>
    new Promise<void>((done) => {
      if (stream.closed || stream.destroyed) done();
      else stream.end(() => done());
    });
  return {
    path,
    write(text) {
      if (failure === null) stream.write(text);
    },
    async finish() {
      await close();
      if (failure === null) {
        try {
          await rename(tmp, path);
        } catch (e) {
          failure = e;
        }
      }
      if (failure !== null) {
        await rm(tmp, { force: true });
        releaseTemporary(tmp);
        throw new OutputError(`${flag} ${path}: cannot write: ${reason(failure)}`);
      }
      releaseTemporary(tmp);
    },
    async abort() {
      stream.destroy();
      await rm(tmp, { force: true });
      releaseTemporary(tmp);
    },
  };
}
