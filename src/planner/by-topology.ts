/**
 * A search's evaluations by topology: candidates whose parameters change nothing in the generated
 * topology (its text without comments, which name the parameter values) share one evaluation.
 *
 * Keyed by a digest, not the text: a site-size search holds hundreds of evaluations, and at 1,000
 * servers a topology's text is about 0.2 MB (two copies per evaluation as keys cost more than the
 * evaluations themselves). A digest hit is checked against the stored candidate's text, so a collision
 * can only cost an evaluation, never share a wrong one.
 */
import type { Candidate } from "./candidates.js";

/** The topology's text without its comment lines: equal for equal hardware and wiring. */
export function topologyText(c: Pick<Candidate, "yaml">): string {
  return c.yaml.replace(/^\s*#.*\n/gm, "");
}

const digests = new WeakMap<object, string>();

/** Two FNV-1a hashes (32 bits each, different offsets) of `topologyText` and its length; memoized per candidate. */
export function topologyDigest(c: Pick<Candidate, "yaml">): string {
  let d = digests.get(c);
  if (d === undefined) {
    const text = topologyText(c);
    let a = 0x811c9dc5;
    let b = 0x050c5d1f;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193) >>> 0;
      b = Math.imul(b ^ ch, 0x01000193) >>> 0;
    }
    d = `${a.toString(16)}${b.toString(16)}-${text.length}`;
    digests.set(c, d);
  }
  return d;
}

export class ByTopology<T> {
  private readonly map = new Map<string, { candidate: Pick<Candidate, "yaml">; value: T }>();

  /** `digest`: replaceable so a test can make every text collide. */
  constructor(private readonly digest: (c: Pick<Candidate, "yaml">) => string = topologyDigest) {}

  get(c: Pick<Candidate, "yaml">): T | undefined {
    const hit = this.map.get(this.digest(c));
    if (hit === undefined) return undefined;
    return hit.candidate === c || topologyText(hit.candidate) === topologyText(c) ? hit.value : undefined;
  }

  has(c: Pick<Candidate, "yaml">): boolean {
    return this.get(c) !== undefined;
  }

  /** Keeps the first evaluation of a topology (a later one under a colliding digest is not stored). */
  set(c: Pick<Candidate, "yaml">, value: T): void {
    const d = this.digest(c);
    if (!this.map.has(d)) this.map.set(d, { candidate: c, value });
  }
}
