// Words for people instead of identifiers: "feature_request" → "Feature request",
// "fault_type" → "Fault type", "ops" → "Operations". The CSV downloads keep the raw keys.

const LABELS = {
  ops: "Operations",
  ops_alert: "Operations",
  supply: "Supply",
  finance: "Finance",
  sales: "Sales",
  marketing: "Marketing",
  retention: "Retention",
  telemetry: "Telemetry",
  products: "Products",
  mrr: "MRR",
  arr: "ARR",
  nps: "NPS",
  csat: "CSAT",
  cogs: "COGS",
};

/** "fault_type" → "Fault type", "order amount (x)" → "Order amount (x)"; known codes by name. */
export function humanLabel(text) {
  if (text === null || text === undefined || text === "") return "";
  const raw = String(text);
  if (LABELS[raw.toLowerCase()]) return LABELS[raw.toLowerCase()];
  const spaced = raw.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * A slice's name as shown: identifiers ("feature_request", "praise") become words; names that
 * already read as names ("Food & Beverage", "CoolMax 300", "eBay") are left alone.
 */
export function humanName(name) {
  const text = String(name ?? "");
  return /^[a-z][a-z0-9_]*$/.test(text) ? humanLabel(text) : text;
}
