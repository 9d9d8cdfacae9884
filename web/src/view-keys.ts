/**
 * Moving the keyboard focus between devices: left and right within a row (the drawing's
 * layers), up and down to the nearest device in the row above or below, Home and End to
 * the row's ends. Pure, over the layout's boxes.
 */
import type { NodeBox } from "./layout.js";

/** The device a key moves to from `cur` (undefined: none that way), or null for a key that does not move. */
export function nextDevice(nodes: readonly NodeBox[], cur: NodeBox, key: string): NodeBox | undefined | null {
  const row = (y: number): NodeBox[] => nodes.filter((n) => n.y === y).sort((a, b) => a.x - b.x);
  const rows = [...new Set(nodes.map((n) => n.y))].sort((a, b) => a - b);
  switch (key) {
    case "ArrowRight":
    case "ArrowLeft": {
      const r = row(cur.y);
      return r[r.indexOf(cur) + (key === "ArrowRight" ? 1 : -1)];
    }
    case "ArrowUp":
    case "ArrowDown": {
      const next = rows[rows.indexOf(cur.y) + (key === "ArrowDown" ? 1 : -1)];
      return next === undefined
        ? undefined
        : row(next).sort((a, b) => Math.abs(a.x - cur.x) - Math.abs(b.x - cur.x))[0];
    }
    case "Home":
      return row(cur.y)[0];
    case "End":
      return row(cur.y).at(-1);
    default:
      return null;
  }
}
