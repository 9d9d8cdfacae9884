/**
 * Link protocol patterns in catalog files (`fc-*`, `eth-*g`): `*` matches any
 * run of characters, everything else itself. Matched by the greedy wildcard
 * algorithm (remember the last `*`, retry one character further on a
 * mismatch), which takes at most |pattern| × |id| steps: no regular expression,
 * so a pattern of twenty `*` cannot backtrack exponentially (it took 49 s).
 * Browser-safe.
 */

/** True when `pattern` (an id, `*` matching any run of characters) names `id`. */
export function linkMatches(pattern: string, id: string): boolean {
  if (!pattern.includes("*")) return pattern === id;
  let p = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (i < id.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === id[i]) {
      p++;
      i++;
    } else if (p < pattern.length && pattern[p] === "*") {
      // Consecutive stars are one star.
      while (p < pattern.length && pattern[p] === "*") p++;
      star = p;
      resume = i;
    } else if (star >= 0) {
      p = star;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
