// Chart cards: the card with its title, downloads and notes, and the ECharts drawing behind it
// (loaded in parallel, redrawn on theme switches, resizes and printing). The option of each kind
// of chart is built in cartesian.js and donut.js, specs from API answers in chart_specs.js.
import { h, fill } from "./dom.js";
import { formatPeriod } from "./format.js";
import { slug } from "./download.js";
import { css } from "./chart_style.js";
import { cartesianOption, extraLegendHeight } from "./cartesian.js";
import { pieOption, donutHeight } from "./donut.js";
import { downloadButtons } from "./chart_downloads.js";

const live = new Map(); // chart element -> spec, so a theme switch can redraw every chart

// ECharts (the largest file) loads in parallel with the page and never delays the KPI tiles.
let echarts = null;
const echartsReady = import("/static/vendor/echarts.js").then((module) => { echarts = module; });
let pending = [];

function instanceOf(box) {
  return echarts ? echarts.getInstanceByDom(box) : undefined;
}

/** Resolves once every chart started so far is drawn (app.js waits for it before data-loaded). */
export async function chartsSettled() {
  const waiting = pending;
  pending = [];
  await Promise.all(waiting);
}

function isEmpty(spec) {
  if (spec.kind === "pie" || spec.kind === "funnel") {
    return !spec.items || spec.items.length === 0 || spec.items.every((i) => !i.value);
  }
  return !spec.categories || spec.categories.length === 0
    || spec.series.every((s) => s.data.every((v) => v === null || v === undefined));
}

function drawNow(box, spec) {
  const existing = instanceOf(box);
  if (existing) existing.dispose();
  spec = { ...spec, width: box.clientWidth };
  // A donut's box grows to fit its legend lines; other charts keep their own or the CSS height.
  // A cartesian chart whose legend wraps onto more lines grows by them, so its plot keeps its size.
  box.style.height = spec.kind === "pie" ? `${donutHeight(spec, spec.width)}px` : spec.height ? `${spec.height}px` : "";
  const extra = spec.kind === "cartesian" ? extraLegendHeight(spec, spec.width) : 0;
  if (extra) box.style.height = `${box.clientHeight + extra}px`;
  const chart = echarts.init(box, null, { renderer: "canvas" });
  chart.setOption(spec.kind === "pie" || spec.kind === "funnel" ? pieOption(spec) : cartesianOption(spec));
  if (spec.href || spec.drill) {
    // A click on a bar, point or slice opens the drill-down of what it shows.
    const drawn = (spec.series || []).filter((s) => !s.tooltipOnly);
    chart.on("click", (params) => {
      const href = spec.drill?.(drawn[params.seriesIndex]?.key) || spec.href;
      if (href) location.assign(href);
    });
  }
  return chart;
}

function draw(box, spec) {
  if (echarts) drawNow(box, spec);
  else pending.push(echartsReady.then(() => box.isConnected && drawNow(box, spec)));
}

const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) instanceOf(entry.target)?.resize();
});

// Printing lays the page out again (print.css). Chromium switches to print media, and calls this,
// before it paints the sheets (page.pdf() included), so each canvas is redrawn at its printed
// box's size, then again at the screen's when printing ends.
function fitCanvases() {
  for (const box of live.keys()) {
    const chart = instanceOf(box);
    if (!chart) continue;
    chart.resize({ animation: { duration: 0 } });
    chart.getZr().flush(); // paint now: no animation frame comes before the sheets are printed
  }
}
window.matchMedia("print").addEventListener("change", fitCanvases);
window.addEventListener("afterprint", fitCanvases);

/** Redraw every chart on the page (after a theme switch, so colours follow the theme). */
export function redrawCharts() {
  for (const [box, spec] of live) {
    if (box.isConnected) draw(box, spec);
    else live.delete(box);
  }
}

/**
 * Render a chart card into `container`.
 * spec: {title, kind: "cartesian"|"pie"|"funnel", categories, partial, months, series:
 * [{name, key, unit, type, axis, data, target}], axes, items, unit, empty, note, filename}
 */
export function chartCard(container, spec) {
  const kind = spec.kind || "cartesian";
  spec = { ...spec, kind };
  const id = `chart-${slug(spec.title)}`;
  const filename = spec.filename || slug(spec.title);
  const head = h("header", { class: "card-head" }, h("h2", { id: `${id}-title`, text: spec.title }));
  fill(container, head);
  container.setAttribute("aria-labelledby", `${id}-title`);
  container.dataset.chart = filename;
  if (isEmpty(spec)) {
    container.append(h("div", { class: "empty", role: "note", text: spec.empty || "No data in this window." }));
    return null;
  }
  const box = h("div", { class: "chart-box", id, role: "img", "aria-label": `${spec.title} chart; the numbers are in the CSV download` });
  if (spec.height) box.style.height = `${spec.height}px`;
  head.append(downloadButtons(spec, filename,
    () => instanceOf(box)?.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: css("--surface") }) ?? null));
  // A chart with a drill-down is also a link around the drawing: Tab reaches it, Enter opens it.
  container.append(spec.href
    ? h("div", { class: "chart-link", role: "link", tabindex: "0", "aria-label": `${spec.title}: open the drill-down`,
      onkeydown: (event) => { if (event.key === "Enter") location.assign(spec.href); } }, box)
    : box);
  const notes = [];
  if (spec.partial?.some(Boolean)) {
    const partial = spec.categories
      .map((c, i) => (spec.partial[i] ? `${formatPeriod(c)} (${spec.months?.[i] ?? "?"} of 3 months)` : null))
      .filter(Boolean);
    notes.push(`* Partial quarter: ${partial.join(", ")} in the window.`);
  }
  if (spec.note) notes.push(spec.note);
  if (notes.length) container.append(h("p", { class: "chart-note", text: notes.join(" ") }));
  live.set(box, spec);
  draw(box, spec);
  resizer.observe(box);
  return box;
}
