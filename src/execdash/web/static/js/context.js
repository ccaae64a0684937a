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

/** Show the window the numbers cover, e.g. "Sep 2024 – Aug 2025 · by month". */
export function showTimeframe(timeframe) {
  const label = document.getElementById("window-label");
  if (!label || !timeframe) return;
  const text = `${formatPeriod(timeframe.start_month)} – ${formatPeriod(timeframe.end_month)} · by ${timeframe.granularity}`;
  label.textContent = text;
  const printed = document.getElementById("print-window");
  if (printed) printed.textContent = `· ${text}`;
  const asOf = document.getElementById("ctl-as-of");
  if (asOf && !asOf.value) asOf.placeholder = timeframe.end_month;
}

export function showDataUpdated(value) {
  const box = document.getElementById("data-updated");
  if (box) box.textContent = value ? `Data last updated ${formatDate(value)}` : "";
}
