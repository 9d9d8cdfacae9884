/**
 * Source positions for model problems: the BOM step works on the resolved
 * topology (no positions), so the file's text is parsed again to turn a path
 * (`topology.nodes.host3.adapters[0].model`) into `file:line:col`.
 */

import { LineCounter, parseDocument } from "yaml";
import { expandNodes } from "../topology/expand.js";
import { positionIssues } from "../topology/issues.js";
import type { TopologyIssue } from "../topology/types.js";
import type { ModelIssue } from "./types.js";

/** The issues with line and column in `text` (the topology file they came from). */
export function positionModelIssues(text: string, file: string, issues: readonly ModelIssue[]): TopologyIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const expansion = expandNodes(doc.toJS({ maxAliasCount: 1000 }));
  return positionIssues(issues, file, doc, lineCounter, expansion.origins);
}
