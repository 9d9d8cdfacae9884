/**
 * The status line, a polite live region (`role="status"`): screen readers read what
 * changes there, so it changes at most once a second. The newest text always wins: a
 * text set within a second of the last update is shown when the second is up.
 */
export const STATUS_INTERVAL_MS = 1000;

export class Status {
  private last = Number.NEGATIVE_INFINITY;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** The element whose text is the status (anything with a textContent: testable without a DOM). */
  constructor(private readonly el: { textContent: string | null }) {}

  set(text: string): void {
    const now = performance.now();
    if (now - this.last >= STATUS_INTERVAL_MS && this.timer === null) {
      this.write(text, now);
      return;
    }
    this.pending = text;
    if (this.timer === null)
      this.timer = setTimeout(
        () => {
          this.timer = null;
          const t = this.pending;
          this.pending = null;
          if (t !== null) this.write(t, performance.now());
        },
        Math.max(0, STATUS_INTERVAL_MS - (now - this.last)),
      );
  }

  private write(text: string, now: number): void {
    this.last = now;
    if (this.el.textContent !== text) this.el.textContent = text;
  }
}
