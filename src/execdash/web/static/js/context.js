// What the server told the page: the signed-in user (if any) and where to show the window.
import { formatPeriod, formatDate } from "./format.js";

/** Who is signed in, as rendered by the server (no request, so no 401 for anonymous readers). */
export function currentUser() {
  const { user, role } = document.body.dataset;
  return user ? { username: user, role } : null;
}

export function canEdit() {
  const user = currentUser();
  return Boolean(user && (user.role === "editor" || user.role === "admin"));
}

// The printed page's header line: the window, how far the data go, when they last changed.
const printContext = { window: "", data: "", updated: "" };

function showPrintContext() {
  const line = document.getElementById("print-window");
  if (!line) return;
  const printedOn = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  line.textContent = [printContext.window, printContext.data, printContext.updated, `printed ${printedOn}`]
    .filter(Boolean).join(" · ");
}

const shown = { timeframe: null, updated: null };

/**
 * What a download says about its data: `slug` for file names ("12m-month-2026-11", empty on a
 * page without a window) and `caption` for a PNG ("Dec 2025 – Nov 2026 · by month · data last
 * updated 30 Nov 2026").
 */
export function downloadContext() {
  const t = shown.timeframe;
  const slug = t ? [t.range, t.granularity, t.as_of || t.end_month].filter(Boolean).join("-") : "";
  const caption = [t ? windowText(t) : "", shown.updated ? `data last updated ${formatDate(shown.updated)}` : ""]
    .filter(Boolean).join(" · ");
  return { slug, caption };
}

function windowText(timeframe) {
  return `${formatPeriod(timeframe.start_month)} – ${formatPeriod(timeframe.end_month)} · by ${timeframe.granularity}`;
}

/** Show the window the numbers cover, e.g. "Sep 2024 – Aug 2025 · by month". */
export function showTimeframe(timeframe) {
  const label = document.getElementById("window-label");
  if (timeframe) shown.timeframe = timeframe;
  if (!label || !timeframe) return;
  const text = windowText(timeframe);
  label.textContent = text;
  printContext.window = text;
  printContext.data = timeframe.data_last_month ? `data to ${formatPeriod(timeframe.data_last_month)}` : "no data yet";
  showPrintContext();
  showAsOf(timeframe);
  showDataBanner(timeframe);
}

/**
 * The as-of field offers the months from the first to the latest month with data and always
 * shows the month in use; `data-auto` remembers that it shows the default (latest) month, so
 * changing the range keeps following new data instead of pinning that month.
 */
function showAsOf(timeframe) {
  const asOf = document.getElementById("ctl-as-of");
  if (!asOf) return;
  if (timeframe.data_first_month) asOf.min = timeframe.data_first_month;
  else asOf.removeAttribute("min");
  if (timeframe.data_last_month) asOf.max = timeframe.data_last_month;
  else asOf.removeAttribute("max");
  if (!asOf.value || asOf.dataset.auto === asOf.value) {
    asOf.value = timeframe.end_month;
    asOf.dataset.auto = timeframe.end_month;
  }
}

/** A banner when the window ends after the data end (or before they start). */
function showDataBanner(timeframe) {
  const banner = document.getElementById("data-banner");
  if (!banner) return;
  let text = "";
  if (timeframe.beyond_data) {
    text = `The data end in ${formatPeriod(timeframe.data_last_month)}: months after that have no data, so this window (to ${formatPeriod(timeframe.end_month)}) is incomplete and changes are withheld.`;
  } else if (timeframe.before_data) {
    text = `The data start in ${formatPeriod(timeframe.data_first_month)}: this window (to ${formatPeriod(timeframe.end_month)}) ends before any data.`;
  } else if (!timeframe.data_last_month && timeframe.data_first_month === null) {
    text = "There is no revenue data yet: import data or load the demo company.";
  }
  banner.textContent = text;
  banner.hidden = !text;
}

export function showDataUpdated(value) {
  shown.updated = value || null;
  const box = document.getElementById("data-updated");
  if (box) box.textContent = value ? `Data last updated ${formatDate(value)}` : "";
  printContext.updated = value ? `last updated ${formatDate(value)}` : "";
  showPrintContext();
}
