// Boot every page: theme, reporting-window controls kept in the URL, user box, then the page module.
import { installTheme } from "./theme.js";
import { readView, writeView } from "./state.js";
import { redrawCharts, chartsSettled } from "./charts.js";
import { installPopoverBehaviour } from "./tiles.js";
import { h, fill, toast } from "./dom.js";
import { send } from "./api.js";
import { currentUser } from "./context.js";
import { installSearch } from "./search.js";

const PAGES = {
  overview: () => import("./pages/overview.js"),
  finance: () => import("./pages/domain.js"),
  sales: () => import("./pages/domain.js"),
  retention: () => import("./pages/domain.js"),
  operations: () => import("./pages/domain.js"),
  supply: () => import("./pages/domain.js"),
  telemetry: () => import("./pages/domain.js"),
  products: () => import("./pages/domain.js"),
  marketing: () => import("./pages/domain.js"),
  kpi: () => import("./pages/kpi.js"),
  alerts: () => import("./pages/alerts.js"),
  plans: () => import("./pages/plans.js"),
  alert_rules: () => import("./pages/alert_rules.js"),
  login: () => import("./pages/login.js"),
  delivery: () => import("./pages/delivery.js"),
};

function renderUserBox() {
  const box = document.getElementById("user-box");
  const user = currentUser();
  if (!box || !user) return;
  fill(box,
    h("span", { text: `${user.username} (${user.role})` }),
    h("button", {
      type: "button", class: "button small", id: "logout", text: "Sign out",
      onclick: async () => {
        try {
          await send("POST", "/api/v1/auth/logout");
          location.reload();
        } catch (error) {
          toast(`Sign-out failed: ${error.message}`);
        }
      },
    }));
}

function syncControls(view) {
  const form = document.getElementById("controls");
  if (!form) return;
  form.elements.range.value = view.range;
  if (form.elements.compare) form.elements.compare.value = view.compare;
  for (const radio of form.querySelectorAll('input[name="granularity"]')) radio.checked = radio.value === view.granularity;
  form.elements.as_of.value = view.as_of;
  delete form.elements.as_of.dataset.auto;
}

function formView(form) {
  const asOf = form.elements.as_of;
  // The field shows the latest month when no as-of was chosen: that still means "latest".
  const chosen = asOf.value && asOf.value !== asOf.dataset.auto ? asOf.value : "";
  if (chosen) delete asOf.dataset.auto;
  return {
    range: form.elements.range.value,
    granularity: form.querySelector('input[name="granularity"]:checked')?.value || "month",
    as_of: chosen,
    compare: form.elements.compare?.value || "previous",
  };
}

/** Scroll the page menu sideways (never the page) so the current page's tab is in view. */
function revealCurrentTab() {
  const list = document.querySelector(".site-nav ul");
  const current = list?.querySelector('a[aria-current="page"]');
  if (!list || !current || list.scrollWidth <= list.clientWidth) return;
  const tab = current.getBoundingClientRect();
  const box = list.getBoundingClientRect();
  list.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2;
}

async function boot() {
  const pageName = document.body.dataset.page;
  revealCurrentTab();
  installTheme(redrawCharts);
  const page = await (PAGES[pageName] || PAGES.overview)();
  installPopoverBehaviour();
  installSearch();
  renderUserBox();
  let view = readView();
  syncControls(view);
  writeView(view);
  const run = async () => {
    document.body.setAttribute("aria-busy", "true");
    try {
      const painted = () => { document.body.dataset.painted = viewKey(view); };
      await page.load(view, painted);
      painted();
      await chartsSettled();
    } catch (error) {
      console.error("execdash: could not load the page data", error);
      toast(`Could not load the data: ${error.message}`);
    } finally {
      document.body.removeAttribute("aria-busy");
      document.body.dataset.loaded = viewKey(view);
    }
  };
  const form = document.getElementById("controls");
  form?.addEventListener("change", () => {
    view = formView(form);
    // Every change of the window or the comparison is a history entry: Back returns to the one before.
    writeView(view, { push: true });
    run();
  });
  // Back and Forward step through the views the reader chose.
  window.addEventListener("popstate", () => {
    const previous = readView();
    if (viewKey(previous) === viewKey(view)) return; // a #fragment step, not a view change
    view = previous;
    syncControls(view);
    writeView(view);
    run();
  });
  form?.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("refresh")?.addEventListener("click", run);
  await run();
}

/**
 * A string naming the view: <body data-painted> holds it once the view's numbers are on screen,
 * <body data-loaded> once everything (sparklines included) is drawn. Tests and the bench wait on them.
 */
export function viewKey(view) {
  const base = `${view.range}|${view.granularity}|${view.as_of}`;
  return view.compare && view.compare !== "previous" ? `${base}|${view.compare}` : base;
}

boot();
