// Alert rules: the list (everyone), and for editors a form to create or edit a rule, with a
// backtest of the draft (how often it would have fired over the last 24 months) before saving.
import { getJSON, send } from "../api.js";
import { h, fill, toast } from "../dom.js";
import { tableCard } from "../tables.js";
import { canEdit } from "../context.js";
import { formatValue, formatPeriod } from "../format.js";
import { chartCard } from "../charts.js";
import { severityBadge } from "./alerts.js";

const DIRECTIONS = {
  threshold: [["below", "It is below the value"], ["above", "It is above the value"]],
  change: [["below", "It falls by more than"], ["above", "It rises by more than"], ["either", "It moves either way by more than"]],
  anomaly: [["either", "It leaves its expected band"], ["below", "It falls below its expected band"], ["above", "It rises above its expected band"]],
  off_plan: [["below", "It is below plan by more than"], ["above", "It is above plan by more than"], ["either", "It is off plan either way by more than"]],
};
const KIND_LABELS = { threshold: "Threshold", change: "Change", anomaly: "Anomaly", off_plan: "Off plan" };
const DOMAIN_LABELS = {
  finance: "Finance", sales: "Sales", retention: "Retention", operations: "Operations", supply: "Supply",
  telemetry: "Telemetry", products: "Products", marketing: "Marketing & feedback",
};

let metrics = [];
let editing = null; // the rule being edited, or null for a new one

const form = () => document.getElementById("rule-form");
const metricOf = (key) => metrics.find((m) => m.key === key);

/** Ratios are typed as percentages, NPS as −100…100; the API stores 0–1 fractions. */
function percentUnit(metric) {
  return metric && (metric.unit === "ratio" || metric.key === "nps");
}

/** Book-to-bill reads as a multiple (1.08×): typed as it reads. */
function multiple(metric) {
  return metric?.key === "book_to_bill";
}

/** How an off-plan gap is typed: % of plan, pts for ratio KPIs, × for book-to-bill. */
function planGapUnit(metric) {
  if (multiple(metric)) return "×";
  return metric?.unit === "ratio" ? "pts" : "%";
}

function toApi(kind, metric, text) {
  if (text === "" || text === null || text === undefined) return null;
  const number = Number(String(text).replace(/[,£$€\s%]/g, ""));
  if (!Number.isFinite(number)) return NaN;
  if (kind === "off_plan") return planGapUnit(metric) === "×" ? number : number / 100;
  if (kind === "change" || percentUnit(metric)) return number / 100;
  return number;
}

function fromApi(kind, metric, value) {
  if (value === null || value === undefined) return "";
  if (kind === "off_plan" && planGapUnit(metric) === "×") return String(value);
  if (kind === "change" || kind === "off_plan" || percentUnit(metric)) return String(Math.round(value * 10000) / 100);
  return String(value);
}

function showFields() {
  const f = form();
  const kind = f.elements.kind.value;
  const metric = metricOf(f.elements.metric.value);
  const previous = f.elements.direction.value;
  fill(f.elements.direction, DIRECTIONS[kind].map(([v, label]) => h("option", { value: v, text: label, selected: v === previous })));
  // an off-plan rule watches a KPI the plan holds targets for
  for (const option of f.elements.metric.options) option.disabled = kind === "off_plan" && !metricOf(option.value)?.plannable;
  if (f.elements.metric.selectedOptions[0]?.disabled) f.elements.metric.value = metrics.find((m) => m.plannable)?.key || "";
  for (const label of f.querySelectorAll("[data-for]")) label.hidden = !label.dataset.for.split(" ").includes(kind);
  const unit = metric ? (percentUnit(metric) ? (metric.key === "nps" ? "NPS points" : "%") : formatUnit(metric.unit)) : "";
  const metricNow = metricOf(f.elements.metric.value);
  document.getElementById("value-label").textContent = kind === "off_plan"
    ? `Off plan by more than (${planGapUnit(metricNow)})`
    : kind === "change" ? "By (%)" : `Value (${unit})`;
  document.getElementById("volume-label").textContent = `Only when either month is at least (${unit || "value"})`;
}

function formatUnit(unit) {
  return { currency: document.body.dataset.currencySymbol || "£", count: "count", months: "months", days: "days", hours: "hours", grams: "grams", per_year: "per year", score: "score" }[unit] || unit;
}

function draft() {
  const f = form();
  const kind = f.elements.kind.value;
  const metric = metricOf(f.elements.metric.value);
  const body = {
    name: f.elements.name.value.trim(),
    metric: f.elements.metric.value,
    kind,
    direction: f.elements.direction.value,
    hysteresis: toApi("change", null, f.elements.hysteresis.value) ?? 0,
    severity: f.elements.severity.value,
    enabled: f.elements.enabled.checked,
  };
  if (kind !== "anomaly") body.value = toApi(kind, metric, f.elements.value.value);
  if (kind === "change") {
    body.compare = f.elements.compare.value;
    body.min_volume = toApi("threshold", metric, f.elements.min_volume.value);
    if (body.min_volume !== null && percentUnit(metric)) body.min_volume = toApi(kind, metric, f.elements.min_volume.value);
  }
  if (kind === "anomaly") body.sensitivity = Number(f.elements.sensitivity.value);
  for (const key of ["value", "min_volume", "hysteresis"]) if (Number.isNaN(body[key])) body[key] = f.elements[key]?.value;
  return body;
}

function clearErrors() {
  const f = form();
  for (const el of f.querySelectorAll(".field-error")) el.remove();
  for (const el of f.querySelectorAll("[aria-invalid]")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); }
  const box = document.getElementById("rule-form-error");
  box.hidden = true;
  box.textContent = "";
}

/** Put each field's message under that field (the API names the field); the rest on top. */
function showErrors(error) {
  clearErrors();
  const f = form();
  const box = document.getElementById("rule-form-error");
  const fields = error.fields || [];
  const unplaced = [];
  for (const { name, message } of fields) {
    const input = f.elements[name];
    if (!input || input.closest("[hidden]")) { unplaced.push(`${name}: ${message}`); continue; }
    const id = `error-${name}`;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    input.closest("label").append(h("span", { class: "field-error", id, text: message }));
  }
  const text = fields.length ? unplaced.join("; ") : error.message;
  if (text) {
    box.textContent = fields.length ? `Please fix: ${text}` : text;
    box.hidden = false;
  }
}

function call(method, path, body) {
  return send(method, path, body);
}

function stateCell(rule) {
  if (rule.status === "disabled") return h("span", { class: "muted", text: "Disabled" });
  if (rule.status === "quiet") return h("span", { text: "Quiet" });
  return h("span", {},
    h("span", { class: "rule-state-firing", text: `Firing since ${formatPeriod(rule.firing_since)}` }),
    " · ", h("a", { href: `/alerts#alert-${rule.alert_id}`, text: "alert" }),
    " · ", h("a", { href: rule.drilldown_url, text: `see ${rule.metric_label}` }));
}

function actions(rule) {
  if (!canEdit()) return null;
  const toggle = async (event) => {
    event.currentTarget.disabled = true;
    try {
      await call("PATCH", `/api/v1/alert-rules/${rule.id}`, { enabled: !rule.enabled });
      toast(`Rule ${rule.enabled ? "disabled" : "enabled"}.`);
    } catch (error) {
      toast(`Could not change the rule: ${error.message}`);
    }
    await loadRules();
  };
  const remove = async (event) => {
    if (!window.confirm(`Delete the rule “${rule.name}”? The alerts it raised stay.`)) return;
    event.currentTarget.disabled = true;
    try {
      await call("DELETE", `/api/v1/alert-rules/${rule.id}`);
      toast("Rule deleted.");
      if (editing?.id === rule.id) resetForm();
    } catch (error) {
      toast(`Could not delete the rule: ${error.message}`);
    }
    await loadRules();
  };
  return h("div", { class: "row-actions" },
    h("button", { type: "button", class: "button small", text: "Edit", "aria-label": `Edit rule: ${rule.name}`, onclick: () => editRule(rule) }),
    h("button", { type: "button", class: "button small", text: rule.enabled ? "Disable" : "Enable", "aria-label": `${rule.enabled ? "Disable" : "Enable"} rule: ${rule.name}`, onclick: toggle }),
    h("button", { type: "button", class: "button small", text: "Delete", "aria-label": `Delete rule: ${rule.name}`, onclick: remove }));
}

async function loadRules() {
  const container = document.getElementById("rules-table");
  const data = await getJSON("/api/v1/alert-rules");
  const columns = [
    { key: "name", label: "Rule", format: (v, r) => h("div", {}, h("div", { class: "item-title", text: v }), h("div", { class: "item-meta", text: r.summary })) },
    { key: "kind", label: "Type", format: (v) => KIND_LABELS[v] || v },
    { key: "severity", label: "Severity", format: (v) => severityBadge(v) },
    { key: "status", label: "State", format: (_v, r) => stateCell(r) },
  ];
  if (canEdit()) columns.push({ key: "id", label: "Actions", format: (_v, r) => actions(r), csv: (v) => v });
  tableCard(container, {
    title: `Rules (${data.total})`, filename: "alert-rules", columns, rows: data.items,
    empty: canEdit() ? "No rules yet: create one below." : "No rules yet.",
  });
  for (const row of container.querySelectorAll("tr[data-id]")) row.id = `rule-${row.dataset.id}`;
  container.removeAttribute("aria-busy");
  if (location.hash.startsWith("#rule-")) document.getElementById(location.hash.slice(1))?.scrollIntoView({ block: "center" });
}

function fillMetrics() {
  const select = form().elements.metric;
  const groups = new Map();
  for (const m of metrics) {
    const group = m.executive ? "Executive KPIs" : DOMAIN_LABELS[m.domain] || m.domain;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(m);
  }
  fill(select, [...groups].map(([label, list]) => h("optgroup", { label }, list.map((m) => h("option", { value: m.key, text: m.label })))));
}

function resetForm() {
  editing = null;
  const f = form();
  f.reset();
  clearErrors();
  document.getElementById("rule-form-heading").textContent = "New rule";
  document.getElementById("rule-save").textContent = "Save rule";
  document.getElementById("rule-cancel").hidden = true;
  fill(document.getElementById("rule-backtest-result"));
  showFields();
}

function editRule(rule) {
  editing = rule;
  const f = form();
  const metric = metricOf(rule.metric);
  f.elements.name.value = rule.name;
  f.elements.metric.value = rule.metric;
  f.elements.kind.value = rule.kind;
  showFields();
  f.elements.direction.value = rule.direction;
  f.elements.value.value = fromApi(rule.kind, metric, rule.value);
  f.elements.compare.value = rule.compare || "previous";
  f.elements.min_volume.value = rule.min_volume === null ? "" : fromApi("threshold", metric, rule.min_volume);
  f.elements.sensitivity.value = String(rule.sensitivity || 3);
  f.elements.hysteresis.value = String(Math.round(rule.hysteresis * 10000) / 100);
  f.elements.severity.value = rule.severity;
  f.elements.enabled.checked = rule.enabled;
  document.getElementById("rule-form-heading").textContent = `Edit rule: ${rule.name}`;
  document.getElementById("rule-save").textContent = "Save changes";
  document.getElementById("rule-cancel").hidden = false;
  clearErrors();
  fill(document.getElementById("rule-backtest-result"));
  document.getElementById("rule-editor").scrollIntoView({ block: "start" });
  f.elements.name.focus();
}

function renderBacktest(result, body) {
  const box = document.getElementById("rule-backtest-result");
  const metric = metricOf(body.metric);
  const unit = metric?.unit;
  const fmt = (v) => formatValue(v, unit, metric?.key, { compact: false });
  const episodes = result.episodes.length
    ? h("ul", { class: "item-list", id: "backtest-episodes" }, result.episodes.map((e) => h("li", {},
      h("span", { text: e.start === e.end ? formatPeriod(e.start) : `${formatPeriod(e.start)} – ${formatPeriod(e.end)}` }),
      h("span", { class: "item-meta", text: ` · ${e.months} month${e.months === 1 ? "" : "s"} firing` }))))
    : null;
  const chart = h("div", { class: "backtest-chart" });
  fill(box,
    result.rule ? h("p", { class: "backtest-rule", id: "backtest-rule", text: result.rule }) : null,
    h("p", { class: "backtest-summary", id: "backtest-summary", text: result.summary }), episodes, chart);
  const periods = result.months.map((m) => m.period);
  const series = [{ name: metric?.label || body.metric, key: body.metric, unit, type: "line", data: result.months.map((m) => m.value) }];
  if (body.kind === "anomaly") {
    series.push(
      { name: "Band low", key: "lower", unit, type: "line", stack: "band", band: "base", data: result.months.map((m) => m.lower) },
      { name: "Expected band", key: "upper", unit, type: "line", stack: "band", band: "fill",
        data: result.months.map((m) => (m.upper === null || m.lower === null ? null : m.upper - m.lower)),
        csv: result.months.map((m) => m.upper),
        shown: result.months.map((m) => (m.upper === null ? "—" : `${fmt(m.lower)} – ${fmt(m.upper)}`)) },
    );
  }
  if (body.kind === "off_plan") {
    series.push({ name: "Plan", key: "plan", unit, type: "line", dashed: true, data: result.months.map((m) => m.plan) });
  }
  series.push({ name: "Would fire", key: "firing", unit, type: "line", symbol: "diamond", symbolSize: 11, sparse: true,
    data: result.months.map((m) => (m.firing ? m.value : null)), dashed: true });
  if (body.kind === "threshold" && body.value !== null) series[0].target = body.value;
  chartCard(chart, {
    title: `Backtest: ${metric?.label || body.metric}, last 24 months`, filename: "backtest",
    categories: periods, axes: [{ unit, scale: true }], series,
    empty: "No data for this metric in the last 24 months.",
  });
}

async function runBacktest() {
  const body = draft();
  const box = document.getElementById("rule-backtest-result");
  fill(box, h("p", { class: "muted", text: "Backtesting…" }));
  try {
    const result = await call("POST", "/api/v1/alert-rules/backtest", body);
    clearErrors();
    renderBacktest(result, body);
  } catch (error) {
    fill(box);
    showErrors(error);
  }
}

async function save(event) {
  event.preventDefault();
  const body = draft();
  const button = document.getElementById("rule-save");
  button.disabled = true;
  try {
    const rule = editing
      ? await call("PATCH", `/api/v1/alert-rules/${editing.id}`, body)
      : await call("POST", "/api/v1/alert-rules", body);
    toast(rule.status === "firing" ? `Rule saved: it is firing now (${formatPeriod(rule.firing_since)}).` : "Rule saved.");
    resetForm();
    await loadRules();
  } catch (error) {
    showErrors(error);
  } finally {
    button.disabled = false;
  }
}

export async function load() {
  const f = form();
  const editor = canEdit();
  document.getElementById("rule-readonly").hidden = editor;
  f.hidden = !editor;
  if (editor && !f.dataset.wired) {
    f.dataset.wired = "1";
    metrics = await getJSON("/api/v1/alert-rules/metrics");
    fillMetrics();
    f.elements.kind.addEventListener("change", showFields);
    f.elements.metric.addEventListener("change", showFields);
    f.addEventListener("submit", save);
    document.getElementById("rule-backtest").addEventListener("click", runBacktest);
    document.getElementById("rule-cancel").addEventListener("click", resetForm);
    showFields();
  }
  await loadRules();
}
