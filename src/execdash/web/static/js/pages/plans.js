// Plans: the active plan, its targets for the window in view (editors change one cell at a time),
// every version (editors activate one), the template CSV for the window and the file import.
import { getJSON, send, apiUrl } from "../api.js";
import { h, fill, toast } from "../dom.js";
import { tableCard } from "../tables.js";
import { canEdit } from "../context.js";
import { viewParams } from "../state.js";
import { showTimeframe } from "../context.js";
import { formatValue, formatPeriod, formatDate } from "../format.js";

/** The KPIs a plan holds, in the dashboard's order, with their unit. */
const KPIS = [
  ["revenue", "Revenue", "currency"], ["backlog", "Backlog", "currency"], ["uptime", "Uptime", "ratio"],
  ["nrr", "Net revenue retention", "ratio"], ["gm", "Gross margin", "ratio"], ["payback", "CAC payback", "months"],
  ["book_to_bill", "Book-to-bill", "ratio"], ["coverage_months", "Backlog coverage", "months"], ["arr", "ARR", "currency"],
];
const PERCENT = new Set(["uptime", "nrr", "gm"]);

function monthsOf(timeframe) {
  const out = [];
  let [y, m] = timeframe.start_month.split("-").map(Number);
  for (let i = 0; i < timeframe.months; i += 1) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

/** What an input shows: rates as percents (99.2), money and months grouped (2,260,000). */
function editable(key, value) {
  if (value === null || value === undefined) return "";
  if (PERCENT.has(key)) return String(Math.round(value * 100000) / 1000);
  return (Math.round(value * 100) / 100).toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

function readCell(key, text) {
  const trimmed = text.trim().replace(/[£$€,\s]/g, "");
  if (!trimmed) return null;
  const value = Number(trimmed.replace(/%$/, ""));
  if (!Number.isFinite(value)) throw new Error(`${text} is not a number`);
  return PERCENT.has(key) ? value / 100 : value;
}

function renderGrid(detail, timeframe, reload) {
  const box = document.getElementById("plan-grid");
  if (!detail) {
    fill(box, h("p", { class: "empty", text: "No plan is active: import one above, or start from the template." }));
    return;
  }
  const months = monthsOf(timeframe);
  const targets = new Map(detail.targets.filter((t) => !t.segment_kind).map((t) => [`${t.kpi}|${t.month}`, t.target]));
  const edit = canEdit();
  const head = h("tr", {}, h("th", { scope: "col", text: "KPI" }), months.map((m) => h("th", { scope: "col", class: "num", text: formatPeriod(m) })));
  const rows = KPIS.map(([key, label, unit]) => h("tr", { dataset: { kpi: key } },
    h("th", { scope: "row", text: label }),
    months.map((month) => {
      const value = targets.get(`${key}|${month}`);
      const cell = (content) => h("td", { class: "num", dataset: { label: formatPeriod(month) } }, h("span", { class: "cell" }, content));
      if (!edit) return cell(value === undefined ? "—" : formatValue(value, unit, key, { compact: false }));
      const input = h("input", {
        type: "text", inputmode: "decimal", value: editable(key, value), dataset: { kpi: key, month },
        "aria-label": `${label} target for ${formatPeriod(month)}${PERCENT.has(key) ? " (percent)" : ""}`,
      });
      input.addEventListener("change", async () => {
        try {
          const target = readCell(key, input.value);
          await send("PUT", `/api/v1/plans/${detail.plan.id}/targets`, { kpi: key, month, target });
          toast(`${label} ${formatPeriod(month)}: ${target === null ? "target removed" : `target set to ${formatValue(target, unit, key, { compact: false })}`}.`);
          reload();
        } catch (error) {
          toast(`Could not save ${label} ${formatPeriod(month)}: ${error.message}`);
          input.setAttribute("aria-invalid", "true");
        }
      });
      return cell(input);
    })));
  fill(box,
    h("p", { class: "muted", text: edit ? "Change a cell and leave it to save that target (rates in percent; empty removes it)." : "Sign in as an editor to change targets." }),
    h("div", { class: "plan-grid-wrap", dataset: { table: "plan-targets" } }, h("table", { class: "stack-table plan-grid" }, h("thead", {}, head), h("tbody", {}, rows))));
}

function renderVersions(plans, reload) {
  const edit = canEdit();
  tableCard(document.getElementById("plan-versions"), {
    title: "Plans and versions",
    filename: "plans",
    rows: plans,
    empty: "No plans yet.",
    columns: [
      { key: "name", label: "Plan", format: (v, r) => h("span", {}, v, r.active ? h("span", { class: "plan-status good", text: "Active" }) : null) },
      { key: "version", label: "Version", num: true },
      { key: "targets", label: "Targets", num: true },
      { key: "first_month", label: "Months", format: (v, r) => (v ? `${formatPeriod(v)} – ${formatPeriod(r.last_month)}` : "—") },
      { key: "created_at", label: "Created", format: (v, r) => `${formatDate(v)}${r.created_by ? ` by ${r.created_by}` : ""}` },
      { key: "id", label: "Actions", format: (v, r) => {
        const csv = h("a", { href: `/api/v1/plans/${v}?format=csv`, download: "", text: "CSV", "aria-label": `Download ${r.name} version ${r.version} as CSV` });
        if (!edit || r.active) return csv;
        return h("span", { class: "row-actions" }, csv, h("button", {
          type: "button", class: "button small", text: "Activate", "aria-label": `Activate ${r.name} version ${r.version}`,
          onclick: async (event) => {
            event.currentTarget.disabled = true;
            try {
              await send("POST", `/api/v1/plans/${v}/activate`);
              toast(`${r.name} version ${r.version} is now the active plan.`);
            } catch (error) {
              toast(`Could not activate: ${error.message}`);
            }
            reload();
          },
        }));
      } },
    ],
  });
}

function installImport(reload) {
  const form = document.getElementById("plan-import");
  form.hidden = !canEdit();
  if (form.dataset.ready) return;
  form.dataset.ready = "true";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = document.getElementById("plan-import-problems");
    const body = new FormData(form);
    if (!body.get("activate")) body.set("activate", "false");
    const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
    const response = await fetch("/api/v1/plans/import", { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": token } });
    const report = await response.json().catch(() => ({}));
    if (response.ok) {
      problems.hidden = true;
      toast(`Imported ${report.rows} targets as ${report.plan.name} version ${report.plan.version}.`);
      form.reset();
      reload();
      return;
    }
    const list = report.problems || [{ file: "", message: report.detail || `${response.status} ${response.statusText}` }];
    fill(problems, list.map((p) => h("li", { text: [p.file, p.row ? `row ${p.row}` : "", p.column ? `column ${p.column}` : "", p.value !== null && p.value !== undefined ? `value '${p.value}'` : ""].filter(Boolean).join(" ") + `: ${p.message}` })));
    problems.hidden = false;
    toast(`Nothing imported: ${report.problem_count ?? list.length} problem(s).`);
  });
}

export async function load(view) {
  const params = viewParams(view);
  const lines = await getJSON("/api/v1/plans/lines", params);
  showTimeframe(lines.timeframe);
  const plans = await getJSON("/api/v1/plans");
  const active = plans.find((p) => p.active) || null;
  const detail = active ? await getJSON(`/api/v1/plans/${active.id}`) : null;
  const reload = () => load(view);
  document.getElementById("plan-template").href = apiUrl("/api/v1/plans/template", params);
  document.getElementById("plan-active-text").textContent = active
    ? `${active.name}, version ${active.version}: ${active.targets} targets from ${formatPeriod(active.first_month)} to ${formatPeriod(active.last_month)}. Every KPI tile and chart compares with it.`
    : "No plan is active, so tiles and charts show no plan.";
  installImport(reload);
  renderGrid(detail, lines.timeframe, reload);
  renderVersions(plans, reload);
}
