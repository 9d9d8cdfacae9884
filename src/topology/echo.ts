/**
 * User text inside messages: what a file says is echoed back in issues, so it
 * must not be able to drive the terminal (escape sequences that retitle or
 * clear it) or flood it (a 20 MB scalar as a 20 MB error line). Browser-safe.
 */

/** Longest echoed value, in characters, before it is cut with "…". */
export const MAX_ECHO = 120;
/** Longest issue message: a safety net for messages that echo several values. */
export const MAX_MESSAGE = 600;

/** C0 and C1 controls and DEL (tab and newline included: one issue is one line). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unicode bidirectional overrides and isolates: they reorder what a terminal shows (Trojan Source). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\t") return "\\t";
  if (c === "\r") return "\\r";
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Control characters as visible escapes (`\x1b`, `\n`), so text prints as one inert line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne).replace(BIDI, escapeOne);
}

/** Cuts `text` to `max` characters, saying how long it was. */
export function truncate(text: string, max = MAX_ECHO): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString("en-US")} characters)`;
}

/** A user value as it may appear in a message: truncated, then escaped. */
export function echo(text: string, max = MAX_ECHO): string {
  return escapeControl(truncate(text, max));
}

/** A string value quoted for a message (`"eth-10g"`), truncated and escaped. */
export function quote(text: string, max = MAX_ECHO): string {
  return escapeControl(JSON.stringify(truncate(text, max)));
}

/**
 * Runs of more than 4 × MAX_ECHO characters without a space: a value no message
 * would hold had it been echoed through `echo`/`quote` (their output, escapes
 * included, stays shorter unless the value is mostly control characters).
 */
const LONG_RUN = new RegExp(`[^\\s]{${4 * MAX_ECHO + 1},}`, "g");

/**
 * The last line of defence for a whole message or path: control characters
 * escaped, any unbroken run longer than 4 × MAX_ECHO cut to MAX_ECHO, the whole
 * capped at MAX_MESSAGE. Idempotent: what it returns passes through unchanged.
 */
export function safeLine(text: string, max = MAX_MESSAGE): string {
  let out = text.length > max * 4 ? `${text.slice(0, max * 4)}` : text;
  out = out.replace(LONG_RUN, (run) => truncate(run));
  out = escapeControl(out);
  return out.length > max ? `${out.slice(0, max)}… (message cut)` : out;
}
