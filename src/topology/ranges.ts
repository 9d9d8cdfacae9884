/**
 * Name ranges: `host[1..32]` stands for `host1` … `host32`, `host[01..32]` keeps
 * the zero padding (`host01` … `host32`), and `c[1..2]b[1..8]` is the cartesian
 * product with the left range outermost (`c1b1`, `c1b2`, … `c2b8`).
 *
 * Two expansions "zip" when they are used side by side: the two endpoints of a
 * link, or a range in a node's field value against the node's key. Pure string
 * work, browser-safe; errors come back as values, with a message for the user.
 */

import { echo } from "./echo.js";

/** One `[first..last]` range inside a name. */
export interface NameRange {
  readonly first: number;
  readonly last: number;
  /** Digits each number is padded to with zeros (`[01..32]` → 2); 0 for no padding. */
  readonly width: number;
}

/** A name split into literal text and ranges, in order. */
export type NamePiece = string | NameRange;

export type RangeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/**
 * Expansions longer than this are refused whatever the size limits say (they are
 * checked before, see `size.ts`): a typo like `host[1..1000000000]` must not
 * exhaust memory.
 */
export const MAX_EXPANSION = 1_000_000;

/** Digits in a range bound: 999,999,999 is far past any expansion the loader allows. */
const MAX_DIGITS = 9;

/**
 * The bracketed parts of `text` meant as ranges: `[` … `]` with no bracket
 * inside and `..` somewhere in between (other brackets are plain text). A linear
 * scan, not a regular expression: `[` followed by a long run of dots must not
 * cost quadratic time.
 */
function* bracketed(text: string): Generator<{ index: number; end: number; body: string }> {
  let from = 0;
  for (;;) {
    const open = text.indexOf("[", from);
    if (open < 0) return;
    let close = open + 1;
    while (close < text.length && text[close] !== "[" && text[close] !== "]") close++;
    if (close >= text.length) return;
    if (text[close] === "[") {
      from = close;
      continue;
    }
    const body = text.slice(open + 1, close);
    if (body.includes("..")) yield { index: open, end: close + 1, body };
    from = close + 1;
  }
}

/** `first..last` with whole numbers (spaces around allowed), or undefined. */
function rangeBody(body: string): [string, string] | undefined {
  const trimmed = body.trim();
  const dots = trimmed.indexOf("..");
  const first = trimmed.slice(0, dots);
  const last = trimmed.slice(dots + 2);
  const digits = /^\d+$/;
  return digits.test(first) && digits.test(last) ? [first, last] : undefined;
}

/** Splits `text` into literal pieces and ranges, or says which range is malformed. */
export function parseRanges(text: string): RangeResult<readonly NamePiece[]> {
  const pieces: NamePiece[] = [];
  let at = 0;
  for (const m of bracketed(text)) {
    const parts = rangeBody(m.body);
    if (parts === undefined) {
      return fail(`malformed range [${echo(m.body)}]: write [first..last] with whole numbers, e.g. host[1..32]`);
    }
    const [firstText, lastText] = parts;
    if (firstText.length > MAX_DIGITS || lastText.length > MAX_DIGITS) {
      return fail(`range [${echo(m.body)}] has numbers of more than ${MAX_DIGITS} digits`);
    }
    const first = Number(firstText);
    const last = Number(lastText);
    if (first > last) return fail(`range [${echo(m.body)}] runs backwards: write [${lastText}..${firstText}]`);
    if (m.index > at) pieces.push(text.slice(at, m.index));
    const width = firstText.length > 1 && firstText.startsWith("0") ? firstText.length : 0;
    pieces.push({ first, last, width });
    at = m.end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return { ok: true, value: pieces };
}

/** True when `text` contains something meant as a range (well-formed or not). */
export function hasRange(text: string): boolean {
  return !bracketed(text).next().done;
}

/** How many names a range stands for. */
export function rangeSize(r: NameRange): number {
  return r.last - r.first + 1;
}

function countPieces(pieces: readonly NamePiece[]): number {
  let total = 1;
  for (const piece of pieces) if (typeof piece !== "string") total *= rangeSize(piece);
  return total;
}

/** How many names `text` stands for, without making them (1 for a plain name); undefined when malformed. */
export function countNames(text: string): number | undefined {
  if (!text.includes("[")) return 1;
  const parsed = parseRanges(text);
  return parsed.ok ? countPieces(parsed.value) : undefined;
}

/**
 * Every name `text` stands for, in order (left range outermost). A name without
 * ranges expands to itself. More than `limit` names are refused before any is made.
 */
export function expandNames(text: string, limit = MAX_EXPANSION): RangeResult<readonly string[]> {
  // Most names have no range: no scan, no pieces.
  if (!text.includes("[")) return { ok: true, value: [text] };
  const parsed = parseRanges(text);
  if (!parsed.ok) return parsed;
  const total = countPieces(parsed.value);
  if (total > limit) {
    return fail(
      `${echo(text)} expands to ${total.toLocaleString("en-US")} names, more than the limit of ${limit.toLocaleString("en-US")}`,
    );
  }
  let names = [""];
  for (const piece of parsed.value) {
    if (typeof piece === "string") {
      names = names.map((n) => n + piece);
      continue;
    }
    const next: string[] = [];
    for (const prefix of names) {
      for (let i = piece.first; i <= piece.last; i++) next.push(prefix + String(i).padStart(piece.width, "0"));
    }
    names = next;
  }
  return { ok: true, value: names };
}

/**
 * The names a reference stands for, when it can name at most `most` of them (a
 * reference to nodes cannot name more nodes than the topology has): counted
 * before any name is made, so `to: host[1..100000000]` costs nothing.
 */
export function expandReference(text: string, most: number, noun = "nodes"): RangeResult<readonly string[]> {
  if (!text.includes("[")) return { ok: true, value: [text] };
  const n = countNames(text);
  if (n !== undefined && n > most) {
    return fail(`${echo(text)} names ${n.toLocaleString("en-US")} ${noun}; there are ${most.toLocaleString("en-US")}`);
  }
  return expandNames(text);
}

/**
 * Pairs up the expansions of two link endpoints: equal lengths pair one to one,
 * and a single name repeats against the other side.
 */
export function zipEndpoints(
  a: readonly string[],
  b: readonly string[],
): RangeResult<readonly (readonly [string, string])[]> {
  if (a.length !== b.length && a.length !== 1 && b.length !== 1) {
    return fail(
      `endpoints expand to ${a.length} and ${b.length} names: ranges in the two endpoints must have equal length`,
    );
  }
  const n = Math.max(a.length, b.length);
  const pairs: (readonly [string, string])[] = [];
  for (let i = 0; i < n; i++) pairs.push([a[a.length === 1 ? 0 : i]!, b[b.length === 1 ? 0 : i]!]);
  return { ok: true, value: pairs };
}

/**
 * Which of `valueCount` names goes with the `index`-th of `keyCount` key names:
 * the same position when the counts are equal, the only name when there is one,
 * and consecutive blocks when the value count divides the key count
 * (`blade[1..32]` with `chassis[1..4]`: blades 1–8 in chassis1, 9–16 in chassis2, …).
 * Undefined when the counts do not fit together.
 */
export function zipIndex(keyCount: number, valueCount: number, index: number): number | undefined {
  if (valueCount === keyCount) return index;
  if (valueCount === 1) return 0;
  if (valueCount < keyCount && keyCount % valueCount === 0) return Math.floor(index / (keyCount / valueCount));
  return undefined;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
