// The written summary (/api/v1/summary): each sentence as text, each figure a link to the page
// it comes from (with the API answer holding it in the tooltip), then what to act on.
import { getJSON } from "./api.js";
import { h, fill } from "./dom.js";
import { printOverflow } from "./printing.js";

function sentence(statement) {
  return h("li", { class: `summary-${statement.tone}`, dataset: { topic: statement.topic } },
    statement.parts.map((p) => (p.href
      ? h("a", { href: p.href, class: "figure", title: p.source ? `Source: ${p.source}` : null, text: p.text })
      : p.text)));
}

/** Fetch and render the summary of the view's window into `container`. */
export async function renderSummary(container, params) {
  const body = await getJSON("/api/v1/summary", params);
  const actions = body.actions || [];
  fill(container,
    h("header", { class: "card-head" }, h("h2", { id: "summary-heading", text: "What moved and why" })),
    h("ul", { class: "summary-list" }, body.statements.map(sentence)),
    actions.length ? h("h3", { class: "summary-sub", text: "Act on" }) : null,
    actions.length ? h("ol", { class: "summary-actions" }, actions.map((a) => h("li", { text: a }))) : null,
    h("details", { class: "how summary-rules" },
      h("summary", {}, "How is this written?"),
      h("div", { class: "how-body" }, h("ul", {}, (body.rules || []).map((r) => h("li", { text: r }))))));
  const list = container.querySelector(".summary-list");
  printOverflow([...list.children], list, ["finding", "findings"]);
  return body;
}
