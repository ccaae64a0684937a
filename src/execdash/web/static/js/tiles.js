// KPI tiles: formatted value, delta arrow coloured by favourability, sparkline, and a
// "how is this computed" popover built from the API's provenance.
import { h } from "./dom.js";
import { formatValue, formatChange, formatPeriod } from "./format.js";
import { POPOVER_DIMENSION, fillPopoverDrivers } from "./drivers.js";
import { readView, viewParams } from "./state.js";
import { planBlock, planHow } from "./plan.js";

const SVG = "http://www.w3.org/2000/svg";

/** A small SVG line of `values` (nulls skipped), or null when fewer than two points exist. */
export function sparkline(values, label) {
  const points = values.map((v, i) => [i, v]).filter(([, v]) => v !== null && v !== undefined);
  if (points.length < 2) return null;
  const width = 96;
  const height = 28;
  const ys = points.map(([, v]) => v);
  const min = Math.min(...ys);
  const span = Math.max(...ys) - min || 1;
  const last = values.length - 1 || 1;
  const xy = points.map(([i, v]) => [2 + (i / last) * (width - 4), height - 3 - ((v - min) / span) * (height - 6)]);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", xy.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join(" "));
  const dot = document.createElementNS(SVG, "circle");
  const [lx, ly] = xy[xy.length - 1];
  dot.setAttribute("cx", lx.toFixed(1));
  dot.setAttribute("cy", ly.toFixed(1));
  dot.setAttribute("r", "2.2");
  svg.append(path, dot);
  return svg;
}

/** "Dec 2024 – Nov 2025": the window the change compares with. */
function previousSpan(kpi) {
  const c = kpi.coverage;
  if (!c) return "the previous window";
  return c.previous_start_month === c.previous_end_month
    ? formatPeriod(c.previous_end_month)
    : `${formatPeriod(c.previous_start_month)} – ${formatPeriod(c.previous_end_month)}`;
}

/**
 * The comparison in words ("same period last year"), from the "Compare with" control's options
 * (the server's list), or null for the previous period, which the span alone says.
 */
export function comparisonWords(kpi) {
  const key = kpi.coverage?.compare;
  if (!key || key === "previous") return null;
  const option = document.querySelector(`#ctl-compare option[value="${CSS.escape(key)}"]`);
  return option?.dataset.against || key.replace(/_/g, " ");
}

/** "vs 106.1% Dec 2024 – Nov 2025" (or "vs 106.1% same period last year, Dec 2024 – Nov 2025"),
 * or null when there is no previous value. */
export function previousText(kpi) {
  if (kpi.previous === null || kpi.previous === undefined) return null;
  const words = comparisonWords(kpi);
  return `vs ${formatValue(kpi.previous, kpi.unit, kpi.key)} ${words ? `${words}, ` : ""}${previousSpan(kpi)}`;
}

/** "5 of 12 months" (and the comparison window's count) when either window misses months. */
export function coverageText(kpi) {
  const c = kpi.coverage;
  if (!c || (c.complete && c.previous_complete)) return null;
  const parts = [];
  if (!c.complete) parts.push(`${c.current} of ${c.months} months`);
  if (!c.previous_complete) parts.push(`${comparisonWords(kpi) || "previous window"} ${c.previous} of ${c.months} months`);
  return parts.join(" · ");
}

function deltaBadge(kpi) {
  const arrow = kpi.direction === "up" ? "▲" : kpi.direction === "down" ? "▼" : "▶";
  const vs = previousText(kpi);
  const noChange = kpi.change === null || kpi.change === undefined;
  const hasPrevious = kpi.previous !== null && kpi.previous !== undefined;
  // An incomplete window withholds the change, also when it leaves the tile without a value.
  if ((!noChange || hasPrevious) && kpi.comparable === false) {
    return h("span", {
      class: "delta neutral withheld",
      title: `Change withheld: the windows do not have data for the same months${vs ? ` (${vs})` : ""}`,
      "aria-label": `Change withheld: the window or the ${comparisonWords(kpi) || "previous window"} is incomplete${vs ? `; ${vs}` : ""}`,
    }, "change withheld");
  }
  const change = formatChange(kpi);
  // A change that rounds to nothing at the digits shown ("0.0 pts") is neither green nor red.
  const flat = !noChange && /^[+−-]?0(\.0+)?( pts|%|×)?$/.test(change);
  const favourable = flat ? null : kpi.favourable;
  const tone = favourable === true ? "good" : favourable === false ? "bad" : "neutral";
  const words = favourable === true ? "favourable" : favourable === false ? "unfavourable" : "no clear change";
  const against = comparisonWords(kpi);
  const missingWord = hasPrevious ? "— no value" : against ? `— no ${against}` : "— no previous";
  const text = noChange ? missingWord : flat ? `▶ ${change.replace(/^[+−-]/, "")}` : `${arrow} ${change}`;
  // On paper (black and white) the colour is gone: the word says which way is good.
  const verdict = noChange ? null : flat ? "unchanged" : favourable === true ? "better" : favourable === false ? "worse" : null;
  return h("span", {
    class: `delta ${tone}`,
    title: vs || `Change versus the ${against || "previous window of the same length"}`,
    "aria-label": noChange ? (hasPrevious ? `No value to compare ${vs}` : "No previous value to compare with") : `${change} ${vs || "versus the previous window"}, ${words}`,
  }, text, verdict ? h("span", { class: "print-only delta-word", text: ` ${verdict}` }) : null);
}

function inputValue(input, kpi) {
  if (typeof input.value !== "number") return "—";
  const name = input.name.toLowerCase();
  if (/(rate|margin|uptime|nrr|churn|expansion|ratio|share|gm\b|win)/.test(name) && Math.abs(input.value) <= 5) {
    return formatValue(input.value, "ratio");
  }
  if (/(month|count|rows|periods)/.test(name) && !/(revenue|mrr|amount|cost|recognized|booked|backlog)/.test(name)) {
    return Number(input.value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }
  return formatValue(input.value, kpi.unit === "currency" || /(revenue|mrr|arr|amount|cost|expense|recognized|booked|backlog|profit|£)/.test(name) ? "currency" : "", "", { compact: false });
}

function howComputed(kpi) {
  const prov = kpi.provenance;
  if (!prov) return null;
  const list = h("dl");
  for (const input of prov.inputs || []) {
    list.append(h("dt", { text: input.name }), h("dd", {}, inputValue(input, kpi), input.detail ? ` (${input.detail})` : ""));
  }
  const months = prov.months || [];
  const span = months.length ? `${formatPeriod(months[0])} – ${formatPeriod(months[months.length - 1])}` : "";
  const forecast = kpi.forecast;
  return h("details", { class: "how" },
    // The accessible name starts with the words on screen (WCAG 2.5.3) and then names the KPI.
    h("summary", {}, "How is this computed?", h("span", { class: "visually-hidden", text: ` (${kpi.label})` })),
    h("div", { class: "how-body" },
      h("p", {}, h("code", { text: prov.formula })),
      list,
      span ? h("p", { class: "muted", text: `Months: ${span}` }) : null,
      forecast ? h("p", { class: "muted", text: `Method: ${forecast.method.replace(/_/g, " ")}` }) : null,
      planHow(kpi),
      POPOVER_DIMENSION[kpi.key] ? h("div", { class: "how-drivers", dataset: { kpi: kpi.key } }, h("p", { class: "muted", text: "Loading what drove it…" })) : null));
}

function subline(kpi) {
  const f = kpi.forecast;
  if (f && f.lower !== null && f.lower !== undefined && f.upper !== null && f.upper !== undefined) {
    return h("span", { class: "tile-sub" },
      `${formatPeriod(f.month)} · ${Math.round((f.interval || 0.8) * 100)}% interval ${formatValue(f.lower, "currency")}–${formatValue(f.upper, "currency")}`);
  }
  if (f) return h("span", { class: "tile-sub", text: `${formatPeriod(f.month)} · ${f.method.replace(/_/g, " ")}` });
  if (kpi.basis) return h("span", { class: "tile-sub", text: kpi.basis });
  return null;
}

/** A KPI tile; `href` makes the label a link to the drill-down, `values` draw the sparkline. */
export function kpiTile(kpi, { href, values } = {}) {
  const value = formatValue(kpi.value, kpi.unit, kpi.key);
  const label = href
    ? h("a", { class: "tile-label", href, "data-keep-query": true, dataset: { kpi: kpi.key } }, kpi.label)
    : h("span", { class: "tile-label" }, kpi.label);
  const spark = values ? sparkline(values, `${kpi.label} trend`) : null;
  const tile = h("article", { class: "tile", dataset: { kpi: kpi.key, value: kpi.value ?? "" } },
    label,
    h("span", { class: "tile-value", "aria-label": `${kpi.label}: ${value}` }, value),
    subline(kpi),
    coverageText(kpi) ? h("span", { class: "tile-coverage", text: coverageText(kpi) }) : null,
    h("div", { class: "tile-foot" }, deltaBadge(kpi), spark),
    previousText(kpi) ? h("span", { class: "tile-prev", text: previousText(kpi) }) : null,
    planBlock(kpi),
    howComputed(kpi));
  if (kpi.value === null || kpi.value === undefined) {
    tile.title = "No data for this window";
  }
  return tile;
}

/** Close any open popover when another opens or Escape is pressed. */
export function installPopoverBehaviour() {
  document.addEventListener("toggle", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLDetailsElement) || !target.classList.contains("how") || !target.open) return;
    for (const other of document.querySelectorAll("details.how[open]")) if (other !== target) other.open = false;
    const drivers = target.querySelector(".how-drivers");
    if (drivers) fillPopoverDrivers(drivers, drivers.dataset.kpi, viewParams(readView()));
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const open of document.querySelectorAll("details.how[open]")) {
      open.open = false;
      open.querySelector("summary")?.focus();
    }
  });
}
