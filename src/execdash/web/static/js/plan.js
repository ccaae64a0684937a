// The active plan beside the numbers: a tile's plan line and status, the plan line and shaded gap
// on charts, and the ranking of KPIs by how far off plan they are. Every number is the API's.
import { h } from "./dom.js";
import { formatValue, formatDelta, formatPoints, formatPeriod } from "./format.js";

export const STATUS_WORDS = { on_track: "On track", at_risk: "At risk", off_track: "Off track" };
export const STATUS_TONES = { on_track: "good", at_risk: "warn", off_track: "bad" };

function missing(v) {
  return v === null || v === undefined;
}

/** "−2.6%" or "−0.3 pts" (ratios), the way the KPI's change is shown. */
export function formatVariance(plan, key) {
  return plan.variance_unit === "points" ? formatPoints(plan.variance, key) : formatDelta(plan.variance_pct);
}

/** "Jan – Oct 2026": the months compared with the plan. */
export function planSpan(plan) {
  if (!plan.start_month) return "";
  return plan.start_month === plan.end_month
    ? formatPeriod(plan.end_month)
    : `${formatPeriod(plan.start_month)} – ${formatPeriod(plan.end_month)}`;
}

/** "FY2026 lands at £9.66M vs £9.68M plan (−0.2%)", or null without a landing. */
export function landingText(kpi) {
  const p = kpi.plan?.period;
  if (!p || missing(p.plan)) return null;
  const fmt = (v) => formatValue(v, kpi.unit, kpi.key);
  if (missing(p.landing)) return `${p.key} plan ${fmt(p.plan)}; nothing to forecast the landing from`;
  const gap = kpi.plan.variance_unit === "points" ? formatPoints(p.gap, kpi.key) : formatDelta(p.gap_pct);
  const verb = kpi.key === "forecast" ? "forecast" : "lands at";
  return `${p.key} ${verb} ${fmt(p.landing)} vs ${fmt(p.plan)} plan (${gap})`;
}

const METHOD_WORDS = {
  actuals: "all actuals",
  holt_damped: "forecast by damped Holt, as the revenue forecast",
  trailing_3m_mean: "forecast by the mean of the last 3 months",
  to_date: "the value for the period to date",
  forecast: "the revenue forecast",
  none: "nothing to forecast from",
};

/** "10 months actual + 2 forecast (damped Holt …)": how the landing was made. */
export function landingBasis(plan) {
  const p = plan?.period;
  if (!p) return "";
  const parts = [];
  if (p.actual_months) parts.push(`${p.actual_months} month${p.actual_months > 1 ? "s" : ""} actual`);
  if (p.forecast_months) parts.push(`${p.forecast_months} forecast`);
  return `${parts.join(" + ")} (${METHOD_WORDS[p.method] || p.method})`;
}

/** The coloured status word; the rule is its title and accessible description. */
export function statusBadge(kpi) {
  const plan = kpi.plan;
  if (!plan?.status) return null;
  const words = STATUS_WORDS[plan.status];
  return h("span", {
    class: `plan-status ${STATUS_TONES[plan.status]}`,
    title: `${landingText(kpi) || ""}. ${plan.rule}`,
    "aria-label": `${words} against ${plan.plan_name}: ${landingText(kpi) || ""}`,
    text: words,
  });
}

/** A tile's plan lines: status, plan and variance for the window, attainment, the landing. */
export function planBlock(kpi) {
  const plan = kpi.plan;
  if (!plan) return null;
  if (missing(plan.plan)) {
    return h("div", { class: "tile-plan muted", text: `No ${plan.plan_name} target for this window` });
  }
  const fmt = (v) => formatValue(v, kpi.unit, kpi.key);
  const shownVariance = formatVariance(plan, kpi.key);
  const rounded = /^0\.0+( pts|%|×)$/.test(shownVariance); // on plan to the digit shown
  const tone = rounded ? "neutral" : plan.favourable === true ? "good" : plan.favourable === false ? "bad" : "neutral";
  const figures = [`Plan ${fmt(plan.plan)}`];
  const variance = h("span", { class: `plan-variance ${tone}`, text: `${shownVariance} vs plan` });
  const attained = missing(plan.attainment) ? null : `${formatValue(plan.attainment, "ratio")} of plan`;
  const covers = plan.months < plan.window_months ? `plan covers ${planSpan(plan)}` : null;
  return h("div", { class: "tile-plan", dataset: { status: plan.status || "" } },
    h("div", { class: "plan-line" }, statusBadge(kpi),
      h("span", { class: "plan-figures" }, figures.join(""), " · ", variance, attained ? ` · ${attained}` : "")),
    landingText(kpi) ? h("span", { class: "plan-landing", text: landingText(kpi) }) : null,
    covers ? h("span", { class: "plan-covers", text: covers }) : null);
}

/** The popover paragraph: what the plan is, how the landing was made, and the status rule. */
export function planHow(kpi) {
  const plan = kpi.plan;
  if (!plan || missing(plan.plan)) return null;
  const fmt = (v) => formatValue(v, kpi.unit, kpi.key, { compact: false });
  return h("div", { class: "how-plan" },
    h("p", {}, h("strong", { text: `Against ${plan.plan_name} v${plan.plan_version}: ` }),
      `${planSpan(plan)} plan ${fmt(plan.plan)}, actual ${fmt(plan.actual)}.`),
    plan.period ? h("p", { text: `${landingText(kpi)}: ${landingBasis(plan)}.` }) : null,
    h("p", { class: "muted", text: plan.rule }));
}

/** How far worse than plan the landing is, in the comparison's unit (for ranking; null last). */
export function shortfall(kpi) {
  const p = kpi.plan?.period;
  if (!p || missing(p.gap)) return null;
  const gap = kpi.plan.variance_unit === "points" ? p.gap : p.gap_pct;
  if (missing(gap)) return null;
  return kpi.good_direction === "down" ? gap : -gap;
}

/**
 * Add a dashed plan line and the shaded gap between actual and plan to a cartesian chart spec.
 * `actualIndex` is the series it is drawn against; `plan` an API series aligned by period.
 */
export function withPlanLine(spec, plan, actualIndex = 0) {
  if (!plan || !(plan.points || []).some((p) => !missing(p.value))) return spec;
  const actual = spec.series[actualIndex];
  const byPeriod = new Map(plan.points.map((p) => [p.period, p.value]));
  const planned = spec.categories.map((c) => byPeriod.get(c) ?? null);
  const both = planned.map((v, i) => (missing(v) || missing(actual.data[i]) ? null : [v, actual.data[i]]));
  const axis = actual.axis || 0;
  const gap = both.map((pair) => (pair ? Math.abs(pair[1] - pair[0]) : null));
  const shown = both.map((pair) => {
    if (!pair) return null;
    const [p, a] = pair;
    const text = actual.unit === "ratio" ? formatPoints(a - p, actual.key) : formatDelta(p ? (a - p) / Math.abs(p) : null);
    return `${text} (${formatValue(a - p, actual.unit, actual.key, { compact: false })})`;
  });
  const line = { name: plan.label || "Plan", key: plan.key, unit: actual.unit, type: "line", axis, dashed: true, data: planned };
  const base = { name: "Gap base", key: `${plan.key}_base`, unit: actual.unit, type: "line", axis, stack: `gap-${plan.key}`, band: "base", data: both.map((pair) => (pair ? Math.min(...pair) : null)) };
  const signed = both.map((pair) => (pair ? pair[1] - pair[0] : null));
  const fill = { name: "Gap to plan", key: "actual_minus_plan", unit: actual.unit, type: "line", axis, stack: `gap-${plan.key}`, band: "fill", data: gap, shown, csv: signed };
  return { ...spec, series: [...spec.series, line, base, fill], note: [spec.note, "Dashed: the plan; shaded: the gap between actual and plan."].filter(Boolean).join(" ") };
}

/** Rows for the overview's ranking: every KPI with a status, furthest off plan first. */
export function rankedByPlan(kpis) {
  return kpis
    .filter((k) => k.plan && !missing(k.plan.plan))
    .map((k) => ({ kpi: k, short: shortfall(k) }))
    .sort((a, b) => (b.short ?? -Infinity) - (a.short ?? -Infinity));
}
