// Light/dark theme: follows the system setting until the toggle picks one, remembered locally.

const KEY = "execdash.theme";

function stored() {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

function system() {
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function currentTheme() {
  return document.documentElement.dataset.theme || stored() || system();
}

function apply(theme) {
  document.documentElement.dataset.theme = theme;
  const button = document.getElementById("theme-toggle");
  if (button) {
    const other = theme === "dark" ? "light" : "dark";
    button.setAttribute("aria-label", `Switch to ${other} theme`);
    button.setAttribute("aria-pressed", String(theme === "dark"));
  }
}

/** Apply the theme now and wire the toggle; `onChange` redraws what paints with theme colours. */
export function installTheme(onChange) {
  apply(stored() || system());
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (!stored()) {
      apply(system());
      onChange();
    }
  });
  document.getElementById("theme-toggle")?.addEventListener("click", () => {
    const next = currentTheme() === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Storage disabled: the toggle still works for this page.
    }
    apply(next);
    onChange();
  });
}
