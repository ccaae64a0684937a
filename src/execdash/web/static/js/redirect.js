// Where to go after signing in: only a path on this site, never another host.
//
// Browsers read "\" as "/" and drop tabs and newlines inside URLs, so "/\evil.example/" and
// "/<tab>/evil.example/" both become "//evil.example/", another site. Anything with a backslash or
// a control character is refused outright; the rest must resolve to this page's own origin.

const UNSAFE = /[\u0000-\u001f\u007f\\]/;

export function safeNext(raw, origin) {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || UNSAFE.test(raw)) {
    return "/";
  }
  let url;
  try {
    url = new URL(raw, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  return url.pathname + url.search + url.hash;
}
