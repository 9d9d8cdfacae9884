import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { paramsMarkdownTable } from "../../../src/design/params-table.js";
import { tableCells as cells } from "../../helpers/markdown.js";

describe("docs/study-format.md", () => {
  it("lists the design parameters exactly as the generators define them", () => {
    const doc = readFileSync(new URL("../../../docs/study-format.md", import.meta.url), "utf8");
    const begin = "<!-- params:begin -->";
    const table = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf("<!-- params:end -->"));
    expect(cells(table)).toEqual(cells(paramsMarkdownTable()));
    expect(cells(table)).toContainEqual(["ucs", "`bulkPinGroup`", "0 … 15", "0", expect.stringContaining("pin group")]);
  });
});
