import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { paramsMarkdownTable } from "../../../src/design/params-table.js";

describe("docs/study-format.md", () => {
  it("lists the design parameters exactly as the generators define them", () => {
    const doc = readFileSync(new URL("../../../docs/study-format.md", import.meta.url), "utf8");
    const table = doc.slice(doc.indexOf("<!-- params:begin -->\n") + 22, doc.indexOf("<!-- params:end -->"));
    expect(table).toBe(paramsMarkdownTable());
    expect(table).toContain("| ucs | `bulkPinGroup` | 0 … 15 | 0 |");
  });
});
