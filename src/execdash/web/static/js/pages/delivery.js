// Delivery: channels (with a test-send button), digest recipients (with a preview), and the log.
import { h, fill } from "../dom.js";
import { getJSON, send } from "../api.js";
import { canEdit } from "../context.js";
import { tableCard } from "../tables.js";
import { formatDate } from "../format.js";

const KINDS = { email: "Email", slack: "Slack", webhook: "Signed webhook" };

function status(message, tone = "") {
  const box = document.getElementById("delivery-status");
  box.textContent = message;
  box.className = `notice ${tone}`.trim();
  box.hidden = false;
}

function when(value) {
  if (!value) return "—";
  return `${formatDate(value)} ${String(value).slice(11, 16)} UTC`;
}

async function testSend(channel, button, reload) {
  button.disabled = true;
  status(`Sending a test message to ${channel.name}…`);
  try {
    const result = await send("POST", `/api/v1/delivery/channels/${channel.id}/test`);
    status(result.outcome === "sent"
      ? `Test message delivered to ${channel.name}: ${result.detail}.`
      : `Test message to ${channel.name} failed: ${result.detail}`, result.outcome === "sent" ? "good" : "bad");
  } catch (error) {
    status(`Test message to ${channel.name} failed: ${error.message}`, "bad");
  } finally {
    button.disabled = false;
    reload();
  }
}

function renderChannels(rows, reload) {
  tableCard(document.getElementById("channels"), {
    title: "Channels",
    filename: "delivery-channels",
    empty: "No channels yet: new and changed alerts are not sent anywhere. Add one below.",
    rows,
    columns: [
      { key: "name", label: "Name" },
      { key: "kind", label: "Kind", format: (v) => KINDS[v] || v },
      { key: "target", label: "Target" },
      { key: "min_severity", label: "Alerts from", format: (v) => `${v} severity` },
      { key: "enabled", label: "State", format: (v) => (v ? "on" : "off") },
      {
        key: "id", label: "Test", csv: (v) => v,
        format: (_v, row) => {
          const button = h("button", { type: "button", class: "button small", text: "Send test", "aria-label": `Send a test message to ${row.name}` });
          button.addEventListener("click", () => testSend(row, button, reload));
          return button;
        },
      },
    ],
  });
}

function renderRecipients(rows) {
  tableCard(document.getElementById("recipients"), {
    title: "Digest recipients",
    filename: "digest-recipients",
    empty: "No one gets the digest yet. Add a recipient below, or run “execdash recipients add” on the server.",
    rows,
    columns: [
      { key: "name", label: "Name" },
      { key: "email", label: "Email" },
      { key: "role", label: "Role", format: (v) => v.toUpperCase() },
      { key: "frequency", label: "Every", format: (v) => (v === "weekly" ? "week (Monday)" : "month (1st)") },
      { key: "range", label: "Window" },
      {
        key: "id", label: "Digest", csv: (v) => v,
        format: (v, row) => h("a", { href: `/api/v1/delivery/recipients/${v}/preview`, target: "_blank", rel: "noopener", text: "Preview", "aria-label": `Preview the digest of ${row.name}` }),
      },
    ],
  });
}

function renderLog(rows, reload) {
  tableCard(document.getElementById("delivery-log"), {
    title: "Delivery log",
    filename: "delivery-log",
    empty: "Nothing delivered yet.",
    rows,
    columns: [
      { key: "created_at", label: "Queued", format: when },
      { key: "subject", label: "What" },
      { key: "channel", label: "To", format: (v, r) => v || (r.kind === "digest" ? `recipient ${r.recipient_id}` : "—") },
      { key: "status", label: "State", format: (v, r) => h("span", { class: `badge state-${v}`, text: v === "pending" && r.attempts ? `retry ${when(r.next_attempt_at)}` : v }) },
      { key: "attempts", label: "Tries", num: true },
      { key: "last_error", label: "Last answer", format: (v, r) => v || r.log[0]?.detail || "—" },
      {
        key: "id", label: "", csv: (v) => v,
        format: (v, r) => (r.status !== "failed" ? "" : h("button", {
          type: "button", class: "button small", text: "Retry", "aria-label": `Retry delivery ${v}`,
          onclick: async (event) => {
            event.target.disabled = true;
            try {
              const result = await send("POST", `/api/v1/delivery/log/${v}/retry`);
              status(`Delivery ${v}: ${result.outcome} — ${result.detail}`, result.outcome === "sent" ? "good" : "bad");
            } catch (error) {
              status(`Delivery ${v} could not be retried: ${error.message}`, "bad");
            }
            reload();
          },
        })),
      },
    ],
  });
}

function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function installForms(reload) {
  for (const id of ["channel-add", "recipient-add"]) document.getElementById(id).hidden = false;
  const channelForm = document.getElementById("channel-form");
  channelForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await send("POST", "/api/v1/delivery/channels", formData(channelForm));
      status(made.secret
        ? `Channel ${made.name} added. Its signing secret, shown only now: ${made.secret}`
        : `Channel ${made.name} added.`, "good");
      channelForm.reset();
      reload();
    } catch (error) {
      status(`The channel was not added: ${error.message}`, "bad");
    }
  });
  const recipientForm = document.getElementById("recipient-form");
  recipientForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await send("POST", "/api/v1/delivery/recipients", formData(recipientForm));
      status(`${made.name} will get the ${made.frequency} digest.`, "good");
      recipientForm.reset();
      reload();
    } catch (error) {
      status(`The recipient was not added: ${error.message}`, "bad");
    }
  });
}

let formsInstalled = false;

export async function load() {
  if (!canEdit()) {
    document.getElementById("delivery-locked").hidden = false;
    for (const id of ["channels", "recipients", "delivery-log"]) fill(document.getElementById(id));
    return;
  }
  const reload = () => load().catch((error) => status(`Could not load delivery: ${error.message}`, "bad"));
  const [channels, recipients, log] = await Promise.all([
    getJSON("/api/v1/delivery/channels"),
    getJSON("/api/v1/delivery/recipients"),
    getJSON("/api/v1/delivery/log", { limit: 50 }),
  ]);
  renderChannels(channels, reload);
  renderRecipients(recipients);
  renderLog(log, reload);
  if (!formsInstalled) {
    installForms(reload);
    formsInstalled = true;
  }
}
