// The view (range, granularity, as-of month, comparison): kept in the URL so a link reproduces it,
// and remembered in localStorage between visits.

const STORAGE_KEY = "execdash.view";
export const RANGES = ["3m", "6m", "12m", "24m", "ytd"];
export const GRANULARITIES = ["month", "quarter"];
const DEFAULTS = { range: "12m", granularity: "month", as_of: "", compare: "previous" };
const KEYS = ["range", "granularity", "as_of", "compare"];

/** The comparisons the server offers (the enabled options of the "Compare with" control: plan is
 * disabled while no plan is active). */
export function comparisons() {
  const options = document.querySelectorAll("#ctl-compare option:not([disabled])");
  return options.length ? [...options].map((o) => o.value) : ["previous", "last_year"];
}

function valid(view) {
  return {
    range: RANGES.includes(view.range) ? view.range : DEFAULTS.range,
    granularity: GRANULARITIES.includes(view.granularity) ? view.granularity : DEFAULTS.granularity,
    as_of: /^\d{4}-(0[1-9]|1[0-2])$/.test(view.as_of || "") ? view.as_of : "",
    compare: comparisons().includes(view.compare) ? view.compare : DEFAULTS.compare,
  };
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

/** The view from the URL when it names one, else the remembered one, else the defaults. */
export function readView() {
  const params = new URLSearchParams(location.search);
  const fromUrl = KEYS.some((k) => params.has(k));
  if (fromUrl) {
    return valid(Object.fromEntries(KEYS.map((k) => [k, params.get(k)])));
  }
  return valid({ ...DEFAULTS, ...remembered() });
}

/** The query parameters of `view` (as_of left out when empty, compare when it is the default). */
export function viewParams(view) {
  const params = { range: view.range, granularity: view.granularity };
  if (view.as_of) params.as_of = view.as_of;
  if (view.compare && view.compare !== DEFAULTS.compare) params.compare = view.compare;
  return params;
}

export function viewQuery(view) {
  return new URLSearchParams(viewParams(view)).toString();
}

/**
 * Put `view` in the URL (without reloading), remember it, and carry it on navigation links;
 * `push` makes it a new history entry, so Back returns to the view before.
 */
export function writeView(view, { push = false } = {}) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(view));
  } catch {
    // Private mode or storage disabled: the URL still carries the view.
  }
  const url = new URL(location.href);
  for (const key of KEYS) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(viewParams(view))) url.searchParams.set(key, value);
  if (push && url.href !== location.href) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  for (const link of document.querySelectorAll("a[data-keep-query]")) {
    const target = new URL(link.getAttribute("href"), location.href);
    target.search = viewQuery(view);
    link.setAttribute("href", target.pathname + target.search + target.hash);
  }
}
