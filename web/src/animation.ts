/**
 * Sampled transfers moving along their links: every SAMPLE_EVERY-th message, traced
 * hop by hop in the worker (tracer.ts), replayed here as a dot in its workload's
 * colour. Simulated time runs far faster than the picture, so the replay is schematic
 * in time but true in path: a message's first hop starts where its begin time falls
 * within the snapshot's span of simulated time (spread over one snapshot period), and
 * each following hop starts when the previous one has crossed its link, HOP_MS later.
 *
 * Drawn on a canvas laid over the SVG (repainting a few hundred dots per frame is far
 * cheaper there than moving SVG elements). The canvas maps view units to pixels with
 * the SVG's own screen matrix (`getScreenCTM`), so the dots sit on the links whatever
 * the window size, including when the SVG is letterboxed by its maximum height.
 * With `prefers-reduced-motion: reduce` nothing moves: the canvas stays empty.
 */
import { workloadColour } from "./palette.js";
import type { Point } from "./ports.js";
import { HOP_FIELDS } from "./protocol.js";

/** Wall time a dot takes to cross one link. */
const HOP_MS = 350;
/** Dots drawn at most at once. */
const MAX_DOTS = 400;

interface Moving {
  readonly from: Point;
  readonly to: Point;
  /** Wall clock (ms) when it leaves `from`. */
  readonly start: number;
  readonly colour: string;
}

export class TransferAnimation {
  private raf = 0;
  private active = false;
  private moving: Moving[] = [];
  /** Simulated time (ticks) of the previous snapshot: the start of the next one's span. */
  private lastNow = 0;
  private readonly reduced: MediaQueryList;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** The SVG drawn under the canvas: its screen matrix maps view units to pixels. */
    private readonly svg: SVGSVGElement,
    /** Where a port's link direction is drawn (null: not drawn). */
    private readonly segment: (port: number) => { from: Point; to: Point } | null,
    /** Wall ms between snapshots. */
    private readonly periodMs: number,
  ) {
    this.reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    const note = (): void => {
      canvas.dataset.motion = this.reduced.matches ? "reduced" : "full";
      if (this.reduced.matches) this.clear();
    };
    note();
    this.reduced.addEventListener("change", note);
  }

  /** True when the user asked for reduced motion: no dots move. */
  get reducedMotion(): boolean {
    return this.reduced.matches;
  }

  /** Queues the hops of a snapshot taken at simulated time `now` ([port, begin, end, id, workload] each). */
  add(hops: readonly number[], now: number, wallNow: number = performance.now()): void {
    const span = Math.max(1, now - this.lastNow);
    const from = this.lastNow;
    this.lastNow = now;
    this.canvas.dataset.sampled = String(Number(this.canvas.dataset.sampled ?? 0) + hops.length / HOP_FIELDS);
    if (this.reduced.matches) return;
    this.moving = this.moving.filter((m) => wallNow - m.start < HOP_MS);
    const next = new Map<number, number>();
    for (let i = 0; i + HOP_FIELDS - 1 < hops.length && this.moving.length < MAX_DOTS; i += HOP_FIELDS) {
      const seg = this.segment(hops[i]!);
      const id = hops[i + 3]!;
      const first = wallNow + (Math.min(span, Math.max(0, hops[i + 1]! - from)) / span) * this.periodMs;
      const start = next.get(id) ?? first;
      next.set(id, start + (seg === null ? 0 : HOP_MS));
      if (seg !== null) this.moving.push({ from: seg.from, to: seg.to, start, colour: workloadColour(hops[i + 4]!) });
    }
  }

  start(): void {
    if (this.active || this.reduced.matches) return;
    this.active = true;
    this.canvas.dataset.animating = "1";
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
    this.canvas.dataset.animating = "0";
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

  /** Draws the dots at wall time `t` (exposed for the browser tests: a still frame). */
  frame(t: number): void {
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
    const m = this.svg.getScreenCTM();
    if (ctx === null || m === null) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    // View units → CSS pixels of the canvas (the SVG's matrix, relative to the canvas' corner) → device pixels.
    const r = c.getBoundingClientRect();
    ctx.setTransform(m.a * dpr, m.b * dpr, m.c * dpr, m.d * dpr, (m.e - r.left) * dpr, (m.f - r.top) * dpr);
    ctx.lineWidth = 1 / Math.max(0.01, m.a);
    ctx.strokeStyle = "#ffffff";
    const radius = 2.8;
    for (const d of this.moving) {
      const s = (t - d.start) / HOP_MS;
      if (s < 0 || s > 1) continue;
      ctx.beginPath();
      ctx.arc(d.from.x + (d.to.x - d.from.x) * s, d.from.y + (d.to.y - d.from.y) * s, radius, 0, 2 * Math.PI);
      ctx.fillStyle = d.colour;
      ctx.fill();
      ctx.stroke();
    }
  }

  /** Dots in flight at wall time `t`, in view units (for the browser tests). */
  positions(t: number): Point[] {
    const out: Point[] = [];
    for (const d of this.moving) {
      const s = (t - d.start) / HOP_MS;
      if (s < 0 || s > 1) continue;
      out.push({ x: d.from.x + (d.to.x - d.from.x) * s, y: d.from.y + (d.to.y - d.from.y) * s });
    }
    return out;
  }
}
