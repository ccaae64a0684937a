// ECharts wrappers: a card with a title, CSV + PNG downloads, formatted tooltips and axes,
// partial quarters marked, and an empty state that says what data is missing.
import { h, fill, escapeHtml } from "./dom.js";
import { formatValue, formatPeriod } from "./format.js";
import { niceScale, tickFormatter } from "./axes.js";
import { humanLabel, humanName } from "./words.js";
import { noticeWord } from "./annotations.js";
import { downloadCsv, downloadDataUrl, fileName, slug, titledPng } from "./download.js";
import { downloadContext } from "./context.js";

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

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The colour of a waterfall bar's tone: up (good green), down (bad red) or a total. */
function toneColour(tone) {
  return tone === "up" ? css("--good") : tone === "down" ? css("--bad") : palette()[0];
}

function palette() {
  return [1, 2, 3, 4, 5, 6].map((i) => css(`--chart-${i}`));
}

function isEmpty(spec) {
  if (spec.kind === "pie" || spec.kind === "funnel") {
    return !spec.items || spec.items.length === 0 || spec.items.every((i) => !i.value);
  }
  return !spec.categories || spec.categories.length === 0
    || spec.series.every((s) => s.data.every((v) => v === null || v === undefined));
}

/** Tooltip lines of alerts and risks: "⚠ High alert, open: Uptime dropped below 97%" and the detail. */
function noticeRows(marks) {
  return marks.map(({ notice }) => `<div class="tt-row tt-notice">⚠ ${escapeHtml(humanLabel(noticeWord(notice)))}: <b>${escapeHtml(notice.title)}</b>`
    + (notice.detail ? `<br>${escapeHtml(notice.detail)}` : "") + "</div>").join("");
}

function tooltipRow(marker, name, text) {
  return `<div class="tt-row">${marker} ${escapeHtml(name)}: <b>${escapeHtml(text)}</b></div>`;
}

/** The values an axis must hold: each drawn series' points (stacks summed) and its target line. */
function axisValues(series, index, horizontal) {
  const values = [];
  const stacks = new Map();
  for (const s of series) {
    if (!horizontal && (s.axis || 0) !== index) continue;
    const numbers = s.data.map((v) => (typeof v === "number" ? v : v?.value ?? null));
    if (s.stack) {
      const sums = stacks.get(s.stack) || numbers.map(() => 0);
      numbers.forEach((v, i) => { sums[i] += v || 0; });
      stacks.set(s.stack, sums);
      values.push(...sums);
    } else values.push(...numbers);
    if (s.target !== undefined) values.push(s.target);
  }
  return values;
}

function drawnPart(spec) {
  const n = spec.categories.length - (spec.hideLast || 0);
  return {
    ...spec,
    categories: spec.categories.slice(0, n),
    partial: spec.partial?.slice(0, n),
    series: spec.series.map((s) => ({ ...s, data: s.data.slice(0, n) })),
  };
}

function cartesianOption(full) {
  const spec = full.hideLast ? drawnPart(full) : full;
  const text = css("--text");
  const muted = css("--muted");
  const border = css("--border");
  const axes = spec.axes || [{ unit: spec.series[0]?.unit, key: spec.series[0]?.key }];
  const partial = spec.partial || [];
  const labels = spec.categories.map((c, i) => formatPeriod(c) + (partial[i] ? "*" : ""));
  const horizontal = Boolean(spec.horizontal);
  const narrow = (full.width || 1000) < 520;
  const categoryAxis = {
    type: "category",
    data: labels,
    axisLabel: spec.labelWidth
      ? { color: muted, hideOverlap: false, width: narrow ? spec.labelWidth * 0.6 : spec.labelWidth, overflow: "truncate" }
      : narrow
        // A phone shows about four period labels, evenly spaced, never touching each other.
        ? { color: muted, hideOverlap: true, interval: Math.max(0, Math.ceil(labels.length / 4) - 1) }
        : { color: muted, hideOverlap: true },
    axisLine: { lineStyle: { color: border } },
    axisTick: { alignWithLabel: true },
  };
  // Line-only charts zoom to their data (a 0% floor would flatten uptime); bars always start at 0.
  const drawn = spec.series.filter((s) => !s.tooltipOnly);
  const lineOnly = drawn.every((s) => s.type === "line");
  const valueAxes = axes.map((axis, index) => {
    const scale = niceScale(axisValues(drawn, index, horizontal), {
      zero: !(axis.scale ?? (!horizontal && lineOnly)),
      count: narrow ? 3 : 5,
      min: axis.min,
      cap: axis.unit === "ratio" && axis.key !== "book_to_bill" ? 1 : undefined,
    });
    return {
      type: "value",
      name: narrow ? "" : axis.name || "",
      nameTextStyle: { color: muted },
      position: horizontal ? undefined : index === 0 ? "left" : "right",
      ...(scale || {}),
      // On a phone value labels sit just above their grid line, clear of the period labels below.
      axisLabel: {
        color: muted, hideOverlap: true,
        formatter: scale ? tickFormatter(axis.unit, axis.key, scale) : (v) => formatValue(v, axis.unit, axis.key),
        ...(narrow && !horizontal ? { verticalAlign: "bottom", margin: 6 } : {}),
      },
      splitLine: { show: index === 0, lineStyle: { color: border } },
    };
  });
  const series = drawn.map((s) => ({
    name: s.name,
    type: s.type || "bar",
    yAxisIndex: horizontal ? undefined : s.axis || 0,
    stack: s.stack,
    smooth: false,
    symbolSize: s.symbolSize ?? 6,
    symbol: s.symbol,
    showSymbol: s.band ? false : s.sparse ? true : undefined,
    lineStyle: s.band ? { opacity: 0 } : s.dashed ? { type: "dashed" } : undefined,
    areaStyle: s.band === "fill" ? { color: css("--accent"), opacity: 0.18 } : undefined,
    tooltip: s.band === "base" ? { show: false } : undefined,
    connectNulls: false,
    barMaxWidth: 42,
    silent: s.invisible || undefined,
    itemStyle: s.invisible ? { color: "transparent", borderColor: "transparent" } : s.band === "fill" ? { color: css("--accent") } : undefined,
    emphasis: s.invisible ? { disabled: true } : undefined,
    data: s.data.map((v, i) => {
      if (s.tones?.[i]) return { value: v, itemStyle: { color: toneColour(s.tones[i]) } };
      return partial[i] && (s.type || "bar") === "bar" ? { value: v, itemStyle: { opacity: 0.55 } } : v;
    }),
    // Alerts and risks about this series, pinned at their month (annotations.js).
    markPoint: s.marks?.length ? {
      symbol: "pin", symbolSize: 30,
      label: { formatter: "!", color: "#fff", fontWeight: "bold" },
      data: s.marks.map((m) => ({
        coord: [m.index, s.data[m.index]],
        itemStyle: { color: css(m.notice.kind === "risk" ? "--warn" : m.notice.severity === "high" ? "--bad" : "--warn") },
      })),
    } : undefined,
    markLine: s.target === undefined ? undefined : {
      symbol: "none",
      silent: true,
      lineStyle: { color: css("--bad"), type: "dashed" },
      label: { color: text, position: "end", formatter: `${s.targetLabel || "Target"} ${formatValue(s.target, s.unit, s.key)}` },
      data: [{ yAxis: s.target }],
    },
  }));
  return {
    color: palette(),
    textStyle: { color: text },
    aria: { enabled: true },
    animationDuration: 250,
    // A target line's label sits in the right margin, past the last point, never on it.
    grid: { left: 8, right: drawn.some((s) => s.target !== undefined) ? 92 : axes.length > 1 ? 8 : 16, top: 36, bottom: 8, containLabel: true },
    legend: spec.legend === false ? { show: false } : { top: 0, textStyle: { color: text }, type: "scroll", data: drawn.filter((s) => s.band !== "base").map((s) => s.name) },
    tooltip: {
      trigger: "axis",
      confine: true,
      backgroundColor: css("--surface"),
      borderColor: border,
      textStyle: { color: text },
      formatter: (params) => {
        if (!Array.isArray(params) && params.componentType === "markPoint") {
          const mark = drawn[params.seriesIndex]?.marks?.[params.dataIndex];
          return mark ? noticeRows([mark]) : "";
        }
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? 0;
        const head = formatPeriod(spec.categories[index])
          + (partial[index] ? ` (partial: ${spec.months?.[index] ?? "?"} of 3 months)` : "");
        return `<div><b>${escapeHtml(head)}</b></div>` + list.filter((p) => {
          const s = drawn[p.seriesIndex];
          const value = (s.shown || s.data)[p.dataIndex];
          return !s.invisible && s.band !== "base" && !(s.sparse && (value === null || value === undefined));
        }).map((p) => {
          const s = drawn[p.seriesIndex];
          if (s.tooltips) return tooltipRow(p.marker, s.name, s.tooltips[p.dataIndex]);
          const raw = (s.shown || s.data)[p.dataIndex];
          const share = spec.shares?.[p.dataIndex];
          const suffix = share === null || share === undefined ? "" : ` (${formatValue(share, "ratio")} of total)`;
          const text = typeof raw === "string" ? raw : formatValue(raw, s.unit, s.key, { compact: false });
          return tooltipRow(p.marker, s.name, text + suffix);
        }).join("") + spec.series.filter((s) => s.tooltipOnly).map((s) =>
          tooltipRow("", s.name, formatValue(s.data[index], s.unit, s.key, { compact: false }))).join("")
          + noticeRows(drawn.flatMap((s) => (s.marks || []).filter((m) => m.index === index)));
      },
    },
    xAxis: horizontal ? valueAxes : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxes,
    series,
  };
}

/** Height in px of a phone's donut; its legend lines go below it (LEGEND_LINE px each). */
const PHONE_DONUT = 210;
const LEGEND_LINE = 20;

function pieOption(spec) {
  const text = css("--text");
  const narrow = (spec.width || 1000) < 520;
  const donutOnPhone = narrow && spec.kind === "pie";
  const pieSide = Math.min(PHONE_DONUT, spec.width || PHONE_DONUT);
  return {
    color: palette(),
    textStyle: { color: text },
    aria: { enabled: true },
    animationDuration: 250,
    tooltip: {
      trigger: "item",
      confine: true,
      backgroundColor: css("--surface"),
      borderColor: css("--border"),
      textStyle: { color: text },
      formatter: (p) => {
        const item = spec.items[p.dataIndex];
        const share = item.share === null || item.share === undefined ? "" : ` (${formatValue(item.share, "ratio")})`;
        return tooltipRow(p.marker, humanName(item.name), formatValue(item.value, spec.unit, "", { compact: false }) + share);
      },
    },
    legend: spec.kind === "pie"
      // One legend line per slice with its share, under the donut on a phone and beside it on
      // wider screens: nothing paged ("1/2"), nothing cut.
      ? { type: "plain", orient: "vertical", itemGap: 6,
        ...(donutOnPhone ? { left: 4, bottom: 0 } : { left: "54%", top: "middle" }),
        textStyle: { color: text, width: donutOnPhone ? (spec.width || 390) - 40 : (spec.width || 600) * 0.44 - 30, overflow: "break" },
        formatter: (name) => {
          const item = spec.items.find((i) => humanName(i.name) === name);
          return item && item.share !== null && item.share !== undefined ? `${name} · ${formatValue(item.share, "ratio")}` : name;
        } }
      : { type: "scroll", orient: "horizontal", bottom: 0, textStyle: { color: text } },
    series: [{
      type: spec.kind === "funnel" ? "funnel" : "pie",
      radius: spec.kind === "funnel" ? undefined : donutOnPhone ? [Math.round(pieSide * 0.26), Math.round(pieSide * 0.45)] : ["45%", "78%"],
      center: donutOnPhone ? ["50%", Math.round(pieSide / 2)] : ["27%", "50%"],
      ...(spec.kind === "funnel"
        ? { top: 10, bottom: 40, left: narrow ? "2%" : "10%", width: narrow ? "44%" : "60%" }
        : { top: 0, bottom: 30 }),
      sort: spec.kind === "funnel" ? "none" : undefined,
      label: {
        show: spec.kind === "funnel",
        color: text,
        lineHeight: 16,
        formatter: (p) => {
          const item = spec.items[p.dataIndex];
          const short = item.share === null || item.share === undefined ? "" : ` · ${formatValue(item.share, "ratio")}`;
          return spec.kind === "funnel"
            ? narrow
              ? `${humanName(item.name)} ${formatValue(item.value, spec.unit)}${short}`
              : `${humanName(item.name)}: ${formatValue(item.value, spec.unit)}${item.note ? ` (${item.note})` : ""}`
            : `${humanName(item.name)}\n${formatValue(item.share, "ratio")}`;
        },
      },
      data: spec.items.map((i) => ({ name: humanName(i.name), value: i.value })),
    }],
  };
}

/** The CSV rows of a chart: the raw numbers the API sent, one column per series. */
export function chartCsv(spec) {
  if (spec.kind === "pie" || spec.kind === "funnel") {
    const header = [spec.dimension || "name", spec.measure || "value", "share"];
    return { header, rows: spec.items.map((i) => [i.name, i.value, i.share ?? ""]) };
  }
  const header = [spec.categoryName || "period", ...spec.series.map((s) => s.key || s.name)];
  if (spec.partial) header.push("partial");
  const rows = spec.categories.map((c, i) => {
    const row = [spec.csvCategories?.[i] ?? c, ...spec.series.map((s) => (s.csv || s.data)[i] ?? "")];
    if (spec.partial) row.push(spec.partial[i] ? "true" : "false");
    return row;
  });
  return { header, rows };
}

function drawNow(box, spec) {
  const existing = instanceOf(box);
  if (existing) existing.dispose();
  spec = { ...spec, width: box.clientWidth };
  // A phone's donut grows its box to fit the legend lines under it; wider screens keep the CSS height.
  box.style.height = spec.kind !== "pie" ? (spec.height ? `${spec.height}px` : "")
    : spec.width < 520 ? `${PHONE_DONUT + spec.items.length * LEGEND_LINE + 12}px`
      : `${Math.max(260, spec.items.length * (LEGEND_LINE + 2) + 40)}px`;
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
  const csv = spec.csv || chartCsv(spec);
  const box = h("div", { class: "chart-box", id, role: "img", "aria-label": `${spec.title} chart; the numbers are in the CSV download` });
  if (spec.height) box.style.height = `${spec.height}px`;
  head.append(h("div", { class: "card-actions" },
    h("button", {
      type: "button", class: "button small", "aria-label": `Download ${spec.title} as CSV`, text: "CSV",
      onclick: () => downloadCsv(fileName(filename, downloadContext().slug, "csv"), csv.header, csv.rows),
    }),
    h("button", {
      type: "button", class: "button small", "aria-label": `Download ${spec.title} as PNG`, text: "PNG",
      onclick: async () => {
        const chart = instanceOf(box);
        if (!chart) return;
        const { slug: windowSlug, caption } = downloadContext();
        const picture = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: css("--surface") });
        downloadDataUrl(fileName(filename, windowSlug, "png"),
          await titledPng(picture, spec.title, caption, { background: css("--surface"), text: css("--text"), muted: css("--muted") }));
      },
    })));
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

/** A cartesian spec from API series objects ({key,label,unit,points:[{period,value,partial,months}]}). */
export function seriesSpec(title, list, options = {}) {
  const base = list.find((s) => s && s.points && s.points.length) || list[0];
  const points = base?.points || [];
  return {
    title,
    categories: points.map((p) => p.period),
    partial: points.map((p) => Boolean(p.partial)),
    months: points.map((p) => p.months),
    series: list.filter(Boolean).map((s, i) => ({
      name: s.label,
      key: s.key,
      unit: s.unit,
      type: options.types?.[i] || options.type || "bar",
      axis: options.axisOf?.[i] || 0,
      stack: options.stack,
      target: options.targets?.[i],
      data: points.map((p) => s.points.find((q) => q.period === p.period)?.value ?? null),
    })).concat((options.also || []).map((s) => ({
      // Shown in the tooltip and the CSV, not drawn (MRR beside ARR, which is the same × 12).
      name: s.label, key: s.key, unit: s.unit, tooltipOnly: true,
      data: points.map((p) => s.points.find((q) => q.period === p.period)?.value ?? null),
    }))),
    axes: options.axes,
    empty: options.empty,
    note: options.note,
    filename: options.filename,
    href: options.href,
    drill: options.drill,
  };
}

/**
 * A horizontal bar spec of a breakdown ({dimension, measure, unit, total, items}); the "other"
 * remainder is left out of the bars (it would dwarf them) and stated in a note instead.
 */
export function breakdownSpec(title, breakdown, options = {}) {
  const all = breakdown?.items || [];
  const items = all.filter((i) => i.name !== "other");
  const other = all.find((i) => i.name === "other");
  const ordered = other ? [...items, other] : items; // "other" last, so hideLast drops only it
  const unit = breakdown?.unit;
  const note = other
    ? `Not drawn: "Other" (everything outside the top ${items.length}) ${formatValue(other.value, unit)}, ${formatValue(other.share, "ratio")} of the total; it is in the CSV.`
    : undefined;
  return {
    title,
    filename: options.filename,
    horizontal: true,
    height: Math.max(220, 26 * items.length + 70),
    categoryName: breakdown?.dimension || "name",
    categories: ordered.map((i) => humanName(i.name)),
    csvCategories: ordered.map((i) => i.name),
    hideLast: other ? 1 : 0,
    axes: [{ unit }],
    series: [{ name: humanLabel(breakdown?.measure || "value"), key: "value", unit, type: "bar", data: ordered.map((i) => i.value) }],
    shares: ordered.map((i) => i.share),
    note,
    empty: options.empty,
    href: options.href,
  };
}

/**
 * A cartesian spec with a metric's expected band added (the points of GET /api/v1/bands/{key}):
 * the band shaded, the expected value dashed, and a note naming the months outside the band.
 */
export function withBand(spec, band) {
  const byPeriod = new Map((band?.points || []).map((p) => [p.period, p]));
  const at = (pick) => spec.categories.map((c) => {
    const p = byPeriod.get(c);
    return p && p.expected !== null ? pick(p) : null;
  });
  if (!at((p) => p.expected).some((v) => v !== null)) return spec;
  const { unit, metric } = band;
  const fmt = (v) => formatValue(v, unit, metric);
  const outside = spec.categories.filter((c) => byPeriod.get(c)?.outside).map(formatPeriod);
  const how = `Shaded: the expected band (same month a year earlier × the typical year-over-year change, ± ${band.sensitivity} robust standard deviations).`;
  return {
    ...spec,
    series: [
      ...spec.series,
      { name: "Band low", key: "band_lower", unit, type: "line", stack: "band", band: "base", data: at((p) => p.lower) },
      { name: "Expected band", key: "band_upper", unit, type: "line", stack: "band", band: "fill",
        data: at((p) => p.upper - p.lower), csv: at((p) => p.upper), shown: at((p) => `${fmt(p.lower)} – ${fmt(p.upper)}`) },
      { name: "Expected", key: "expected", unit, type: "line", dashed: true, symbolSize: 0, data: at((p) => p.expected) },
    ],
    note: [spec.note, how, outside.length ? `Outside it: ${outside.join(", ")}.` : "Every month is inside it."].filter(Boolean).join(" "),
  };
}
