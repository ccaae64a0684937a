// A chart's CSV (the raw numbers the API sent) and PNG (titled, with window and date) buttons.
import { h } from "./dom.js";
import { downloadCsv, downloadDataUrl, fileName, titledPng } from "./download.js";
import { downloadContext } from "./context.js";
import { css } from "./chart_style.js";

/** The CSV rows of a chart: the raw numbers the API sent, one column per series. */
export function chartCsv(spec) {
  if (spec.kind === "pie" || spec.kind === "funnel") {
    const header = [spec.dimension || "name", spec.measure || "value", "share"];
    return { header, rows: spec.items.map((i) => [i.name, i.value, i.share ?? ""]) };
  }
  const header = [spec.categoryName || "period", ...spec.series.map((s) => s.key || s.name)];
  if (spec.partial) header.push("partial");
  const rows = spec.categories.map((c, i) => {
    const row = [spec.csvCategories?.[i] ?? c, ...spec.series.map((s) => (s.csv || s.data)[i] ?? "")];
    if (spec.partial) row.push(spec.partial[i] ? "true" : "false");
    return row;
  });
  return { header, rows };
}

/** The CSV and PNG buttons of a chart card; `picture()` gives the drawn chart's PNG data URL or null. */
export function downloadButtons(spec, filename, picture) {
  const csv = spec.csv || chartCsv(spec);
  return h("div", { class: "card-actions" },
    h("button", {
      type: "button", class: "button small", "aria-label": `Download ${spec.title} as CSV`, text: "CSV",
      onclick: () => downloadCsv(fileName(filename, downloadContext().slug, "csv"), csv.header, csv.rows),
    }),
    h("button", {
      type: "button", class: "button small", "aria-label": `Download ${spec.title} as PNG`, text: "PNG",
      onclick: async () => {
        const image = picture();
        if (!image) return;
        const { slug: windowSlug, caption } = downloadContext();
        downloadDataUrl(fileName(filename, windowSlug, "png"),
          await titledPng(image, spec.title, caption, { background: css("--surface"), text: css("--text"), muted: css("--muted") }));
      },
    }));
}
