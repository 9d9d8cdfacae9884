/**
 * `n`, as a small integer when it is a whole number in int32 range, else unchanged. V8
 * keeps a field that has only held small integers inside the object; one whole number
 * computed in floating point (`Math.round`, `Math.ceil`) turns the field into a pointer to
 * a separate heap number for every object of the class: one more allocation per transfer
 * and one more cache line per read. Byte counts and indices stored on the
 * objects made per event (transfers, messages) go through this. Browser-safe.
 */
export function small(n: number): number {
  const i = n | 0;
  return i === n ? i : n;
}
