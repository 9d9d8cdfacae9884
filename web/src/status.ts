/**
 * The status line and its spoken twin. The visible line shows the newest text at once;
 * a visually hidden polite live region (`role="status"`) repeats it for screen readers,
 * which read every change there, so it changes at most once a second. The newest text
 * always wins: a text set within a second of the last change is spoken when the second
 * is up.
 */
export const STATUS_INTERVAL_MS = 1000;

export class Status {
  private last = Number.NEGATIVE_INFINITY;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** The visible line and the live region (anything with a textContent: testable without a DOM). */
  constructor(
    private readonly visible: { textContent: string | null },
    private readonly el: { textContent: string | null },
  ) {}

  set(text: string): void {
    if (this.visible.textContent !== text) this.visible.textContent = text;
    const now = performance.now();
    if (now - this.last >= STATUS_INTERVAL_MS && this.timer === null) {
      this.write(text, now);
      return;
    }
    this.pending = text;
    if (this.timer === null) this.timer = setTimeout(this.flush, Math.max(0, STATUS_INTERVAL_MS - (now - this.last)));
  }

  /** Speaks the newest pending text, or waits again if the timer fired early by performance.now()
   *  (Chromium's timers and its coarsened performance.now() are different clocks: a 980 ms timer
   *  was measured firing 0.6 ms early). */
  private readonly flush = (): void => {
    this.timer = null;
    const now = performance.now();
    const wait = STATUS_INTERVAL_MS - (now - this.last);
    if (wait > 0) {
      this.timer = setTimeout(this.flush, wait);
      return;
    }
    const t = this.pending;
    this.pending = null;
    if (t !== null) this.write(t, now);
  };

  private write(text: string, now: number): void {
    this.last = now;
    if (this.el.textContent !== text) this.el.textContent = text;
  }
}
