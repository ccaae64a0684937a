// Calls to the server's JSON API: same origin only; the browser's ETag revalidation makes polls cost a 304.

const cache = new Map();
let csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

export class ApiError extends Error {
  constructor(status, message, fields = []) {
    super(message);
    this.status = status;
    this.fields = fields; // [{location, name, message}] of a 422, so a form can mark each field
  }
}

export function setCsrfToken(token) {
  csrfToken = token || "";
}

export function apiUrl(path, params) {
  const query = params ? new URLSearchParams(params).toString() : "";
  return query ? `${path}?${query}` : path;
}

async function problem(response) {
  try {
    const body = await response.json();
    const fields = (body.errors || []).map((e) => `${e.name}: ${e.message}`).join("; ");
    return new ApiError(response.status, [body.detail || body.title, fields].filter(Boolean).join(" — "), body.errors || []);
  } catch {
    return new ApiError(response.status, `${response.status} ${response.statusText}`);
  }
}

/**
 * GET JSON. The browser revalidates with If-None-Match on every call (cache "no-cache"), so an
 * unchanged resource costs a 304 on the wire; `notModified` is true when the ETag is unchanged.
 */
export async function fetchJSON(path, params) {
  const url = apiUrl(path, params);
  const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache", credentials: "same-origin" });
  if (!response.ok) throw await problem(response);
  const etag = response.headers.get("ETag");
  const cached = cache.get(url);
  if (etag && cached && cached.etag === etag) return { data: cached.data, notModified: true };
  const data = await response.json();
  if (etag) cache.set(url, { etag, data });
  return { data, notModified: false };
}

export async function getJSON(path, params) {
  return (await fetchJSON(path, params)).data;
}

/** POST/PATCH/DELETE JSON with the session's CSRF token. */
export async function send(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": csrfToken };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problem(response);
  cache.clear();
  return response.status === 204 ? null : response.json();
}
