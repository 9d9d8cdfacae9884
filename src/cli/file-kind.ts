/**
 * Which kind of iovsim file a text is — topology, study, catalog, plan or run
 * result — from its top-level keys, so a command given the wrong kind says
 * "this is a study; use `iovsim plan`" instead of a handful of schema errors.
 * Cheap and bounded: YAML is scanned for keys at column 0 (no parse), JSON is
 * parsed only when small. Browser-safe.
 */

export type FileKind = "topology" | "study" | "catalog" | "plan" | "result";

/** Past this size a JSON text is not parsed just to name its kind. */
const MAX_JSON_SCAN = 16 * 1024 * 1024;
/** YAML keys are looked for in the first megabyte (top-level keys come first in every iovsim file). */
const MAX_YAML_SCAN = 1024 * 1024;

const TOP_KEY = /^(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z_$][\w$-]*))[ \t]*:(?=[ \t]|\r?$)/gm;

function topLevelKeys(text: string): Set<string> | null {
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("{")) {
    if (text.length > MAX_JSON_SCAN) return null;
    try {
      const v: unknown = JSON.parse(text);
      return v !== null && typeof v === "object" && !Array.isArray(v) ? new Set(Object.keys(v)) : null;
    } catch {
      // Not JSON after all (a YAML flow mapping, or broken): fall through to the scan.
    }
  }
  const keys = new Set<string>();
  for (const m of text.slice(0, MAX_YAML_SCAN).matchAll(TOP_KEY)) keys.add(m[1] ?? m[2] ?? m[3] ?? "");
  return keys;
}

/** The kind of an iovsim file, or null when its top-level keys say nothing clear. */
export function detectKind(text: string): FileKind | null {
  const keys = topLevelKeys(text);
  if (keys === null) return null;
  const has = (...names: string[]) => names.every((n) => keys.has(n));
  if (has("iovsim", "rules", "designs")) return "plan";
  if (has("iovsim", "fingerprint") || has("iovsim", "workloads", "links")) return "result";
  if (has("catalog", "entries")) return "catalog";
  if (has("topology")) return "topology";
  if (has("groups") && (keys.has("servers") || keys.has("designs"))) return "study";
  return null;
}

const ARTICLE: Readonly<Record<FileKind, string>> = {
  topology: "a topology",
  study: "a study",
  catalog: "a catalog",
  plan: "a plan (what `iovsim plan` writes)",
  result: "a run result (what `iovsim run --json` writes)",
};

/** What to do with a file of `kind`: the commands that take it. */
export function usesOf(kind: FileKind, file: string): string {
  switch (kind) {
    case "topology":
      return `use \`iovsim run ${file}\` (also validate, compare, blast, bom)`;
    case "study":
      return `use \`iovsim plan ${file}\` (or \`iovsim expand ${file} --design D\` for one design's topology)`;
    case "catalog":
      return `give it to a command with \`--catalog ${file}\` (e.g. \`iovsim bom TOPOLOGY --catalog ${file}\`), or check it with \`iovsim validate ${file}\``;
    case "plan":
      return `check it with \`iovsim validate ${file}\`; report.html beside it shows it`;
    case "result":
      return "it is an output; no command reads it back";
  }
}

/** The one-line message for a file of `kind` given where `expected` was: `file:1:1 (file): this is a study, not a topology; use …`. */
export function wrongKindMessage(file: string, kind: FileKind, expected: string): string {
  return `${file}:1:1 (file): this is ${ARTICLE[kind]}, not ${expected}; ${usesOf(kind, file)}`;
}
