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

/** Where a status line goes and how it reads the clock (tests give their own). */
export interface StatusOptions {
  readonly stream?: Pick<NodeJS.WriteStream, "write"> & { readonly isTTY?: boolean; readonly columns?: number };
  readonly now?: () => number;
  /** Off a terminal: one plain line per this many ms (default a minute). */
  readonly logEveryMs?: number;
}

/**
 * A spinner with counts on stderr, for work whose total is not known before it
 * ends (the planner's search stops at the first configuration that meets): the
 * elapsed time and what has been done so far, never a percentage that would
 * have to grow its total. On a terminal it is redrawn at most ten times a second.
 * In a pipe or a batch job's log (a site-size curve runs for an hour) it is a plain
 * line a minute, so the log shows the run alive without filling up.
 */
export function statusLine(label: string, options: StatusOptions = {}): { update(text: string): void; stop(): void } {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const every = tty ? 100 : (options.logEveryMs ?? 60_000);
  const started = now();
  let last = started;
  let frame = 0;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - last < every) return;
      last = t;
      const elapsed = `${Math.round((t - started) / 1000)} s`;
      if (!tty) {
        stream.write(`${label}: ${elapsed}  ${text}\n`);
        return;
      }
      frame = (frame + 1) % FRAMES.length;
      const line = `${label} ${FRAMES[frame]} ${elapsed}  ${text}`;
      const width = stream.columns ?? 80;
      stream.write(`\r\x1b[K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
      shown = true;
    },
    stop() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** Resolves at the next turn of the event loop, so SIGINT handlers get to run between slices of work. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
