import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** Every .ts file under `dir`, as absolute paths. */
function sources(dir: string): string[] {
  return readdirSync(resolve(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => resolve(ROOT, dir, f));
}

/**
 * The modules each file loads when it runs: relative `import … from` and `export … from` of
 * a .js or .ts module,
 * except `import type` and `export type` (erased). `import { type A } from` still loads its
 * module (verbatimModuleSyntax keeps it), so it counts.
 */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s)?[^;]*?from\s+"(\.[^"]+)"/gms)) {
    // Modules only: the page's `?raw` text files and JSON are data.
    if (m[2] !== undefined || !/\.(js|ts)$/.test(m[3]!)) continue;
    out.push(resolve(dirname(file), m[3]!.replace(/\.js$/, ".ts")));
  }
  return out;
}

/** The import cycles among `files`, each as the list of files on it (relative to the repository). */
function cycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, runtimeImports(f)]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (!graph.has(g)) continue;
      if (state.get(g) === "open") found.push(stack.slice(stack.indexOf(g)).map((x) => relative(ROOT, x)));
      else if (state.get(g) === undefined) visit(g);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (state.get(f) === undefined) visit(f);
  return found;
}

describe("the source's imports", () => {
  it("form no cycle in the kernel, the domain or the page (type-only imports aside)", () => {
    expect(cycles([...sources("sim"), ...sources("src"), ...sources("web/src")])).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself)", () => {
    const a = join(ROOT, "test/fixtures/import-cycle/a.ts");
    expect(cycles([a, join(ROOT, "test/fixtures/import-cycle/b.ts")])).toEqual([
      ["test/fixtures/import-cycle/a.ts", "test/fixtures/import-cycle/b.ts"],
    ]);
  });

  it("keep Node out of the page: nothing the page's entry points load imports a node: module", () => {
    const entries = ["web/src/main.ts", "web/src/worker.ts", "web/src/batch-worker.ts"].map((f) => resolve(ROOT, f));
    const seen = new Set<string>();
    const load = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const g of runtimeImports(f)) load(g);
    };
    for (const e of entries) load(e);
    const nodeUsers = [...seen].filter((f) => /^import\s[^;]*?from\s+"node:/ms.test(readFileSync(f, "utf8")));
    expect(seen.size).toBeGreaterThan(100);
    expect(nodeUsers.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("keep the kernel free of the domain: nothing in sim/ imports src/ or web/", () => {
    const out = sources("sim").flatMap((f) =>
      runtimeImports(f)
        .filter((g) => !relative(ROOT, g).startsWith("sim/"))
        .map((g) => `${relative(ROOT, f)} → ${relative(ROOT, g)}`),
    );
    expect(out).toEqual([]);
  });
});
