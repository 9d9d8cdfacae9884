/**
 * What every generator module uses, the wiring plan included: the error for a
 * combination a generator cannot build, and host-name ranges. Its own module so
 * that `wiring.ts` and `common.ts` do not import each other. Browser-safe.
 */

/** A parameter combination the generator cannot build (e.g. more hosts than switch ports). */
export class DesignError extends Error {}

/** `host[1..24]`, or `host7` when the range holds one number. */
export function rng(prefix: string, first: number, last: number, suffix = ""): string {
  return first === last ? `${prefix}${first}${suffix}` : `${prefix}[${first}..${last}]${suffix}`;
}
