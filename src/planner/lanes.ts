/**
 * A few pieces of work at a time: `run(i)` for every i in [0, count), started in
 * order, at most `width` running at once. The first failure stops new starts and is
 * thrown once the running ones end. Used where each piece holds much memory until it
 * ends (a site size's search, a sweep point's plan) and a few side by side keep the
 * workers busy; each piece's answer depends only on its own jobs, so the width
 * changes nothing but the time.
 *
 * A width given as a function is read again whenever a piece ends and every
 * `RECHECK_MS` (queue workers that join a running sweep widen it; fewer listening
 * narrow it as pieces end: nothing running is stopped).
 */
export async function inLanes(
  count: number,
  width: number | (() => number),
  run: (index: number) => Promise<void>,
): Promise<void> {
  const widthNow = typeof width === "function" ? () => Math.max(1, width()) : () => Math.max(1, width);
  let next = 0;
  let running = 0;
  let failed = false;
  let failure: unknown;
  let timer: ReturnType<typeof setInterval> | undefined;
  await new Promise<void>((resolve, reject) => {
    const settle = (): void => {
      if (running > 0 || (!failed && next < count)) return;
      if (timer !== undefined) clearInterval(timer);
      if (failed) reject(failure);
      else resolve();
    };
    const ended = (): void => {
      running--;
      fill();
      settle();
    };
    const fail = (e: unknown): void => {
      if (!failed) {
        failed = true;
        failure = e;
      }
      ended();
    };
    const fill = (): void => {
      while (!failed && next < count && running < widthNow()) {
        running++;
        const i = next++;
        let piece: Promise<void>;
        try {
          piece = run(i);
        } catch (e) {
          fail(e);
          return;
        }
        piece.then(ended, fail);
      }
    };
    if (typeof width === "function") {
      timer = setInterval(fill, RECHECK_MS);
      // A waiting sweep is kept alive by its pieces' own work, not by this check.
      (timer as { unref?: () => void }).unref?.();
    }
    fill();
    settle();
  });
}

/** How often a width given as a function is read while nothing ends. */
export const RECHECK_MS = 1000;
