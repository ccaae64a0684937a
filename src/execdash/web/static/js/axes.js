// Value axes people can read: round, evenly spaced ticks, and one number format per axis with
// just enough decimals to tell neighbouring ticks apart ("11.6 g, 11.8 g, 12.0 g", never
// "12 g, 12 g"; "£0.3M … £1.5M", never "£900K" beside "£1.2M"; "5K … 20K", never "9,000" beside "21K").
import { currencySymbol } from "./format.js";

const MINUS = "\u2212";
const NICE = [1, 2, 5, 10];

/** The number of decimals `step` needs to be written exactly (0.25 → 2, 5000 → 0). */
export function decimalsOf(step) {
  for (let d = 0; d <= 6; d += 1) {
    const scaled = Math.abs(step) * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 6;
}

function round(value) {
  return Number(value.toPrecision(12));
}

/** A round tick step (1, 2 or 5 × a power of ten) giving about `count` intervals over `span`. */
export function niceStep(span, count = 5) {
  const rough = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = NICE.find((n) => n * magnitude >= rough * (1 - 1e-9)) * magnitude;
  return Number(step.toPrecision(12));
}

/**
 * {min, max, interval} of an axis holding `values`: min and max on multiples of a round step.
 * zero: the axis includes 0 (bars); min: a lower end the axis must reach (a cut axis starts
 * there, not at 0; rounded down to the step); cap: an upper end the axis never passes when the
 * data do not (a share at most 100%).
 */
export function niceScale(values, { zero = false, count = 5, min, cap } = {}) {
  const finite = values.filter((v) => typeof v === "number" && Number.isFinite(v));
  if (min !== undefined && min !== null) finite.push(min);
  if (!finite.length) return null;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const fixed = min !== undefined && min !== null;
  if (fixed) lo = Math.min(min, ...finite.filter((v) => v >= min));
  if (zero && !fixed) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  // Values equal but for float noise (0.30000000000000004 beside 0.3) are one value.
  if (hi - lo <= 1e-9 * Math.max(Math.abs(hi), Math.abs(lo))) hi = lo;
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    if (lo !== 0 || !zero) lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  let low = Math.floor(lo / step + 1e-9) * step;
  let high = Math.ceil(hi / step - 1e-9) * step;
  if (!zero && lo >= 0 && low < 0) low = 0; // a scale that never goes below zero does not show it
  if (cap !== undefined && high > cap && hi <= cap) high = cap;
  const scale = { min: round(low), max: round(high), interval: step };
  // Never more than a few dozen ticks, whatever the input (a fixed min far below the data).
  return (scale.max - scale.min) / step <= 40 ? scale : null;
}

// [from this largest tick, divide by, letter]: thousands only from 10,000 (below that "9,000").
const SCALES = [[1e12, 1e12, "T"], [1e9, 1e9, "B"], [1e6, 1e6, "M"], [1e4, 1e3, "K"]];
const SUFFIX = { hours: " h", days: " d", grams: " g", months: " mo", mo: " mo", per_year: "/yr", multiple: "×" };

function grouped(value, decimals) {
  return value.toLocaleString("en-GB", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * The label function of one axis: every tick in the same unit, scale (K, M) and number of
 * decimals, chosen from the axis's step and its largest tick.
 */
export function tickFormatter(unit, key, { min, max, interval }) {
  const largest = Math.max(Math.abs(min), Math.abs(max));
  let factor = 1;
  let prefix = "";
  let suffix = "";
  let plus = false;
  let scaleLetter = "";
  if (unit === "currency" || unit === "count" || unit === "£" || unit === "GBP") {
    const scale = SCALES.find(([size]) => largest >= size);
    if (scale) [factor, scaleLetter] = [1 / scale[1], scale[2]];
    if (unit !== "count") prefix = currencySymbol().length > 1 ? `${currencySymbol()}\u00a0` : currencySymbol();
  } else if (unit === "ratio" && key === "book_to_bill") {
    suffix = "×";
  } else if (unit === "ratio") {
    factor = 100;
    suffix = "%";
  } else if (unit === "score" && key === "nps") {
    factor = 100;
    plus = true;
  } else {
    suffix = SUFFIX[unit] || "";
  }
  const decimals = decimalsOf(Number((interval * factor).toPrecision(12)));
  return (value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return "";
    const scaled = Number((value * factor).toFixed(decimals));
    if (scaled === 0) return `${prefix}0${scaleLetter ? "" : suffix}`;
    const sign = scaled < 0 ? MINUS : plus ? "+" : "";
    return `${sign}${prefix}${grouped(Math.abs(scaled), decimals)}${scaleLetter}${suffix}`;
  };
}
