/**
 * Ctrl-C for long commands, and the temporaries they must not leave behind.
 *
 * - The first SIGINT (or SIGTERM) only sets a flag: the command notices it
 *   between slices of work (`check()`), removes its temporaries and exits 130,
 *   leaving the previous output in place.
 * - A second one while work is still running removes the temporaries at once
 *   and exits 130 (the user insists); inside a commit (the few renames that put
 *   an output set in place) it waits for the commit, which takes milliseconds.
 *   So does the first, when the command has not noticed it within GRACE_MS: a
 *   command waiting on something that does not come (a job queue without
 *   workers, a server gone) still stops, as a batch scheduler's SIGTERM expects.
 * - Every temporary is registered; whatever is left at process exit (an error,
 *   `process.exit`) is removed synchronously.
 * - With `IOVSIM_READY` in the environment, `ready(stage)` prints
 *   `IOVSIM_READY <stage>` on stderr once the handlers are in place, so a test
 *   (or a supervisor) can signal the process without guessing when it is ready.
 */

import { rmSync } from "node:fs";

/** Thrown by `check()` after Ctrl-C; the command's caller turns it into exit 130. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

const temporaries = new Set<string>();
let exitHookInstalled = false;

function removeTemporariesSync(): void {
  for (const path of temporaries) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Best effort at exit: nothing else can be done about a file that will not go.
    }
  }
  temporaries.clear();
}

/** Registers a temporary file or directory: removed on any exit path unless `release`d first. */
export function trackTemporary(path: string): void {
  if (!exitHookInstalled) {
    process.on("exit", removeTemporariesSync);
    exitHookInstalled = true;
  }
  temporaries.add(path);
}

/** The temporary was renamed into place or removed by its owner. */
export function releaseTemporary(path: string): void {
  temporaries.delete(path);
}

/** The temporaries still registered (for tests). */
export function pendingTemporaries(): readonly string[] {
  return [...temporaries];
}

export interface InterruptScope {
  /** True once Ctrl-C (or SIGTERM) arrived. */
  readonly requested: boolean;
  /** Throws `Interrupted` when Ctrl-C arrived. */
  check(): void;
  /** `IOVSIM_READY <stage>` on stderr when the environment asks for it. */
  ready(stage: string): void;
  /** Runs `fn` with a second Ctrl-C held back until it ends (a commit of renames). */
  critical<T>(fn: () => Promise<T>): Promise<T>;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * How long the first signal waits for the command to notice it. Local work checks between jobs of a
 * second or so. Well inside what batch schedulers allow between SIGTERM and SIGKILL by default: 30 s
 * (Kubernetes, the Pod's `terminationGracePeriodSeconds`; Slurm, `KillWait` in slurm.conf(5); both
 * from their reference documentation, high confidence).
 */
export const GRACE_MS = 5000;

/**
 * Runs `fn` with Ctrl-C handled as above; the handlers are removed when it ends.
 * Scopes do not nest (one command per process).
 */
export async function withInterrupts<T>(fn: (scope: InterruptScope) => Promise<T>): Promise<T> {
  let requested = false;
  let inCritical = 0;
  let forced = false;
  const hardExit = (): void => {
    removeTemporariesSync();
    process.stderr.write("\niovsim: interrupted; nothing written (temporaries removed, previous output kept)\n");
    process.exit(130);
  };
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (): void => {
    if (requested && inCritical === 0) hardExit();
    if (requested) forced = true;
    requested = true;
    grace ??= setTimeout(() => {
      if (inCritical === 0) hardExit();
      forced = true;
    }, GRACE_MS);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const scope: InterruptScope = {
    get requested() {
      return requested;
    },
    check() {
      if (requested) throw new Interrupted();
    },
    ready(stage) {
      if (process.env.IOVSIM_READY !== undefined) process.stderr.write(`IOVSIM_READY ${stage}\n`);
    },
    async critical(body) {
      inCritical++;
      try {
        return await body();
      } finally {
        inCritical--;
        if (forced && inCritical === 0) hardExit();
      }
    },
  };
  try {
    return await fn(scope);
  } finally {
    clearTimeout(grace);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
