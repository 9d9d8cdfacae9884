/** A result without what depends on the clock: every `wallSeconds`, at any depth. */
export function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "wallSeconds")
      .map(([k, v]) => [k, timeless(v)]),
  );
}
