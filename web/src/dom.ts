/** Tiny DOM helpers. Text always goes in as text nodes (never innerHTML): names come from user files. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | null,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`page: no #${id}`);
  return e as T;
}

/**
 * A table in a focusable, labelled box: on a narrow screen the box scrolls sideways, and a
 * region that scrolls must be reachable from the keyboard.
 */
export function table(head: readonly string[], rows: readonly (readonly string[])[], label: string): HTMLElement {
  const box = el("div", null, { class: "table-scroll", tabindex: "0", role: "region", "aria-label": label });
  box.append(plainTable(head, rows));
  return box;
}

function plainTable(head: readonly string[], rows: readonly (readonly string[])[]): HTMLTableElement {
  const t = el("table");
  const tr = el("tr");
  for (const h of head) tr.append(el("th", h));
  t.append(el("thead"), el("tbody"));
  t.tHead!.append(tr);
  for (const r of rows) {
    const row = el("tr");
    for (const c of r) row.append(el("td", c));
    t.tBodies[0]!.append(row);
  }
  return t;
}

/** Offers `text` as a download named `name`. */
export function download(name: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", null, { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
