/** A Markdown table's cells, whatever the column padding (the formatter aligns them). */
export function tableCells(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/^-+$/, "---")),
    );
}
