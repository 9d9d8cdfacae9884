/**
 * The design parameters as a Markdown table, for `docs/study-format.md` (a test
 * keeps the committed table equal to this, so the document cannot drift from
 * the generators' limits).
 */
import { DESIGNS } from "../topology/schema.js";
import { PARAMS } from "./params.js";

export function paramsMarkdownTable(): string {
  const rows = ["| design | parameter | values | default | what it is |", "| --- | --- | --- | --- | --- |"];
  for (const design of DESIGNS) {
    for (const p of PARAMS[design]) {
      const values = p.kind === "int" ? `${p.min} … ${p.max}` : p.choices.join(", ");
      rows.push(`| ${design} | \`${p.name}\` | ${values} | ${p.default} | ${p.doc.replaceAll("|", "\\|")} |`);
    }
  }
  return `${rows.join("\n")}\n`;
}
