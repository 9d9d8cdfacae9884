/** The plan fixture, a strict RFC 4180 reader and an attribute reader for the report tests. */
import { readFileSync } from "node:fs";
import type { PlanResult } from "../../../src/planner/plan.js";

const FIXTURE = new URL("../../fixtures/plan/plan.json", import.meta.url);

/**
 * A fresh copy of test/fixtures/plan/plan.json: the built-in study's real plan
 * (rejected candidates and BOM items trimmed) with a hand-made last-mile curve
 * (5 shares × 4 designs, ucs has no candidate at 100 %).
 */
export function fixturePlan(): PlanResult {
  return JSON.parse(readFileSync(FIXTURE, "utf8")) as PlanResult;
}

/** The fixture with one SLA workload renamed everywhere it appears in the choice (for escaping tests). */
export function withWorkloadName(name: string, from = "db-io"): PlanResult {
  const p = fixturePlan();
  for (const d of p.designs)
    for (const rows of [d.chosen?.sla, d.chosen?.flow.sla])
      for (const r of rows ?? []) if (r.workload === from) r.workload = name;
  return p;
}

/**
 * Records of RFC 4180 text with CRLF line ends: fields quoted or not, `""`
 * inside quotes, CR/LF only inside quotes. Throws on anything else, so a test
 * that parses proves the text is well-formed.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`);
  }
  if (record.length > 0) throw new Error("last record has no CRLF");
  return records;
}

/** Parsed CSV as objects keyed by the header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new Error("no header");
  for (const r of rows)
    if (r.length !== header.length) throw new Error(`row of ${r.length} fields, header has ${header.length}`);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
}

const unescapeHtml = (s: string): string =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replaceAll("&amp;", "&");

/** The attributes of every `<tag … class="cls" …>` in `html`, unescaped. */
export function marks(html: string, tag: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\s([^>]*)>`, "g"))) {
    const attrs = Object.fromEntries(
      [...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeHtml(a[2]!)]),
    );
    if (attrs.class === cls) out.push(attrs);
  }
  return out;
}

/** The text of `<script type="application/json" id="id">`, parsed. */
export function embeddedJson(html: string, id: string): unknown {
  const m = html.match(new RegExp(`<script type="application/json" id="${id}">([^]*?)</script>`));
  if (m === null) throw new Error(`no embedded JSON #${id}`);
  return JSON.parse(m[1]!);
}

/** The part of `html` from the element with this id to the next `</figure>`. */
export function figureOf(html: string, id: string): string {
  const start = html.indexOf(`<figure id="${id}"`);
  if (start < 0) throw new Error(`no figure #${id}`);
  return html.slice(start, html.indexOf("</figure>", start));
}
