// The header's search box: an ARIA combobox over GET /api/search, driven by keyboard or pointer.
import { h, fill } from "./dom.js";
import { readView, viewParams } from "./state.js";

const LIMIT = 8;
const DELAY_MS = 200;
const KINDS = { page: "Page", kpi: "KPI", customer: "Customer", alert: "Alert", risk: "Risk" };

/** Where a result leads on this site: its page, with the current reporting window kept. */
export function destination(result, view, origin = location.origin) {
  const url = new URL(result.href, origin);
  for (const [key, value] of Object.entries(viewParams(view))) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  return url.pathname + url.search;
}

async function errorText(response) {
  if (response.status === 401) return "Sign in to search.";
  try {
    const body = await response.json();
    return body.message || body.detail || `Search failed (${response.status}).`;
  } catch {
    return `Search failed (${response.status}).`;
  }
}

export function installSearch() {
  const form = document.getElementById("site-search");
  const input = document.getElementById("search-input");
  const popup = document.getElementById("search-popup");
  const list = document.getElementById("search-results");
  const message = document.getElementById("search-message");
  const status = document.getElementById("search-status");
  if (!form || !input || !popup || !list) return;

  let results = [];
  let active = -1;
  let timer = null;
  let sequence = 0;
  let pending = null;
  let controller = null;

  const open = (yes) => {
    popup.hidden = !yes;
    input.setAttribute("aria-expanded", String(yes));
    if (!yes) setActive(-1);
  };

  function setActive(index) {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) option.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) input.setAttribute("aria-activedescendant", `search-option-${index}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function say(text) {
    message.hidden = !text;
    message.textContent = text || "";
    status.textContent = text || `${results.length} result${results.length === 1 ? "" : "s"}`;
  }

  function go(result) {
    if (!result) return;
    open(false);
    location.assign(destination(result, readView()));
  }

  function render(query) {
    fill(list, ...results.map((r, i) => h("li", {
      id: `search-option-${i}`, role: "option", class: "search-option", "aria-selected": "false",
      onmousedown: (event) => event.preventDefault(), // keep focus in the box
      onclick: () => go(r),
    },
    h("span", { class: "search-title", text: r.title }),
    h("span", { class: "search-kind", text: KINDS[r.type] || r.type }),
    h("span", { class: "search-desc", text: r.description }))));
    say(results.length ? "" : `No results for “${query}”.`);
    open(true);
    setActive(-1);
  }

  async function run() {
    clearTimeout(timer);
    timer = null;
    const query = input.value.trim();
    const mine = ++sequence;
    controller?.abort();
    if (!query) {
      results = [];
      open(false);
      status.textContent = "";
      return;
    }
    controller = new AbortController();
    const params = new URLSearchParams({ q: query, limit: String(LIMIT) });
    try {
      const response = await fetch(`/api/search?${params}`, {
        headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal,
      });
      if (mine !== sequence) return;
      if (!response.ok) {
        results = [];
        fill(list);
        say(await errorText(response));
        open(true);
        return;
      }
      const body = await response.json();
      if (mine !== sequence) return;
      results = (Array.isArray(body) ? body : []).filter((r) => r.href);
      render(query);
    } catch (error) {
      if (error.name === "AbortError" || mine !== sequence) return;
      results = [];
      fill(list);
      say("Search is unavailable; check the connection and try again.");
      open(true);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    pending = run;
    timer = setTimeout(() => { pending = null; run(); }, DELAY_MS);
  });

  input.addEventListener("keydown", async (event) => {
    const count = results.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (popup.hidden) {
        if (input.value.trim()) open(true);
        return;
      }
      if (!count) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (pending || timer) {
        pending = null;
        await run();
      }
      go(results[active >= 0 ? active : 0]);
    } else if (event.key === "Escape") {
      if (!popup.hidden) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        results = [];
      }
    }
  });

  input.addEventListener("focus", () => {
    if (input.value.trim() && (results.length || !message.hidden)) open(true);
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) open(false);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
}
