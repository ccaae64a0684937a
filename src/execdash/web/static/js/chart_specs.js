// Chart specs from API answers: a series per period, a breakdown's bars, a metric's expected band.
import { formatValue, formatPeriod } from "./format.js";
import { humanLabel, humanName } from "./words.js";

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
