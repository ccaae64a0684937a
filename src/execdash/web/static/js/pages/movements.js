// The Retention page's MRR movements (/api/v1/retention/mrr-movements): a monthly movements chart,
// the window's bridge from opening to closing MRR, the numbers behind it, and the NRR cross-check.
import { getJSON } from "../api.js";
import { h, fill } from "../dom.js";
import { chartCard } from "../charts.js";
import { tableCard } from "../tables.js";
import { formatValue, formatPeriod } from "../format.js";
import { viewParams } from "../state.js";
import { waterfallSpec, formatContribution } from "../waterfall.js";

const MOVES = [
  ["new", "New"],
  ["reactivation", "Reactivation"],
  ["expansion", "Expansion"],
  ["contraction", "Contraction"],
  ["churn", "Churn"],
  ["unattributed", "Unattributed"],
];

function monthlyChart(box, body) {
  const months = body.months || [];
  const shown = MOVES.filter(([k]) => months.some((m) => m[k] !== 0));
  chartCard(box, {
    title: "MRR movements per month",
    filename: "mrr-movements",
    categories: months.map((m) => m.period),
    series: [
      ...shown.map(([k, label]) => ({ name: label, key: k, unit: "currency", type: "bar", stack: "moves", data: months.map((m) => m[k]) })),
      // The closing MRR is a hundred times the movements: in the tooltip and CSV, not on a second axis.
      { name: "Closing MRR", key: "closing", unit: "currency", tooltipOnly: true, data: months.map((m) => m.closing) },
    ],
    note: "Contraction and churn are drawn below zero; opening + movements = closing every month (the closing MRR is in the tooltip and the CSV).",
    empty: "No subscription or recurring orders in this window.",
  });
}

function bridgeChart(box, body) {
  const w = body.window;
  const steps = MOVES.filter(([k]) => k !== "unattributed" || w[k] !== 0)
    .map(([k, label]) => ({ name: label, kind: "slice", status: "continuing", contribution: w[k], members: 1 }));
  const spec = waterfallSpec(`MRR bridge ${formatPeriod(w.opening_month)} → ${formatPeriod(body.timeframe.end_month)}`, {
    key: "mrr", label: "MRR", unit: "currency", previous: w.opening, current: w.closing, change: w.net_change,
    timeframe: body.timeframe, drivers: steps,
  }, {
    filename: "mrr-bridge",
    startLabel: `Opening MRR (${formatPeriod(w.opening_month)})`,
    endLabel: `Closing MRR (${formatPeriod(body.timeframe.end_month)})`,
  });
  spec.csv = {
    header: ["step", "amount", "customers"],
    rows: [["opening", w.opening, w.customers.opening],
      ...MOVES.map(([k]) => [k, w[k], w.customers[k] ?? ""]),
      ["closing", w.closing, w.customers.closing]],
  };
  chartCard(box, spec);
}

function bridgeTable(box, body) {
  const w = body.window;
  const money = (v) => formatValue(v, "currency", "", { compact: false });
  const rows = [
    { step: `Opening MRR (${formatPeriod(w.opening_month)})`, amount: money(w.opening), customers: w.customers.opening },
    ...MOVES.filter(([k]) => k !== "unattributed" || w[k] !== 0).map(([k, label]) => ({
      step: label, amount: formatContribution(w[k], "currency"), customers: w.customers[k] ?? "—",
    })),
    { step: `Closing MRR (${formatPeriod(body.timeframe.end_month)})`, amount: money(w.closing), customers: w.customers.closing },
    { step: "ARR (12 × closing MRR)", amount: money(body.arr_closing), customers: "" },
    { step: "ARPA (closing MRR ÷ customers)", amount: money(w.arpa), customers: "" },
    { step: "Logo churn (monthly)", amount: formatValue(w.logo_churn_rate, "ratio"), customers: "" },
    { step: "Revenue churn (monthly)", amount: formatValue(w.revenue_churn_rate, "ratio"), customers: "" },
    { step: "Expansion (monthly)", amount: formatValue(w.expansion_rate, "ratio"), customers: "" },
  ];
  tableCard(box, {
    title: "MRR bridge for the window",
    filename: "mrr-bridge-table",
    rows,
    columns: [
      { key: "step", label: "Step" },
      { key: "amount", label: "Amount", num: true },
      { key: "customers", label: "Customers", num: true },
    ],
  });
}

function checkTable(box, body) {
  const pct = (v) => formatValue(v, "ratio");
  const pts = (v) => (v === null || v === undefined ? "—" : formatContribution(v, "ratio"));
  tableCard(box, {
    title: "NRR, gross churn and expansion: orders vs stored",
    filename: "retention-cross-check",
    rows: body.checks || [],
    empty: "No months to check.",
    columns: [
      { key: "month", label: "Month", format: (v) => formatPeriod(v) },
      { key: "cohort_customers", label: "Cohort", num: true },
      { key: "nrr", label: "NRR (orders)", num: true, format: pct },
      { key: "stored_nrr", label: "NRR (stored)", num: true, format: pct },
      { key: "nrr_difference", label: "Diff.", num: true, format: pts },
      { key: "gross_churn", label: "Gross churn (orders)", num: true, format: pct },
      { key: "stored_gross_churn", label: "Gross churn (stored)", num: true, format: pct },
      { key: "gross_churn_difference", label: "Diff.", num: true, format: pts },
    ],
  });
}

/** The Retention page's MRR movements card (a custom entry of the domain layout). */
export async function mrrMovements(container, _data, view) {
  container.id = "mrr-movements";
  const body = await getJSON("/api/v1/retention/mrr-movements", viewParams(view));
  const parts = ["monthly", "bridge", "table", "check"].map((k) => h("div", { class: `mrr-${k}` }));
  fill(container, ...parts);
  container.setAttribute("aria-label", "MRR movements");
  monthlyChart(parts[0], body);
  if ((body.months || []).some((m) => m.opening || m.closing)) bridgeChart(parts[1], body);
  bridgeTable(parts[2], body);
  parts[3].id = "mrr-check";
  checkTable(parts[3], body);
  parts[3].append(h("p", { class: "chart-note", text: "Trailing 12 months: the customers paying 12 months before, their MRR now ÷ then, computed from the orders, next to the NRR stored with the data. Differences are shown, never hidden." }));
}
