// Human formatting of KPI values: £12.4M, 37.0%, 6.4 mo, 1.08×. The currency comes from the server.

const MINUS = "\u2212";
const DASH = "\u2014";

/** KPIs whose ratio reads better as a multiple than as a percentage. */
const MULTIPLE_KEYS = new Set(["book_to_bill"]);

export function currencySymbol() {
  return globalThis.document?.body?.dataset.currencySymbol || "£";
}

function withSymbol(text) {
  const symbol = currencySymbol();
  return symbol.length > 1 ? `${symbol}\u00a0${text}` : `${symbol}${text}`;
}

function compactNumber(abs) {
  const scales = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
  for (const [scale, suffix] of scales) {
    if (abs >= scale * 0.9995) {
      const scaled = abs / scale;
      return `${scaled.toFixed(scaled >= 99.95 ? 0 : 1)}${suffix}`;
    }
  }
  return abs.toFixed(0);
}

function missing(value) {
  return value === null || value === undefined || Number.isNaN(value) || !Number.isFinite(value);
}

/** £12.4M (compact) or £12,400,000 (full); an amount under £1 in pence (£0.20), never £0. */
export function formatCurrency(value, { compact = true } = {}) {
  if (missing(value)) return DASH;
  const abs = Math.abs(value);
  const body = abs > 0 && abs < 1 ? abs.toFixed(2)
    : compact ? compactNumber(abs) : abs.toLocaleString("en-GB", { maximumFractionDigits: 0 });
  return (value < 0 ? MINUS : "") + withSymbol(body);
}

export function formatPercent(ratio, digits = 1) {
  if (missing(ratio)) return DASH;
  const text = (Math.abs(ratio) * 100).toFixed(digits);
  return `${ratio < 0 && Number(text) !== 0 ? MINUS : ""}${text}%`;
}

export function formatCount(value) {
  if (missing(value)) return DASH;
  if (Math.abs(value) >= 1e6) return (value < 0 ? MINUS : "") + compactNumber(Math.abs(value));
  return Math.round(value).toLocaleString("en-GB").replace("-", MINUS);
}

function fixed(value, digits, suffix) {
  if (missing(value)) return DASH;
  return `${value < 0 ? MINUS : ""}${Math.abs(value).toFixed(digits)}${suffix}`;
}

/** Format `value` of a unit kind ("currency", "ratio", "months", …); `key` refines ratios. */
export function formatValue(value, unit, key = "", { compact = true } = {}) {
  switch (unit) {
    case "currency": case "£": case "GBP":
      return formatCurrency(value, { compact });
    case "ratio":
      return MULTIPLE_KEYS.has(key) ? fixed(value, 2, "×") : formatPercent(value);
    case "multiple":
      return fixed(value, 2, "×");
    case "months": case "mo":
      return fixed(value, 1, " mo");
    case "days":
      return fixed(value, 1, " d");
    case "hours":
      return fixed(value, 1, " h");
    case "grams":
      return fixed(value, 1, " g");
    case "per_year":
      return fixed(value, 2, "/yr");
    case "count":
      return formatCount(value);
    case "score":
      // NPS is a fraction in −1…1, shown as the usual −100…100 score; other scores as stored.
      if (key === "nps") return missing(value) ? DASH : `${value > 0 ? "+" : value < 0 ? MINUS : ""}${Math.abs(value * 100).toFixed(0)}`;
      return fixed(value, 2, "");
    default:
      return missing(value) ? DASH : Number(value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }
}

/** Short axis labels: like formatValue, but with only the decimals the tick needs. */
export function formatAxis(value, unit, key = "") {
  if (missing(value)) return "";
  const trim = (text) => text.replace(/\.0(?=\D*$)/, "");
  if (unit === "ratio" && !MULTIPLE_KEYS.has(key)) {
    const pct = value * 100;
    return `${value < 0 ? MINUS : ""}${Math.abs(pct).toFixed(Number.isInteger(Math.round(pct * 1000) / 1000) ? 0 : 1)}%`;
  }
  if (unit === "count") return Math.abs(value) >= 1e4 ? trim(compactNumber(Math.abs(value))) : formatCount(value);
  if (["hours", "days", "grams", "months", "mo"].includes(unit) && Math.abs(value) >= 10) {
    return trim(formatValue(Math.round(value), unit, key));
  }
  return trim(formatValue(value, unit, key));
}

/** A relative change as +4.2% / −3.1%, or — when unknown. */
export function formatDelta(delta) {
  if (missing(delta)) return DASH;
  const text = (Math.abs(delta) * 100).toFixed(1);
  if (Number(text) === 0) return "0.0%";
  return `${delta < 0 ? MINUS : "+"}${text}%`;
}

/** An absolute change of a ratio in percentage points: −3.3 pts (a multiple: −0.05×). */
export function formatPoints(change, key = "") {
  if (missing(change)) return DASH;
  if (MULTIPLE_KEYS.has(key)) {
    const text = Math.abs(change).toFixed(2);
    return Number(text) === 0 ? "0.00×" : `${change < 0 ? MINUS : "+"}${text}×`;
  }
  const text = (Math.abs(change) * 100).toFixed(1);
  if (Number(text) === 0) return "0.0 pts";
  return `${change < 0 ? MINUS : "+"}${text} pts`;
}

/** A KPI's change the way it means something: points for ratios, relative for money and counts. */
export function formatChange(kpi) {
  return kpi.change_unit === "points" ? formatPoints(kpi.change, kpi.key) : formatDelta(kpi.delta);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-09-06" or an ISO date-time → "6 Sep 2026" (the calendar date as written, no time zone shift). */
export function formatDate(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || "");
  if (!match) return value ? String(value) : DASH;
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

/** "2025-08" → "Aug 2025", "2025-Q3" → "Q3 2025", a fiscal quarter "FY2026-Q1" → "FY2026 Q1". */
export function formatPeriod(period) {
  const month = /^(\d{4})-(\d{2})$/.exec(period || "");
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period || "");
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const fiscal = /^FY(\d{4})-Q([1-4])$/.exec(period || "");
  if (fiscal) return `FY${fiscal[1]} Q${fiscal[2]}`;
  return String(period ?? "");
}
