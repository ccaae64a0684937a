// Client-side downloads: CSV built from the same numbers the API sent, PNG from a chart canvas.

function csvCell(value) {
  if (value === null || value === undefined) return "";
  // Numbers to 12 significant digits: 2669.28, never the float noise 2669.2799999999997.
  const text = typeof value === "number" && Number.isFinite(value) ? String(Number(value.toPrecision(12))) : String(value);
  // A leading = + - @ would be a formula in a spreadsheet; quote-prefix it (text cells only).
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function save(href, filename) {
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
}

export function downloadCsv(filename, header, rows) {
  const blob = new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  save(url, filename);
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function downloadDataUrl(filename, dataUrl) {
  save(dataUrl, filename);
}

/** "revenue-trend-12m-month-2026-11.csv": the file's name says which window it holds. */
export function fileName(base, windowSlug, extension) {
  return `${[base, windowSlug].filter(Boolean).join("-")}.${extension}`;
}

/**
 * A chart image with its title and a caption (window, data date) drawn above it, as a PNG data
 * URL, so a picture pasted into a board pack still says what it shows and when.
 */
export async function titledPng(dataUrl, title, caption, { background, text, muted, ratio = 2 }) {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const pad = 14 * ratio;
  const titleSize = 17 * ratio;
  const captionSize = 12 * ratio;
  const head = pad + titleSize + (caption ? 6 * ratio + captionSize : 0) + pad / 2;
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height + head;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = "alphabetic";
  ctx.fillStyle = text;
  ctx.font = `bold ${titleSize}px system-ui, sans-serif`;
  ctx.fillText(title, pad, pad + titleSize * 0.8, canvas.width - 2 * pad);
  if (caption) {
    ctx.fillStyle = muted;
    ctx.font = `${captionSize}px system-ui, sans-serif`;
    ctx.fillText(caption, pad, pad + titleSize + 6 * ratio + captionSize * 0.8, canvas.width - 2 * pad);
  }
  ctx.drawImage(image, 0, head);
  return canvas.toDataURL("image/png");
}

export function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "data";
}
