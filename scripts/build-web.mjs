// Build the dashboard's front-end assets from npm packages into a git-ignored folder.
//
// ECharts is bundled tree-shaken to the charts and components the pages use, as one ES module
// served from /static/vendor/echarts.js; nothing is fetched from a CDN at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "src", "execdash", "web", "static", "vendor");

// Only what charts.js uses: bar/line/pie/funnel, grid + tooltip + legend + mark lines/areas/points
// (targets, bands, alert pins) + aria (screen-reader description), rendered on canvas (so a chart can be saved as PNG).
const entry = `
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart, FunnelChart } from "echarts/charts";
import {
  GridComponent, TooltipComponent, LegendComponent, MarkLineComponent,
  MarkAreaComponent, MarkPointComponent, AriaComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
echarts.use([
  BarChart, LineChart, PieChart, FunnelChart, GridComponent, TooltipComponent,
  LegendComponent, MarkLineComponent, MarkAreaComponent, MarkPointComponent, AriaComponent,
  CanvasRenderer,
]);
export const init = echarts.init;
export const getInstanceByDom = echarts.getInstanceByDom;
`;

mkdirSync(outdir, { recursive: true });
await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: "echarts-entry.mjs", loader: "js" },
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "eof",
  outfile: join(outdir, "echarts.js"),
  logLevel: "warning",
});
const size = statSync(join(outdir, "echarts.js")).size;
console.log(`built ${join("src/execdash/web/static/vendor", "echarts.js")} (${Math.round(size / 1024)} KiB)`);

// The API reference (/docs) uses Swagger UI's prebuilt browser bundle from npm, copied as it is
// into the same git-ignored folder, so the reference works on an offline intranet too.
const swaggerDir = join(outdir, "swagger-ui");
mkdirSync(swaggerDir, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(root, "node_modules", "swagger-ui-dist", file), join(swaggerDir, file));
}
console.log(`copied Swagger UI ${JSON.parse(readFileSync(join(root, "node_modules", "swagger-ui-dist", "package.json"))).version} to src/execdash/web/static/vendor/swagger-ui`);
