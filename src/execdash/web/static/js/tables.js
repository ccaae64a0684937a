// Data tables in a card, with a CSV download of exactly the rows shown; on a phone each row
// stacks into a small card whose cells carry their column's name (see .stack-table in app.css).
import { h, fill } from "./dom.js";
import { downloadCsv, fileName, slug } from "./download.js";
import { downloadContext } from "./context.js";

/**
 * columns: [{key, label, num, format(value,row) -> string|Node, csv(value,row)}]
 * rows: plain objects. Text is always set as text, never HTML.
 */
export function tableCard(container, { title, columns, rows, empty, filename, actions }) {
  const name = filename || slug(title);
  const head = h("header", { class: "card-head" }, h("h2", { text: title }));
  fill(container, head);
  container.dataset.table = name;
  if (!rows || rows.length === 0) {
    container.append(h("div", { class: "empty", role: "note", text: empty || "No rows." }));
    return;
  }
  head.append(h("div", { class: "card-actions" }, actions || null,
    h("button", {
      type: "button", class: "button small", text: "CSV", "aria-label": `Download ${title} as CSV`,
      onclick: () => downloadCsv(fileName(name, downloadContext().slug, "csv"), columns.map((c) => c.key),
        rows.map((r) => columns.map((c) => (c.csv ? c.csv(r[c.key], r) : r[c.key])))),
    })));
  const table = h("table", { class: "stack-table" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null, text: c.label })))),
    h("tbody", {}, rows.map((r) => h("tr", { dataset: r.id !== undefined ? { id: r.id } : {} },
      columns.map((c) => {
        const shown = c.format ? c.format(r[c.key], r) : r[c.key] ?? "—";
        // data-label names the column when a phone stacks each row as a card (app.css).
        return h("td", { class: c.num ? "num" : null, dataset: { label: c.label } },
          h("span", { class: "cell" }, shown));
      })))));
  container.append(h("div", { class: "table-wrap" }, table));
}
