import { describe, expect, it } from "vitest";
import { MAX_TEXT, MAX_VALUES, parseYaml } from "../../../src/topology/document.js";
import { formatIssues } from "../../../src/topology/issues.js";

function refused(text: string): string {
  const r = parseYaml(text, "f.yaml");
  if (r.ok) throw new Error("expected the text to be refused");
  return formatIssues(r.issues);
}

describe("YAML documents", () => {
  it("give the plain value of a good document, with positions kept", () => {
    const r = parseYaml("a: 1\nb: [x, y]\n", "f.yaml");
    expect(r.ok && r.value).toEqual({ a: 1, b: ["x", "y"] });
  });

  it("report every duplicate key, each with the line of the first", () => {
    expect(refused("a: 1\nb: { c: 1, c: 2 }\na: 3\n")).toBe(
      'f.yaml:2:12 b.c: duplicate key "c" (first at line 2)\nf.yaml:3:1 a: duplicate key "a" (first at line 1)',
    );
  });

  it("check 100,000 keys in one linear pass", () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    const r = parseYaml(`${text}\nk5: again\n`, "f.yaml");
    expect(r.ok).toBe(false);
  });

  it("refuse __proto__, constructor and prototype as keys at any depth, in maps inside lists too", () => {
    expect(refused("a: [{ b: { __proto__: 1 } }]\nconstructor: 2\n")).toBe(
      `f.yaml:1:12 a[0].b.__proto__: "__proto__" is a reserved name (it would reach JavaScript's object prototype); rename the key\n` +
        `f.yaml:2:1 constructor: "constructor" is a reserved name (it would reach JavaScript's object prototype); rename the key`,
    );
  });

  it("report only the first syntax error", () => {
    expect(refused("a: [1, 2\nb: {\n")).toMatch(/^f\.yaml:\d+:\d+ \(syntax\): [^\n]+$/);
  });

  it("refuse aliases that expand past the value limit, though each alias alone is allowed", () => {
    // 900 aliases of a list of 3000 values: within maxAliasCount, 2.7 million values expanded.
    const big = `base: &b [${Array(3000).fill("1").join(",")}]\nuses:\n${Array(900).fill("  - *b").join("\n")}\n`;
    expect(refused(big)).toBe(
      `f.yaml:1:1 (syntax): with its aliases (*name) expanded the file holds more than ${MAX_VALUES.toLocaleString("en-US")} values`,
    );
  });

  it("refuse text longer than any real input before parsing it", () => {
    expect(refused(" ".repeat(MAX_TEXT + 1))).toMatch(
      /^f\.yaml:1:1 \(file\): the file has 4,194,305 characters, more than/,
    );
  });
});
