// Alerts and risks marked on the time series they concern: an alert whose title names a series
// ("Uptime dropped below 97%") is pinned to that series at the month it is about (the first
// YYYY-MM in its description, else the month it was raised); a risk at the month it is due.
import { getJSON } from "./api.js";
import { formatPeriod } from "./format.js";
import { humanLabel } from "./words.js";

/** Other words a title may use for a series, beside its own label. */
const SYNONYMS = {
  mttr: ["time to repair"],
  mtbf: ["time between failures"],
  recognized: ["revenue"],
  gross_churn: ["churn"],
  nrr: ["net revenue retention", "NRR"],
  page_visits: ["page visits", "visits"],
  lead_time: ["lead time"],
  backlog: ["backlog"],
};

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function names(series) {
  return [series.name, ...(SYNONYMS[series.key] || [])].filter(Boolean);
}

function mentions(title, series) {
  return names(series).some((name) => new RegExp(`(^|[^\\w])${escapeRegExp(name)}([^\\w]|$)`, "i").test(title));
}

/** "2026-05" from an alert: the first month its description names, else when it was raised. */
export function noticeMonth(notice) {
  const named = /\b(\d{4})-(0[1-9]|1[0-2])\b/.exec(notice.description || "");
  if (named) return `${named[1]}-${named[2]}`;
  return (notice.created_at || notice.due || "").slice(0, 7) || null;
}

/** The category a month falls in: itself by month, "2026-Q2" by quarter. */
function periodOf(month, categories) {
  if (categories.includes(month)) return month;
  const quarter = `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
  return categories.includes(quarter) ? quarter : null;
}

/** Alerts (any status) and risks (not closed) as notices; empty when they cannot be read. */
export async function fetchNotices() {
  const [alerts, risks] = await Promise.all([
    getJSON("/api/v1/alerts", { page_size: "200" }).then((d) => d.items).catch(() => []),
    getJSON("/api/v1/risks", { page_size: "200" }).then((d) => d.items).catch(() => []),
  ]);
  return toNotices(alerts, risks);
}

/** Alerts and risks in one shape: {kind, title, detail, severity, month}. */
export function toNotices(alerts = [], risks = []) {
  return [
    ...alerts.map((a) => ({
      kind: "alert", title: a.title, detail: a.description || "", severity: a.severity || "low",
      status: a.status || "open", month: noticeMonth(a),
    })),
    ...risks.filter((r) => (r.status || "open") !== "closed").map((r) => ({
      kind: "risk", title: r.title, detail: r.mitigation || "", severity: "risk",
      status: r.status || "open", month: (r.due || "").slice(0, 7) || null,
    })),
  ];
}

/**
 * Attach `marks` ([{index, notice}]) to each series of a cartesian spec that a notice names at a
 * period the chart shows; returns the spec with a note listing them.
 */
export function annotate(spec, notices) {
  if (!notices?.length || spec.horizontal || !spec.categories?.length) return spec;
  const listed = [];
  const series = spec.series.map((s) => {
    if (s.tooltipOnly || s.invisible || s.band) return s;
    const marks = [];
    for (const notice of notices) {
      const period = notice.month && periodOf(notice.month, spec.categories);
      if (!period || !mentions(notice.title, s)) continue;
      marks.push({ index: spec.categories.indexOf(period), notice });
      listed.push(`${formatPeriod(period)}: ${notice.title} (${noticeWord(notice)})`);
    }
    return marks.length ? { ...s, marks } : s;
  });
  if (!listed.length) return spec;
  const note = `⚠ Marked on the chart: ${listed.join("; ")}.`;
  return { ...spec, series, note: [spec.note, note].filter(Boolean).join(" ") };
}

/** "high alert", "open risk": what a notice is, in words. */
export function noticeWord(notice) {
  return notice.kind === "risk"
    ? `risk, ${humanLabel(notice.status).toLowerCase()}`
    : `${notice.severity} alert, ${humanLabel(notice.status).toLowerCase()}`;
}
