/**
 * Sampled transfers moving along their links: every SAMPLE_EVERY-th message, traced
 * hop by hop in the worker (sampler.ts), replayed here. Simulated time runs far faster
 * than the picture, so the replay is schematic in time but true in path: a message's
 * first hop starts where its begin time falls within the snapshot's span of simulated
 * time (spread over one snapshot period), and each following hop starts when the
 * previous one has crossed its link, HOP_MS later. Drawn on a canvas over the SVG:
 * repainting a few hundred dots every frame is far cheaper there than moving SVG
 * elements (no style or layout work per dot).
 */
import type { Point } from "./ports.js";

/** Wall time a dot takes to cross one link. */
const HOP_MS = 350;
/** Dots drawn at most at once. */
const MAX_DOTS = 400;

interface Moving {
  readonly from: Point;
  readonly to: Point;
  /** Wall clock (ms) when it leaves `from`. */
  readonly start: number;
}

export class TransferAnimation {
  private raf = 0;
  private active = false;
  private moving: Moving[] = [];
  /** Simulated time (ticks) of the previous snapshot: the start of the next one's span. */
  private lastNow = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** The SVG drawn under the canvas, and the width of its viewBox (to scale points). */
    private readonly svg: SVGSVGElement,
    private readonly viewWidth: number,
    /** Where a port's link direction is drawn (null: not drawn). */
    private readonly segment: (port: number) => { from: Point; to: Point } | null,
    /** Wall ms between snapshots. */
    private readonly periodMs: number,
  ) {}

  /** Queues the hops of a snapshot ([port, begin, end, message id] each) taken at simulated time `now`. */
  add(hops: readonly number[], now: number, wallNow: number = performance.now()): void {
    const span = Math.max(1, now - this.lastNow);
    const from = this.lastNow;
    this.lastNow = now;
    this.moving = this.moving.filter((m) => wallNow - m.start < HOP_MS);
    const next = new Map<number, number>();
    for (let i = 0; i + 3 < hops.length && this.moving.length < MAX_DOTS; i += 4) {
      const seg = this.segment(hops[i]!);
      const id = hops[i + 3]!;
      const first = wallNow + (Math.min(span, Math.max(0, hops[i + 1]! - from)) / span) * this.periodMs;
      const start = next.get(id) ?? first;
      next.set(id, start + (seg === null ? 0 : HOP_MS));
      if (seg !== null) this.moving.push({ from: seg.from, to: seg.to, start });
    }
    this.canvas.dataset.sampled = String(Number(this.canvas.dataset.sampled ?? 0) + hops.length / 4);
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    const tick = (t: number): void => {
      if (!this.active) return;
      this.frame(t);
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  /** Stops moving; the dots stay where they are (a paused run shows its last picture). */
  stop(): void {
    this.active = false;
    cancelAnimationFrame(this.raf);
  }

  /** Removes the dots; `forget` also resets the count of sampled hops (`data-sampled`: a new topology). */
  clear(forget = false): void {
    this.stop();
    this.moving = [];
    this.lastNow = 0;
    if (forget) delete this.canvas.dataset.sampled;
    this.canvas.getContext("2d")?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private frame(t: number): void {
    const c = this.canvas;
    const w = this.svg.clientWidth;
    const h = this.svg.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    const ctx = c.getContext("2d");
    if (ctx === null) return;
    const scale = (w / this.viewWidth) * dpr;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, this.viewWidth, c.height / scale);
    ctx.fillStyle = "rgba(11, 99, 206, 0.85)";
    for (const m of this.moving) {
      const s = (t - m.start) / HOP_MS;
      if (s < 0 || s > 1) continue;
      ctx.fillRect(m.from.x + (m.to.x - m.from.x) * s - 2, m.from.y + (m.to.y - m.from.y) * s - 2, 4, 4);
    }
  }
}
