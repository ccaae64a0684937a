// Alerts & risks: filters for everyone; acknowledge/close alerts and edit risk status for editors.
// The alert list polls every 30 s with If-None-Match, so an unchanged list costs a 304.
import { fetchJSON, getJSON, send } from "../api.js";
import { h, fill, toast } from "../dom.js";
import { tableCard } from "../tables.js";
import { canEdit } from "../context.js";
import { formatDate } from "../format.js";
import { humanLabel } from "../words.js";

const POLL_MS = 30000;
const RISK_STATES = ["open", "mitigating", "closed"];
let pollTimer = null;

function filterParams(form) {
  const params = { page_size: "200" };
  for (const [key, value] of new FormData(form).entries()) if (value) params[key] = String(value);
  return params;
}

export function severityBadge(severity) {
  return h("span", { class: `badge sev-${severity || "low"}`, text: severity || "—" });
}

function alertActions(alert, reload) {
  if (!canEdit()) return null;
  const act = (verb) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await send("POST", `/api/v1/alerts/${alert.id}/${verb}`);
      toast(`Alert ${verb === "acknowledge" ? "acknowledged" : verb === "close" ? "closed" : "reopened"}.`);
    } catch (error) {
      toast(`Could not ${verb} the alert: ${error.message}`);
    }
    reload();
  };
  const buttons = [];
  if (alert.status === "open") buttons.push(h("button", { type: "button", class: "button small", text: "Acknowledge", "aria-label": `Acknowledge alert: ${alert.title}`, onclick: act("acknowledge") }));
  if (alert.status !== "closed") buttons.push(h("button", { type: "button", class: "button small", text: "Close", "aria-label": `Close alert: ${alert.title}`, onclick: act("close") }));
  else buttons.push(h("button", { type: "button", class: "button small", text: "Reopen", "aria-label": `Reopen alert: ${alert.title}`, onclick: act("reopen") }));
  return h("div", { class: "row-actions" }, buttons);
}

/** For an alert a rule raised: links to the metric at that month and to the rule. */
function ruleLinks(alert) {
  if (!alert.rule_id) return null;
  return h("div", { class: "item-meta alert-links" },
    alert.drilldown_url ? h("a", { href: alert.drilldown_url, text: "See the numbers" }) : null,
    alert.drilldown_url ? " · " : null,
    h("a", { href: alert.rule_url, text: `Rule #${alert.rule_id}` }));
}

const ORDER = { severity: ["high", "medium", "low"], status: ["open", "acknowledged", "mitigating", "closed"] };

/**
 * Offer only the filters that can narrow the list: a control whose field has fewer than two
 * values among all the items is hidden (set to Any unless it holds that one value, so it can
 * never hide rows unseen), and each select lists only the values that occur. A form with no
 * useful control is hidden whole.
 */
export function showUsefulFilters(form, items, fields) {
  let shown = 0;
  for (const field of fields) {
    const control = form.elements[field];
    const values = [...new Set(items.map((item) => (field === "overdue" ? String(Boolean(item.overdue)) : item[field] || "open")))];
    const useful = values.length > 1;
    control.closest("label").hidden = !useful;
    if (control.type === "checkbox") {
      if (!useful) control.checked = false;
    } else {
      // A visible control keeps the reader's choice even when no item has that value any more.
      const current = control.value;
      const offered = useful && current && !values.includes(current) ? [...values, current] : values;
      const order = [...(ORDER[field] || []), ...[...offered].sort()];
      fill(control, h("option", { value: "", text: "Any" }),
        [...new Set(order)].filter((v) => offered.includes(v)).map((v) => h("option", { value: v, text: humanLabel(v) })));
      control.value = useful || (values.length === 1 && current === values[0]) ? current : "";
    }
    if (useful) shown += 1;
  }
  form.hidden = shown === 0;
}

async function loadAlerts(force = false) {
  const form = document.getElementById("alert-filters");
  const container = document.getElementById("alerts-table");
  const facets = async () => showUsefulFilters(form, (await getJSON("/api/v1/alerts", { page_size: "200" })).items, ["severity", "type", "status"]);
  if (force) await facets();
  let { data, notModified } = await fetchJSON("/api/v1/alerts", filterParams(form));
  const stamp = document.getElementById("alerts-refreshed");
  stamp.textContent = `Checked ${new Date().toLocaleTimeString("en-GB")}${notModified ? " · no change" : ""}`;
  if (notModified && !force && container.childElementCount) return;
  if (!force) {
    // The list changed under a poll: new values may make a filter useful (or useless) again.
    const before = JSON.stringify(filterParams(form));
    await facets();
    if (JSON.stringify(filterParams(form)) !== before) ({ data } = await fetchJSON("/api/v1/alerts", filterParams(form)));
  }
  const reload = () => loadAlerts(true);
  const columns = [
    { key: "severity", label: "Severity", format: (v) => severityBadge(v) },
    { key: "title", label: "Alert", format: (v, r) => h("div", {}, h("div", { class: "item-title", text: v }), r.description ? h("div", { class: "item-meta", text: r.description }) : null, ruleLinks(r)) },
    { key: "type", label: "Type", format: (v) => humanLabel(v) },
    { key: "created_at", label: "Raised", format: (v) => formatDate(v) },
    { key: "status", label: "Status", format: (v, r) => h("span", {}, humanLabel(v), r.status_by ? h("span", { class: "item-meta", text: ` by ${r.status_by}` }) : null) },
  ];
  if (canEdit()) columns.push({ key: "id", label: "Actions", format: (_v, r) => alertActions(r, reload), csv: (v) => v });
  tableCard(container, {
    title: `Alerts (${data.total})`, filename: "alerts", columns, rows: data.items,
    empty: "No alerts match these filters.",
  });
  for (const row of container.querySelectorAll("tr[data-id]")) row.id = `alert-${row.dataset.id}`;
}

function riskStatusControl(risk, reload) {
  if (!canEdit()) return humanLabel(risk.status || "open");
  const select = h("select", { "aria-label": `Status of risk: ${risk.title}` },
    RISK_STATES.map((s) => h("option", { value: s, text: humanLabel(s), selected: s === (risk.status || "open") })));
  select.addEventListener("change", async () => {
    select.disabled = true;
    try {
      await send("POST", `/api/v1/risks/${risk.id}/status`, { status: select.value });
      toast(`Risk set to ${select.value}.`);
    } catch (error) {
      toast(`Could not update the risk: ${error.message}`);
    }
    reload();
  });
  return select;
}

async function loadRisks() {
  const form = document.getElementById("risk-filters");
  showUsefulFilters(form, (await fetchJSON("/api/v1/risks", { page_size: "200" })).data.items, ["status", "overdue"]);
  const params = filterParams(form);
  const { data } = await fetchJSON("/api/v1/risks", params);
  const reload = () => loadRisks();
  tableCard(document.getElementById("risks-table"), {
    title: `Risks (${data.total})`, filename: "risks", rows: data.items,
    empty: "No risks match these filters.",
    columns: [
      { key: "title", label: "Risk", format: (v) => h("span", { class: "item-title", text: v }) },
      { key: "owner", label: "Owner", format: (v) => v || "—" },
      { key: "due", label: "Due", format: (v, r) => h("span", { class: r.overdue ? "overdue" : null }, formatDate(v), r.overdue ? " · overdue" : "") },
      { key: "mitigation", label: "Mitigation", format: (v) => v || "—" },
      { key: "status", label: "Status", format: (_v, r) => riskStatusControl(r, reload) },
    ],
  });
}

export async function load() {
  const alertForm = document.getElementById("alert-filters");
  const riskForm = document.getElementById("risk-filters");
  if (!alertForm.dataset.wired) {
    alertForm.dataset.wired = "1";
    alertForm.addEventListener("change", () => loadAlerts(true));
    riskForm.addEventListener("change", () => loadRisks());
  }
  await Promise.all([loadAlerts(true), loadRisks()]);
  clearInterval(pollTimer);
  pollTimer = setInterval(() => loadAlerts(false).catch((e) => toast(`Alert refresh failed: ${e.message}`)), POLL_MS);
}
