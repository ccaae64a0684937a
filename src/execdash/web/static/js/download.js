// Client-side downloads: CSV built from the same numbers the API sent, PNG from a chart canvas.

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
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

export function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "data";
}
