/**
 * The YAML editor: the text of the loaded topology or study, checked as you type with
 * the CLI's own messages (`file:line:col path: message`), each a button that moves the
 * cursor to its line. "Load this YAML" loads the text; a text with problems never
 * replaces the topology that is loaded.
 */
import type { Design } from "../../src/topology/types.js";
import { byId, el } from "./dom.js";
import { isStudy, load } from "./sources.js";

export class Editor {
  private readonly area = byId<HTMLTextAreaElement>("editor");
  private readonly issues = byId<HTMLUListElement>("issues");
  private typing = 0;

  constructor(
    apply: (text: string) => void,
    private readonly file: () => string,
    private readonly design: () => Design | null,
  ) {
    this.area.addEventListener("input", () => {
      clearTimeout(this.typing);
      this.typing = window.setTimeout(() => this.validate(this.area.value, this.file()), 300);
    });
    byId("apply").addEventListener("click", () => apply(this.area.value));
  }

  set text(text: string) {
    this.area.value = text;
  }

  /** Shows the CLI's error lines (or hides the list); returns the load's outcome. */
  validate(text: string, file: string): ReturnType<typeof load> {
    const r = load(text, file, isStudy(text) ? this.design() : null);
    const issues = this.issues;
    issues.replaceChildren();
    issues.hidden = r.ok;
    if (!r.ok)
      for (const line of r.lines) {
        const li = el("li");
        const b = el("button", line, { type: "button", class: "issue" });
        b.addEventListener("click", () => this.gotoLine(line));
        li.append(b);
        issues.append(li);
      }
    return r;
  }

  private gotoLine(line: string): void {
    const m = /:(\d+):(\d+) /.exec(line);
    if (m === null) return;
    byId<HTMLDetailsElement>("editor-section").open = true;
    const lines = this.area.value.split("\n");
    const n = Math.min(Number(m[1]), lines.length) - 1;
    const offset = lines.slice(0, n).reduce((a, l) => a + l.length + 1, 0) + Number(m[2]) - 1;
    this.area.focus();
    this.area.setSelectionRange(offset, offset);
  }
}
