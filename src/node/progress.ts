import cliProgress from "cli-progress";

/** A progress bar on stderr (drawn only on a terminal: pipes and CI logs stay clean). */
export function progressBar(
  label: string,
  total: number,
): { update(value: number): void; setTotal(total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} {unit}`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { unit: "" });
  return {
    update: (value) => bar.update(value),
    setTotal: (t) => bar.setTotal(t),
    stop: () => bar.stop(),
  };
}

const FRAMES = ["|", "/", "-", "\\"];

/**
 * A spinner with counts on stderr, for work whose total is not known before it
 * ends (the planner's search stops at the first configuration that meets): the
 * elapsed time and what has been done so far, never a percentage that would
 * have to grow its total. Redrawn at most ten times a second; terminal only.
 */
export function statusLine(label: string): { update(text: string): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const started = performance.now();
  let last = 0;
  let frame = 0;
  let shown = false;
  return {
    update(text) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      frame = (frame + 1) % FRAMES.length;
      const elapsed = `${Math.round((now - started) / 1000)} s`;
      const line = `${label} ${FRAMES[frame]} ${elapsed}  ${text}`;
      const width = process.stderr.columns ?? 80;
      process.stderr.write(`\r\x1b[K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
      shown = true;
    },
    stop() {
      if (shown) process.stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** Resolves at the next turn of the event loop, so SIGINT handlers get to run between slices of work. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
