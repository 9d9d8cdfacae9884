/**
 * Building blocks of the topology schema: unit-bearing strings checked by the
 * kernel's parsers (`sim/units.ts`), names, counts, link protocol ids, size and
 * time distributions, and strict objects whose "unknown field" message suggests
 * the field that was probably meant. Messages are written for the person
 * editing the file.
 */

import * as z from "zod";
import { parseRate, parseSize, parseTime, UnitError } from "../../sim/units.js";
import { linkProtocol, linkProtocolIds } from "../link/catalog.js";
import { BOUNDS, type BoundName, boundProblem } from "./bounds.js";
import { quote } from "./echo.js";

// ---------------------------------------------------------------- messages

/** How a value reads in a message: strings quoted, other values with their type. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `the ${typeof value} ${String(value)}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** "expected a rate, got …", or "missing a rate" when the field is absent. */
export function expected(what: string, input: unknown): string {
  return input === undefined ? `missing ${what}` : `expected ${what}, got ${describeValue(input)}`;
}

/** The closest of `known` to `word` when it is close enough to be a typo. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  // Edit distance is quadratic: a typo is short, a pasted blob is not one.
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function unknownFields(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const guess = didYouMean(key, known);
      return guess === undefined
        ? `unknown field ${quote(key)}; valid fields: ${known.join(", ")}`
        : `unknown field ${quote(key)} (did you mean "${guess}"?)`;
    })
    .join("; ");
}

/** A strict object (unknown keys are errors) whose message names the likely intended field. */
export function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape, what = "a map") {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === "unrecognized_keys") return unknownFields(iss.keys, known);
      if (iss.code === "invalid_type") return expected(what, iss.input);
      return undefined;
    },
  });
}

// ---------------------------------------------------------------- numbers

/** A whole number ≥ `min`, and inside `bound` when one is given (docs/topology-format.md "Bounds"). */
export function count(min: number, bound?: BoundName) {
  const message = (input: unknown) => expected(`a whole number ≥ ${min}`, input);
  const whole = z.int({ error: (iss) => message(iss.input) }).min(min, { error: (iss) => message(iss.input) });
  if (bound === undefined) return whole;
  return whole.max(BOUNDS[bound].max, {
    error: (iss) => boundProblem(bound, iss.input as number, String(iss.input)) ?? message(iss.input),
  });
}

/** A number > 0, inside `bound` when one is given. */
export function positiveNumber(bound?: BoundName) {
  const message = (input: unknown) => expected("a number above 0", input);
  const positive = z.number({ error: (iss) => message(iss.input) }).positive({ error: (iss) => message(iss.input) });
  if (bound === undefined) return positive;
  return positive.superRefine((value, ctx) => {
    const problem = boundProblem(bound, value, String(value));
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A number in [0, 1]. */
export function fraction(noun: string) {
  const message = (input: unknown) =>
    input === undefined ? `missing ${noun}` : `${noun} must be between 0 and 1, got ${describeValue(input)}`;
  return z
    .number({ error: (iss) => message(iss.input) })
    .min(0, { error: (iss) => message(iss.input) })
    .max(1, { error: (iss) => message(iss.input) });
}

// ---------------------------------------------------------------- units

type Parser = (text: string) => number;

/** Longer unit strings are refused before they reach a parser: no quantity needs more characters. */
const MAX_QUANTITY_TEXT = 64;

/**
 * A string holding a quantity with a unit, checked by `parse`; the parser's
 * UnitError message becomes the issue (`10GBps` → the bit-rate hint). The value
 * must lie inside `bound` (docs/topology-format.md "Bounds").
 */
function quantity(
  parse: Parser,
  noun: string,
  positive: boolean,
  description: string,
  example: string,
  bound: BoundName,
) {
  const tooLong = (text: string) =>
    `expected a ${noun} like "${example}", got a string of ${text.length.toLocaleString("en-US")} characters`;
  const unitMessage = (input: unknown): string => {
    if (input === undefined) return `missing ${noun} (e.g. "${example}")`;
    if (typeof input === "string" && input.length > MAX_QUANTITY_TEXT) return tooLong(input);
    try {
      parse(input as string);
    } catch (e) {
      if (e instanceof UnitError) return e.message;
      throw e;
    }
    return expected(`a ${noun}`, input);
  };
  return z
    .string({ error: (iss) => unitMessage(iss.input) })
    .superRefine((text, ctx) => {
      if (text.length > MAX_QUANTITY_TEXT) {
        ctx.addIssue({ code: "custom", message: tooLong(text) });
        return;
      }
      try {
        const value = parse(text);
        if (positive && value <= 0) {
          ctx.addIssue({ code: "custom", message: `expected a ${noun} above 0, got ${quote(text)}` });
          return;
        }
        const problem = boundProblem(bound, value, () => `${noun} ${quote(text)}`);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        ctx.addIssue({ code: "custom", message: e.message });
      }
    })
    .meta({ description, examples: [example] });
}

/** Metres, e.g. "3m" or "0.5 m". */
const LENGTH = /^(\d+(?:\.\d*)?|\.\d+)\s*m$/;

/** Parses a cable length ("3m") into metres. */
export function parseLength(text: string): number {
  const m = typeof text === "string" ? LENGTH.exec(text.trim()) : null;
  if (m === null) {
    throw new UnitError(expected(`a length like "3m" (metres)`, text));
  }
  return Number(m[1]);
}

/** A time ("500ns"), parsed later into ticks (ps); `bound` says how long it may be. */
export const time = (bound: BoundName = "run") =>
  quantity(parseTime, "time", false, "A time: ps, ns, us, ms or s.", "500ns", bound);
/** A time above 0. */
export const positiveTime = (bound: BoundName = "run") =>
  quantity(parseTime, "time", true, "A time above 0: ps, ns, us, ms or s.", "10ms", bound);
/** A rate in bits per second, above 0 ("10Gbps"), between 1 kb/s and 1.6 Tb/s. */
export const rate = () =>
  quantity(parseRate, "rate", true, "A rate in bits per second: bps, Kbps, Mbps, Gbps, Tbps.", "10Gbps", "rate");
/** A size in bytes, above 0 ("1500B", "4KiB"): a message by default, or a buffer. */
export const size = (bound: BoundName = "messageSize") =>
  quantity(
    parseSize,
    "size",
    true,
    "A size in bytes: B, KB, MB, GB (powers of 1000), KiB, MiB, GiB (1024).",
    "9MB",
    bound,
  );
/** A cable length in metres ("3m"). */
export const length = () => quantity(parseLength, "length", false, "A cable length in metres.", "3m", "length");

/** The size of a message or I/O: a size or a distribution of sizes. */
export const sizeDist = () => distribution(() => size("messageSize"), "size", "1500B");
/** An on or off period of an on/off workload: a time or a distribution of times, at least 1 ns. */
export const burstDist = () => distribution(() => time("burst"), "time", "1ms");

// ---------------------------------------------------------------- names

const NAME = "[A-Za-z][A-Za-z0-9_.-]*";
/** A plain name: node, adapter, module, workload, VM. */
export const NAME_PATTERN = new RegExp(`^${NAME}$`);
/** A name that may hold ranges: `host[1..32]`, `c[1..2]b[01..16]`. */
export const RANGED_NAME_PATTERN = /^[A-Za-z](?:[A-Za-z0-9_.-]|\[\d+\.\.\d+\])*$/;

const NAME_RULE = "names start with a letter, then letters, digits, _ . or -";

/** A plain name (no ranges). */
/**
 * Longest name (nodes, adapters, modules, port groups, workloads, vifs): names are
 * echoed in port names, messages and reports, so a 100,000-character one would be
 * copied into every port id and every message about it.
 */
export const MAX_NAME = 128;
/** Longest reference (`host[1..32]:nic0/1`, `host[1..24]/vm[1..8]`, a fault target). */
export const MAX_REFERENCE = 1024;

const tooLong = (what: string, max: number) => (iss: { input?: unknown }) =>
  `${what} of ${String((iss.input as string | undefined)?.length ?? 0)} characters is longer than ${max}`;

export function name(noun: string) {
  const message = (input: unknown) =>
    input === undefined ? `missing a ${noun} name` : `${expected(`a ${noun} name`, input)}: ${NAME_RULE}`;
  return z
    .string({ error: (iss) => message(iss.input) })
    .max(MAX_NAME, { error: tooLong(`the ${noun} name`, MAX_NAME) })
    .regex(NAME_PATTERN, { error: (iss) => message(iss.input) })
    .meta({ description: `A ${noun} name.` });
}

/** Checks a node key (ranges allowed); undefined when fine. */
export function nodeKeyProblem(key: string): string | undefined {
  if (key.length > MAX_NAME) return `the node name of ${key.length} characters is longer than ${MAX_NAME}`;
  return RANGED_NAME_PATTERN.test(key) ? undefined : `invalid node name ${quote(key)}: ${NAME_RULE}`;
}

/** A reference (node name, `node:port`, `host/vm` …) that may hold ranges; checked when resolved. */
export function reference(description: string, example: string) {
  return z
    .string({ error: (iss) => expected(description, iss.input) })
    .min(1, { error: () => `expected ${description}, got ""` })
    .max(MAX_REFERENCE, { error: tooLong("the reference", MAX_REFERENCE) })
    .meta({ description: `${description[0]!.toUpperCase()}${description.slice(1)}.`, examples: [example] });
}

/** A catalog id: lower-case letters, digits and `. _ + -`, starting with a letter or digit. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._+-]*$/;

/**
 * A catalog model id (`cisco-ucs-6248up`). Only its form is checked here: the
 * topology loader has no catalog; `iovsim bom` checks the id against the catalog.
 */
export function modelId(what: string) {
  const message = (input: unknown) =>
    `${expected(`a catalog id like "cisco-ucs-6248up"`, input)}: lower-case letters, digits, . _ + or -`;
  return z
    .string({ error: (iss) => message(iss.input) })
    .max(MAX_NAME, { error: tooLong("the catalog id", MAX_NAME) })
    .regex(MODEL_ID_PATTERN, { error: (iss) => message(iss.input) })
    .meta({
      description: `The catalog model of ${what} (catalog/*.yaml or --catalog FILE); checked by iovsim bom. Absent: a default model per kind and link.`,
      examples: ["cisco-ucs-6248up"],
    });
}

/** One reference or a list of them. */
export function references(description: string, example: string) {
  const one = reference(description, example);
  return z.union([one, z.array(one).min(1, { error: () => `expected at least one ${description}` })], {
    error: (iss) =>
      iss.code === "invalid_union" ? expected(`${description} or a list of them`, iss.input) : undefined,
  });
}

// ---------------------------------------------------------------- link protocols

const ALL_IDS = linkProtocolIds() as [string, ...string[]];
const PCIE_IDS = ALL_IDS.filter((id) => id.startsWith("pcie-")) as [string, ...string[]];

function catalogMessage(input: unknown): string {
  if (typeof input !== "string") return expected('a link protocol id like "eth-10g"', input);
  try {
    linkProtocol(String(input));
  } catch (e) {
    if (e instanceof RangeError) return e.message;
    throw e;
  }
  return expected("a link protocol id", input);
}

/** A link protocol id from the catalog (`eth-10g`, `fc-8g`, `ib-qdr-4x`, `pcie-gen3-x8`). */
export const linkId = () =>
  z
    .enum(ALL_IDS, { error: (iss) => catalogMessage(iss.input) })
    .meta({ description: "A link protocol id from the catalog." });

/** A PCIe link id (`pcie-gen2-x8`). */
export const pcieId = () =>
  z
    .enum(PCIE_IDS, {
      error: (iss) => expected('a PCIe link id like "pcie-gen3-x8"', iss.input),
    })
    .meta({ description: "A PCIe link id: pcie-gen{1..5}-x{1,2,4,8,16}." });

// ---------------------------------------------------------------- distributions

/** Values in one empirical distribution: enough for a measured histogram. */
const MAX_EMPIRICAL = 100_000;

/**
 * A distribution of sizes or times: a constant (`1500B`), or one of
 * `{ exponential: mean }`, `{ lognormal: { mean, cv } }`,
 * `{ pareto: { alpha, low, high } }`, `{ empirical: [values] }`.
 */
export function distribution(scalar: () => z.ZodType<string>, noun: string, example: string) {
  const shapes = "exponential, lognormal, pareto or empirical";
  const one = strict(
    {
      exponential: scalar().optional(),
      lognormal: strict({ mean: scalar(), cv: positiveNumber("shape") }).optional(),
      pareto: strict({ alpha: positiveNumber("shape"), low: scalar(), high: scalar() }).optional(),
      empirical: z
        .array(scalar())
        .min(1, { error: () => `expected at least one ${noun}` })
        .max(MAX_EMPIRICAL, { error: () => `expected at most ${MAX_EMPIRICAL} ${noun}s in an empirical list` })
        .optional(),
    },
    `a ${noun} or a distribution`,
  ).superRefine((d, ctx) => {
    const given = Object.keys(d);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `expected exactly one of ${shapes}, got ${given.length === 0 ? "none" : given.join(" and ")}`,
      });
    }
  });
  return z
    .union([scalar(), one], {
      error: (iss) =>
        iss.code === "invalid_union"
          ? expected(`a ${noun} like "${example}" or a distribution (${shapes})`, iss.input)
          : undefined,
    })
    .meta({ description: `A ${noun}, or a distribution of ${noun}s.` });
}
