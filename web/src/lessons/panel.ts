/**
 * The "Lessons" panel: the list of lessons and the open one — its question, what to
 * click, what to look at, why it happens — and its key numbers, filled in from the
 * run (or the plan) and compared with what the lesson states.
 */
import { el } from "../dom.js";
import { formatGolden, type GoldenCheck } from "./golden.js";
import type { Lesson } from "./lessons.js";

export function renderLessonList(list: HTMLElement, lessons: readonly Lesson[], open: (l: Lesson) => void): void {
  list.replaceChildren();
  for (const l of lessons) {
    const li = el("li");
    const b = el("button", l.title.replace(/^\d+\.\s*/, ""), { type: "button", "data-lesson": l.id });
    b.addEventListener("click", () => open(l));
    li.append(b);
    list.append(li);
  }
}

export function markOpen(list: HTMLElement, id: string | null): void {
  for (const b of list.querySelectorAll<HTMLButtonElement>("button[data-lesson]")) {
    const on = b.dataset.lesson === id;
    b.setAttribute("aria-current", on ? "true" : "false");
  }
}

export function renderLesson(box: HTMLElement, l: Lesson, onPlan: (() => void) | null): void {
  box.hidden = false;
  box.dataset.lesson = l.id;
  box.replaceChildren(el("h3", l.title), el("p", l.question, { class: "question" }));
  const steps = el("ol");
  for (const s of l.steps) steps.append(el("li", s));
  const look = el("ul");
  for (const s of l.look) look.append(el("li", s));
  box.append(el("h4", "What to click"), steps, el("h4", "What to look at"), look);
  if (onPlan !== null) {
    const b = el("button", "Plan this study", { type: "button", id: "lesson-plan" });
    b.addEventListener("click", onPlan);
    box.append(el("p", null, {}), b, el("span", "", { id: "lesson-plan-status", class: "hint" }));
  }
  const why = el("details", null, { class: "why" });
  why.append(el("summary", "Why it happens"));
  for (const p of l.why) why.append(el("p", p));
  box.append(why);
  const table = el("table", null, { id: "golden" });
  table.append(el("caption", `Key numbers (${l.plan === true ? "from the plan" : "when the run ends"})`));
  const head = el("tr");
  for (const h of ["", "the lesson says", "this run", ""]) head.append(el("th", h, { scope: "col" }));
  table.append(el("thead"), el("tbody"));
  table.tHead!.append(head);
  for (const g of l.golden) {
    const tr = el("tr", null, { "data-label": g.label });
    tr.append(
      el("th", g.label, { scope: "row" }),
      el("td", formatGolden(g.value, g.unit, g.digits)),
      el("td", "–"),
      el("td", ""),
    );
    table.tBodies[0]!.append(tr);
  }
  box.append(table, el("p", `The long form: docs/learn/${l.doc}.md in the repository.`, { class: "hint" }));
}

/** Fills the "this run" column; the table's data-state says whether every number holds. */
export function showChecks(box: HTMLElement, checks: readonly GoldenCheck[], note = ""): void {
  const table = box.querySelector<HTMLTableElement>("#golden");
  if (table === null) return;
  checks.forEach((c, i) => {
    const row = table.tBodies[0]?.rows[i];
    if (row === undefined) return;
    row.cells[2]!.textContent = c.shown;
    row.cells[3]!.textContent = c.ok ? "✓ as stated" : "✗ differs";
    row.dataset.ok = String(c.ok);
  });
  table.dataset.state = checks.every((c) => c.ok) ? "match" : "differ";
  if (note !== "") table.caption!.textContent = note;
}

/** Back to "–" (a new run started, or other settings than the lesson's). */
export function clearChecks(box: HTMLElement, why = ""): void {
  const table = box.querySelector<HTMLTableElement>("#golden");
  if (table === null) return;
  for (const row of table.tBodies[0]?.rows ?? []) {
    row.cells[2]!.textContent = "–";
    row.cells[3]!.textContent = why;
    delete row.dataset.ok;
  }
  delete table.dataset.state;
}
