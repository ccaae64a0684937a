// A waterfall chart spec from a drivers answer (/api/v1/kpis/{key}/drivers): the previous value,
// one bar per driver floating from the running total, and the current value.
import { formatValue, formatPeriod } from "./format.js";
import { humanName } from "./words.js";
import { niceScale } from "./axes.js";

const MINUS = "\u2212";

/** A contribution with its sign in the KPI's unit: +£2.1M, −0.12 pts, +0.07×. */
export function formatContribution(value, unit, key) {
  if (value === null || value === undefined) return "—";
  const body = unit === "ratio" && key !== "book_to_bill"
    ? `${(Math.abs(value) * 100).toFixed(2)} pts`
    : formatValue(Math.abs(value), unit, key);
  const zero = !/[1-9]/.test(body);
  return `${zero ? "" : value > 0 ? "+" : value < 0 ? MINUS : ""}${body}`;
}

/** "Apr 2025 – Jun 2025" for the timeframe's window, or its previous window. */
export function windowLabel(timeframe, previous = false) {
  if (!timeframe) return "";
  if (!previous) return `${formatPeriod(timeframe.start_month)} – ${formatPeriod(timeframe.end_month)}`;
  const start = timeframe.previous_start_date?.slice(0, 7);
  const end = timeframe.previous_end_date?.slice(0, 7);
  return `${formatPeriod(start)} – ${formatPeriod(end)}`;
}

const PLURALS = { customer: "customers", industry: "industries", source: "sources", product: "products" };

/** The name a driver bar shows: its slice, with "(new)"/"(lost)" and "Other"'s member count. */
export function driverLabel(driver, dimension) {
  if (driver.kind === "other") {
    const word = driver.members === 1 ? dimension || "slice" : PLURALS[dimension] || "slices";
    return `Other (${driver.members.toLocaleString("en-GB")} ${word})`;
  }
  if (driver.kind === "unattributed") return humanName(driver.name);
  if (driver.status === "new") return `${driver.name} (new)`;
  if (driver.status === "lost") return `${driver.name} (lost)`;
  return driver.name;
}

/** The chart spec: categories previous → drivers → current, an invisible base plus the bar. */
export function waterfallSpec(title, drivers, options = {}) {
  const { unit, key } = drivers;
  const previous = drivers.previous ?? 0;
  const steps = drivers.drivers || [];
  const categories = [options.startLabel || `Previous (${windowLabel(drivers.timeframe, true)})`];
  const base = [0];
  const bar = [previous];
  const tones = ["total"];
  const tooltips = [formatValue(drivers.previous, unit, key, { compact: false })];
  let running = previous;
  for (const d of steps) {
    const next = running + d.contribution;
    categories.push(driverLabel(d, drivers.dimension));
    base.push(Math.min(running, next));
    bar.push(Math.abs(d.contribution));
    tones.push(d.contribution >= 0 ? "up" : "down");
    tooltips.push(formatContribution(d.contribution, unit, key));
    running = next;
  }
  categories.push(options.endLabel || `Current (${windowLabel(drivers.timeframe)})`);
  const current = drivers.current ?? running;
  base.push(0);
  bar.push(current);
  tones.push("total");
  tooltips.push(formatValue(drivers.current, unit, key, { compact: false }));
  // A small change on a large level (a margin moving 0.1 pts) is drawn on a cut axis: the totals
  // start at a floor under the lowest running total instead of at zero, as the note says.
  const points = [previous, current];
  let walk = previous;
  for (const d of steps) points.push((walk += d.contribution));
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const cut = lo > 0 && hi - lo < lo * 0.25;
  let floor;
  if (cut) {
    // On a round tick, so the axis starts where the totals' bars do.
    floor = niceScale([Math.max(0, lo - (hi - lo || lo * 0.01) * 0.6), hi]).min;
    base[0] = floor;
    bar[0] = previous - floor;
    base[base.length - 1] = floor;
    bar[bar.length - 1] = current - floor;
  }
  return {
    title,
    filename: options.filename,
    horizontal: true,
    legend: false,
    labelWidth: 200,
    height: Math.max(240, 30 * categories.length + 60),
    categoryName: "step",
    categories,
    axes: [{ unit, key, min: floor, scale: false }],
    series: [
      { name: "base", key: "base", unit, type: "bar", stack: "waterfall", invisible: true, data: base },
      { name: drivers.label, key: "contribution", unit, type: "bar", stack: "waterfall", data: bar, tones, tooltips },
    ],
    note: [cut ? `The axis starts at ${formatValue(floor, unit, key)}, not zero, so the changes can be seen.` : "", options.note || ""].filter(Boolean).join(" ") || undefined,
    empty: options.empty,
  };
}
