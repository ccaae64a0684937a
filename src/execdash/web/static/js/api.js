// Calls to the server's JSON API: same origin only, ETag/If-None-Match so polls cost a 304.

const cache = new Map();
let csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
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
    return new ApiError(response.status, [body.detail || body.title, fields].filter(Boolean).join(" — "));
  } catch {
    return new ApiError(response.status, `${response.status} ${response.statusText}`);
  }
}

/** GET JSON, revalidating with the stored ETag; `notModified` is true on a 304. */
export async function fetchJSON(path, params) {
  const url = apiUrl(path, params);
  const cached = cache.get(url);
  const headers = { Accept: "application/json" };
  if (cached) headers["If-None-Match"] = cached.etag;
  const response = await fetch(url, { headers, cache: "no-store", credentials: "same-origin" });
  if (response.status === 304 && cached) return { data: cached.data, notModified: true };
  if (!response.ok) throw await problem(response);
  const data = await response.json();
  const etag = response.headers.get("ETag");
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
