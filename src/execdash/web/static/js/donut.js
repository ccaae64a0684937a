// The ECharts option of a donut or a funnel: shares in an unpaged legend that fits the screen.
import { formatValue } from "./format.js";
import { humanName } from "./words.js";
import { css, palette, tooltipRow } from "./chart_style.js";

/** Height in px of a phone's donut; its legend lines go below it (LEGEND_LINE px each). */
const PHONE_DONUT = 210;
const LEGEND_LINE = 20;

/** The height in px of a donut's box: on a phone the legend lines go under it, beside it wider. */
export function donutHeight(spec, width) {
  return width < 520 ? PHONE_DONUT + spec.items.length * LEGEND_LINE + 12
    : Math.max(260, spec.items.length * (LEGEND_LINE + 2) + 40);
}

/** The ECharts option of a pie (drawn as a donut) or funnel spec. */
export function pieOption(spec) {
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
