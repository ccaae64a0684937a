// The view (range, granularity, as-of month): kept in the URL so a link reproduces it,
// and remembered in localStorage between visits.

const STORAGE_KEY = "execdash.view";
export const RANGES = ["3m", "6m", "12m", "24m", "ytd"];
export const GRANULARITIES = ["month", "quarter"];
const DEFAULTS = { range: "12m", granularity: "month", as_of: "" };

function valid(view) {
  return {
    range: RANGES.includes(view.range) ? view.range : DEFAULTS.range,
    granularity: GRANULARITIES.includes(view.granularity) ? view.granularity : DEFAULTS.granularity,
    as_of: /^\d{4}-(0[1-9]|1[0-2])$/.test(view.as_of || "") ? view.as_of : "",
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
  const fromUrl = ["range", "granularity", "as_of"].some((k) => params.has(k));
  if (fromUrl) {
    return valid({
      range: params.get("range"), granularity: params.get("granularity"), as_of: params.get("as_of"),
    });
  }
  return valid({ ...DEFAULTS, ...remembered() });
}

/** The query parameters of `view` (as_of left out when empty). */
export function viewParams(view) {
  const params = { range: view.range, granularity: view.granularity };
  if (view.as_of) params.as_of = view.as_of;
  return params;
}

export function viewQuery(view) {
  return new URLSearchParams(viewParams(view)).toString();
}

/** Put `view` in the URL (without reloading), remember it, and carry it on navigation links. */
export function writeView(view) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(view));
  } catch {
    // Private mode or storage disabled: the URL still carries the view.
  }
  const url = new URL(location.href);
  for (const key of ["range", "granularity", "as_of"]) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(viewParams(view))) url.searchParams.set(key, value);
  history.replaceState(null, "", url);
  for (const link of document.querySelectorAll("a[data-keep-query]")) {
    const target = new URL(link.getAttribute("href"), location.href);
    target.search = viewQuery(view);
    link.setAttribute("href", target.pathname + target.search + target.hash);
  }
}
