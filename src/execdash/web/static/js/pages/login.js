// Sign in: the API sets the HttpOnly session cookie; the page then reloads where the user came from.
import { ApiError } from "../api.js";
import { safeNext } from "../redirect.js";

function target() {
  return safeNext(new URLSearchParams(location.search).get("next"), location.origin);
}

export async function load() {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  if (form.dataset.wired) return;
  form.dataset.wired = "1";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { username: form.elements.username.value.trim(), password: form.elements.password.value };
    if (!body.username || !body.password) {
      error.textContent = "Enter your user name and password.";
      error.hidden = false;
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await fetch("/api/v1/auth/login", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new ApiError(response.status, response.status === 401 ? "Wrong user name or password." : `Sign-in failed (${response.status}).`);
      await response.json(); // read the body before leaving, so the request completes cleanly
      location.assign(target());
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      button.disabled = false;
    }
  });
}
