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

/** Resolves at the next turn of the event loop, so SIGINT handlers get to run between slices of work. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
