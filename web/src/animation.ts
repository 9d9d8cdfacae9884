/**
 * Sampled transfers moving along busy links. An approximation drawn from the snapshot
 * rates, not the simulated transfers themselves: each busy link direction carries 1–4
 * dots (more when busier) that travel faster when it is busier. Positions depend only
 * on the time and the link, so the picture is deterministic for a given snapshot.
 * Drawn on a canvas over the SVG: repainting a few hundred dots every frame is far
 * cheaper there than moving SVG elements (no style or layout work per dot).
 */
import type { Point } from "./ports.js";

export interface FlowLine {
  readonly from: Point;
  readonly to: Point;
  readonly utilization: number;
  readonly key: number;
}

/** Dots drawn at most (the busiest directions win). */
const MAX_DOTS = 400;

export class TransferAnimation {
  private raf = 0;
  private active = false;
  private flowsCache: FlowLine[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** The SVG drawn under the canvas, and the width of its viewBox (to scale points). */
    private readonly svg: SVGSVGElement,
    private readonly viewWidth: number,
    private readonly flows: () => FlowLine[],
  ) {}

  /** Call when a snapshot arrives: the busiest directions are chosen once per snapshot, not per frame. */
  refresh(): void {
    this.flowsCache = [...this.flows()].sort((a, b) => b.utilization - a.utilization || a.key - b.key);
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

  clear(): void {
    this.stop();
    this.flowsCache = [];
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
    ctx.fillStyle = "rgba(11, 99, 206, 0.8)";
    let dots = 0;
    for (const f of this.flowsCache) {
      const k = 1 + Math.min(3, Math.floor(f.utilization * 4));
      const speed = 0.25 + f.utilization; // link lengths per second
      for (let j = 0; j < k && dots < MAX_DOTS; j++, dots++) {
        const s = ((((t / 1000) * speed + j / k + ((f.key * 0.618) % 1)) % 1) + 1) % 1;
        ctx.fillRect(f.from.x + (f.to.x - f.from.x) * s - 2, f.from.y + (f.to.y - f.from.y) * s - 2, 4, 4);
      }
    }
  }
}
