/**
 * Terminal safety for human-readable output: names and values come from user
 * files, and a file must not be able to retitle or clear the terminal (escape
 * sequences) or flood it (a 20 MB scalar echoed back). JSON output needs
 * neither: JSON.stringify already escapes control characters.
 */

/** Longest run of non-blank characters echoed as is; longer ones keep their ends. */
export const MAX_TOKEN = 200;

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode line/paragraph
// separators and bidirectional overrides (they reorder what the terminal shows).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what it removes
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const LONG_TOKEN = new RegExp(`\\S{${MAX_TOKEN + 1},}`, "g");

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Control characters shown as `\x1b`-style escapes (tab and newline kept). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** One value clipped to `max` characters, its length said: `abc…(+1,234 characters)`. */
export function clip(value: string, max = 120): string {
  if (value.length <= max) return value;
  const keep = Math.max(1, max - 24);
  return `${value.slice(0, keep)}…(+${(value.length - keep).toLocaleString("en-US")} characters)`;
}

/**
 * Text fit for a terminal: control characters escaped, and every run of more
 * than `MAX_TOKEN` non-blank characters clipped (a name or value echoed from a
 * file; nothing iovsim writes itself is that long).
 */
export function terminalSafe(text: string): string {
  const escaped = escapeControls(text);
  return escaped.replace(LONG_TOKEN, (token) => clip(token, MAX_TOKEN));
}

/** Human-readable output on stdout, made terminal-safe. */
export function printOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/** Problems, warnings and notes on stderr, made terminal-safe. */
export function printErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
