/** Short SI formats for axes and tables. */
export function bps(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)} Gb/s`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)} Mb/s`;
  if (a >= 1e3) return `${(v / 1e3).toPrecision(3)} kb/s`;
  return `${v.toPrecision(3)} b/s`;
}

export function seconds(v: number | null): string {
  if (v === null) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0 s";
  if (a < 1e-6) return `${(v * 1e9).toPrecision(3)} ns`;
  if (a < 1e-3) return `${(v * 1e6).toPrecision(3)} µs`;
  if (a < 1) return `${(v * 1e3).toPrecision(3)} ms`;
  return `${v.toPrecision(3)} s`;
}

export function bytes(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)} GB`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)} MB`;
  if (a >= 1e3) return `${(v / 1e3).toPrecision(3)} kB`;
  return `${Math.round(v)} B`;
}
