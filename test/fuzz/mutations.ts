/**
 * Mutations of a parsed file: values at and beyond the bounds, wrong types,
 * deletions, duplications, renames (to reserved keys among others), unit strings,
 * counts, longer runs, bigger ranges; then text-level changes (control
 * characters, truncation, a duplicated line, an alias bomb). Each returns what it
 * did, for the report of a failing case.
 */

import fc from "fast-check";

// ---------------------------------------------------------------- values

const numbers = fc.constantFrom(
  0,
  -1,
  -0,
  0.5,
  1,
  2,
  4.5,
  1023,
  1024,
  1025,
  65_536,
  65_537,
  2 ** 31,
  2 ** 53,
  1e15,
  1e308,
  Number.POSITIVE_INFINITY,
  Number.NaN,
);
const units = fc.constantFrom(
  "999bps",
  "1Kbps",
  "1e-300bps",
  "1e-9bps",
  "1.6Tbps",
  "1.7Tbps",
  "1e12Tbps",
  "1e300Tbps",
  "10GBps",
  "0B",
  "1B",
  "1GiB",
  "1073741825B",
  "1e15B",
  "64GiB",
  "0s",
  "1ps",
  "1ns",
  "3600s",
  "3601s",
  "1e400s",
  "-1ms",
  "0m",
  "100000m",
  "100001m",
  `${"9".repeat(300)}m`,
  "1.5",
  "10 Gbps",
);
const names = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "host[1..1000000]",
  "host[1..100000000000]",
  "x[1..3]",
  "host1",
  "lan",
  "fi-a",
  "array1",
  "vf",
  "host1:nic0/1",
  "sw:eth1",
  "",
  `[${".".repeat(20_000)}`,
);
const strings = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("\u001b]0;owned\u0007\u001b[2J", "\u0000\u0001\u009b", "\u202eevil", "a\nb"),
  fc.nat(200_000).map((n) => "x".repeat(n)),
  names,
  units,
);
const shapes = fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }, [null]);

/** Any nasty value: numbers at and beyond the bounds, unit strings, names, types. */
export const nasty: fc.Arbitrary<unknown> = fc.oneof(numbers, units, strings, shapes, names);

/** Values a file may well hold: so that many cases still run, and their balance is checked. */
export const mild: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1, 2, 4, 8, 16, 0.5),
  fc.constantFrom("10Mbps", "1Gbps", "40Gbps", "256B", "9000B", "64KiB", "1MiB", "100ns", "1us", "50us", "5m"),
);

// ---------------------------------------------------------------- mutations

type Path = readonly (string | number)[];

/** Every path into a value (maps and lists), breadth-limited so big lists do not dominate. */
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) {
    value.slice(0, 6).forEach((v, i) => {
      paths(v, [...at, i], out);
    });
  } else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) v = (v as Record<string | number, unknown> | null)?.[seg];
  return v;
}

function parentOf(value: unknown, path: Path): [Record<string | number, unknown> | unknown[], string | number] | null {
  if (path.length === 0) return null;
  const parent = get(value, path.slice(0, -1));
  if (typeof parent !== "object" || parent === null) return null;
  return [parent as Record<string | number, unknown>, path.at(-1)!];
}

type Mutation = (value: Record<string, unknown>, pick: number, extra: unknown) => string | null;

export const MUTATIONS: Record<string, Mutation> = {
  set: (value, pick, extra) => {
    const all = paths(value).filter((p) => p.length > 0);
    const path = all[pick % all.length]!;
    const at = parentOf(value, path);
    if (at === null) return null;
    (at[0] as Record<string | number, unknown>)[at[1]] = extra;
    return `set ${path.join(".")} = ${JSON.stringify(extra)?.slice(0, 60)}`;
  },
  delete: (value, pick) => {
    const all = paths(value).filter((p) => p.length > 0);
    const path = all[pick % all.length]!;
    const at = parentOf(value, path);
    if (at === null) return null;
    if (Array.isArray(at[0])) at[0].splice(at[1] as number, 1);
    else delete (at[0] as Record<string, unknown>)[at[1] as string];
    return `delete ${path.join(".")}`;
  },
  duplicate: (value, pick) => {
    const lists = paths(value).filter((p) => Array.isArray(get(value, p)) && (get(value, p) as unknown[]).length > 0);
    if (lists.length === 0) return null;
    const path = lists[pick % lists.length]!;
    const list = get(value, path) as unknown[];
    list.push(structuredClone(list[pick % list.length]));
    return `duplicate an item of ${path.join(".")}`;
  },
  rename: (value, pick, extra) => {
    const maps = paths(value).filter((p) => {
      const v = get(value, p);
      return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
    });
    if (maps.length === 0) return null;
    const path = maps[pick % maps.length]!;
    const map = get(value, path) as Record<string, unknown>;
    const keys = Object.keys(map);
    const from = keys[pick % keys.length]!;
    const to = typeof extra === "string" && extra !== "" ? extra : "__proto__";
    const rebuilt = Object.fromEntries(keys.map((k) => [k === from ? to : k, map[k]]));
    for (const k of keys) delete map[k];
    for (const [k, v] of Object.entries(rebuilt))
      Object.defineProperty(map, k, { value: v, enumerable: true, writable: true, configurable: true });
    return `rename ${[...path, from].join(".")} to ${JSON.stringify(to).slice(0, 60)}`;
  },
  unit: (value, pick, extra) => {
    const quantities = paths(value).filter((p) => {
      const v = get(value, p);
      return typeof v === "string" && /^\d[\d.e+-]*\s*[A-Za-z/]+$/.test(v);
    });
    if (quantities.length === 0) return null;
    const path = quantities[pick % quantities.length]!;
    const at = parentOf(value, path);
    if (at === null) return null;
    (at[0] as Record<string | number, unknown>)[at[1]] = typeof extra === "string" ? extra : "0s";
    return `unit ${path.join(".")} = ${String(extra).slice(0, 60)}`;
  },
  count: (value, pick, extra) => {
    const counts = paths(value).filter((p) => typeof get(value, p) === "number");
    if (counts.length === 0) return null;
    const path = counts[pick % counts.length]!;
    const at = parentOf(value, path);
    if (at === null) return null;
    (at[0] as Record<string | number, unknown>)[at[1]] = typeof extra === "number" ? extra : 1e15;
    return `count ${path.join(".")} = ${String(extra)}`;
  },
};

/** Longer runs (a partial result past the event budget, or a size limit) and bigger ranges. */
const GROW: Record<string, Mutation> = {
  longer: (value, pick) => {
    const duration = ["2ms", "20ms", "10s", "600s"][pick % 4]!;
    value.experiment = { ...(value.experiment as object), duration };
    return `experiment.duration = ${duration}`;
  },
  scale: (value, pick) => {
    const nodes = (value.topology as { nodes?: Record<string, unknown> } | undefined)?.nodes;
    if (typeof nodes !== "object" || nodes === null) return null;
    const ranged = Object.keys(nodes).filter((k) => /\[\d+\.\.\d+\]/.test(k));
    if (ranged.length === 0) return null;
    const key = ranged[pick % ranged.length]!;
    const factor = [2, 100, 1000, 40_000][pick % 4]!;
    const grown = key.replace(/\[(\d+)\.\.(\d+)\]/, (_, a: string, b: string) => `[${a}..${Number(b) * factor}]`);
    const body = nodes[key];
    delete nodes[key];
    nodes[grown] = body;
    return `node key ${key} grown to ${grown}`;
  },
};
Object.assign(MUTATIONS, GROW);

export const mutation = fc.record({
  kind: fc.constantFrom(...Object.keys(MUTATIONS), "unit", "count", "set"),
  pick: fc.nat(),
  extra: fc.oneof({ weight: 3, arbitrary: nasty }, { weight: 2, arbitrary: mild }),
});

/** Refusals every case with these must end in: a reserved key anywhere, a link from a node to itself. */
export function injectCertain(value: Record<string, unknown>, pick: number): string | null {
  const topo = value.topology as { links?: { endpoints?: unknown }[] } | undefined;
  if (pick % 2 === 0 && Array.isArray(topo?.links) && topo.links.length > 0) {
    const link = topo.links[pick % topo.links.length]!;
    const ends = link.endpoints;
    if (Array.isArray(ends) && typeof ends[0] === "string") {
      const node = ends[0].slice(0, ends[0].indexOf(":"));
      link.endpoints = [ends[0], pick % 4 === 0 ? ends[0] : `${node}:${ends[0].slice(ends[0].indexOf(":") + 1)}x`];
      // A port to itself; or a port of the same node (which may not exist: refused either way).
      return `self-loop ${JSON.stringify(link.endpoints)}`;
    }
  }
  const maps = paths(value).filter((p) => {
    const v = get(value, p);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  });
  const path = maps[pick % maps.length]!;
  const key = ["__proto__", "constructor", "prototype"][pick % 3]!;
  Object.defineProperty(get(value, path), key, {
    value: { x: 1 },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return `reserved key ${[...path, key].join(".")}`;
}

// ---------------------------------------------------------------- text-level changes

export const TEXT_CHANGES = ["control", "truncate", "dupline", "laughs", "none", "none", "none", "none"] as const;

export function textChange(text: string, kind: (typeof TEXT_CHANGES)[number], pick: number): [string, string | null] {
  const lines = text.split("\n");
  switch (kind) {
    case "control": {
      const at = pick % Math.max(1, text.length);
      return [`${text.slice(0, at)}\u001b[2J\u0007${text.slice(at)}`, `control characters at ${at}`];
    }
    case "truncate":
      return [text.slice(0, pick % Math.max(1, text.length)), "truncated"];
    case "dupline": {
      const i = pick % lines.length;
      lines.splice(i, 0, lines[i]!);
      return [lines.join("\n"), `line ${i + 1} duplicated`];
    }
    case "laughs": {
      const bomb = ["z0: &z0 [q, q, q, q, q, q, q, q, q]"];
      for (let k = 1; k < 9; k++)
        bomb.push(
          `z${k}: &z${k} [${Array(9)
            .fill(`*z${k - 1}`)
            .join(", ")}]`,
        );
      return [`${bomb.join("\n")}\n${text}`, "alias bomb"];
    }
    default:
      return [text, null];
  }
}
