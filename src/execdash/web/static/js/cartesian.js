// The ECharts option of a bar/line chart over periods (or a horizontal breakdown): one format
// per value axis, partial quarters paler, alert pins, target and band lines, formatted tooltips.
import { escapeHtml } from "./dom.js";
import { formatValue, formatPeriod } from "./format.js";
import { niceScale, tickFormatter } from "./axes.js";
import { css, palette, toneColour, noticeRows, tooltipRow } from "./chart_style.js";

/** The values an axis must hold: each drawn series' points (stacks summed) and its target line. */
function axisValues(series, index, horizontal) {
  const values = [];
  const stacks = new Map();
  for (const s of series) {
    if (!horizontal && (s.axis || 0) !== index) continue;
    const numbers = s.data.map((v) => (typeof v === "number" ? v : v?.value ?? null));
    if (s.stack) {
      // ECharts stacks positive and negative values apart (churn is drawn below zero while new
      // MRR goes up), so the axis holds both sums. A period where no series of the stack has a
      // value adds nothing (not a 0 that would pull the axis down to zero, as a plan line that
      // starts after the window would).
      const sums = stacks.get(s.stack) || { up: numbers.map(() => null), down: numbers.map(() => null) };
      numbers.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const side = v < 0 ? sums.down : sums.up;
        side[i] = (side[i] ?? 0) + v;
      });
      stacks.set(s.stack, sums);
      values.push(...sums.up, ...sums.down);
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

let measurer = null;

/** The names a cartesian chart's legend lists: each drawn series but a band's invisible base. */
function legendNames(spec) {
  return spec.series.filter((s) => !s.tooltipOnly && s.band !== "base").map((s) => s.name);
}

/** How many px taller than one legend line a cartesian chart's legend is at `width`. */
export function extraLegendHeight(spec, width) {
  return spec.legend === false ? 0 : 22 * Math.max(0, legendRows(legendNames(spec), width) - 1);
}

/** How many lines a legend of `names` takes in a chart `width` px wide (ECharts' 12 px font). */
export function legendRows(names, width) {
  if (!names.length) return 0;
  measurer ||= document.createElement("canvas").getContext("2d");
  measurer.font = "12px sans-serif";
  const room = width * 0.98;
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const item = 25 + 5 + measurer.measureText(name).width; // icon, gap, text
    if (used > 0 && used + 10 + item > room) {
      rows += 1;
      used = item;
    } else used += (used > 0 ? 10 : 0) + item;
  }
  return rows;
}

/** The ECharts option of a cartesian spec (see chartCard in charts.js). */
export function cartesianOption(full) {
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
    axisLabel: horizontal
      // Every bar of a horizontal chart keeps its name; on a phone a long name wraps onto a second
      // line (each bar has 26 px) rather than being cut to "Saxon Estates Ltd (...".
      ? { color: muted, interval: 0, hideOverlap: false, width: narrow ? 130 : spec.labelWidth || 260,
        overflow: narrow ? "break" : "truncate", lineHeight: 13 }
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
      // Left-aligned over the left axis (right-aligned over a right one): centred, a long name ran
      // past the chart's edge and lost its first letters.
      nameTextStyle: { color: muted, align: horizontal ? undefined : index === 0 ? "left" : "right" },
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
  const names = legendNames(spec);
  const rows = spec.legend === false ? 0 : legendRows(names, full.width || 1000);
  return {
    color: palette(),
    textStyle: { color: text },
    aria: { enabled: true },
    animationDuration: 250,
    // A target line's label sits in the right margin, past the last point, never on it.
    grid: { left: 8, right: drawn.some((s) => s.target !== undefined) ? 92 : axes.length > 1 ? 8 : 16, top: 14 + 22 * Math.max(1, rows), bottom: 8, containLabel: true },
    // A shaded band or gap shows a pale square in the legend, the colour of its shading, not a dot
    // that reads as another line.
    // Every legend entry whole on screen: the legend wraps onto as many lines as it needs (never
    // paged "1/4" with a name cut) and the plot starts below it.
    legend: spec.legend === false ? { show: false } : { top: 0, left: "center", width: "98%", textStyle: { color: text }, type: "plain",
      data: names.map((name, i) => (drawn.filter((s) => s.band !== "base")[i].band === "fill"
        ? { name, icon: "rect", itemStyle: { color: css("--accent"), opacity: 0.35 } } : name)) },
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
