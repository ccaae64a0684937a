// The theme's chart colours (CSS custom properties) and the tooltip lines every chart shares.
import { escapeHtml } from "./dom.js";
import { humanLabel } from "./words.js";
import { noticeWord } from "./annotations.js";

/** The value of a CSS custom property of the page (theme colours). */
export function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The eight series colours of the current theme (a donut of eight slices repeats none). */
export function palette() {
  return [1, 2, 3, 4, 5, 6, 7, 8].map((i) => css(`--chart-${i}`));
}

/** The colour of a waterfall bar's tone: up (good green), down (bad red) or a total. */
export function toneColour(tone) {
  return tone === "up" ? css("--good") : tone === "down" ? css("--bad") : palette()[0];
}

/** Tooltip lines of alerts and risks: "⚠ High alert, open: Uptime dropped below 97%" and the detail. */
export function noticeRows(marks) {
  return marks.map(({ notice }) => `<div class="tt-row tt-notice">⚠ ${escapeHtml(humanLabel(noticeWord(notice)))}: <b>${escapeHtml(notice.title)}</b>`
    + (notice.detail ? `<br>${escapeHtml(notice.detail)}` : "") + "</div>").join("");
}

/** One tooltip line: the series' marker, its name and the formatted value (all text escaped). */
export function tooltipRow(marker, name, text) {
  return `<div class="tt-row">${marker} ${escapeHtml(name)}: <b>${escapeHtml(text)}</b></div>`;
}
